import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { openTestDatabase } from '@ledger/testing';
import { createApp, createLogger } from '../src';

// npm run bench:api: the HTTP application in-process on a fresh seeded database (in-memory PGlite,
// or a database of its own on the server DATABASE_URL names), driven by autocannon. Logs go to
// /dev/null so their cost is counted but not shown. BENCH_SECONDS and BENCH_CONNECTIONS tune it.

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no types.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);

async function main(): Promise<void> {
  const db = await openTestDatabase();
  const token = randomBytes(24).toString('hex');
  const app = await createApp({
    config: { port: 0, databaseUrl: db.url, dataDir: 'memory://', writers: [{ name: 'bench', token }], seed: true },
    database: db,
    logger: createLogger({ destination: { write: () => undefined } }),
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const cases: { name: string; path: string; method?: string; body?: string; headers?: Record<string, string> }[] = [
    { name: 'GET /health', path: '/health' },
    { name: 'GET /v1/events?limit=100', path: '/v1/events?limit=100' },
    { name: 'GET /v1/audit/verify', path: '/v1/audit/verify' },
    { name: 'GET unknown route (404)', path: '/v1/nothing' },
    { name: 'GET /v1/events?limit=0 (400)', path: '/v1/events?limit=0' },
    {
      name: 'POST without token (401/404)',
      path: '/v1/sources',
      method: 'POST',
      body: '{"id":"x"}',
      headers: { 'content-type': 'application/json' },
    },
  ];
  process.stdout.write(`database ${db.kind}, ${SECONDS}s per case, ${CONNECTIONS} connections\n`);
  process.stdout.write('case'.padEnd(34) + 'req/s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + '  non-2xx\n');
  for (const item of cases) {
    const result = await autocannon({
      url: `${base}${item.path}`,
      method: item.method ?? 'GET',
      ...(item.body ? { body: item.body } : {}),
      ...(item.headers ? { headers: item.headers } : {}),
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    process.stdout.write(
      item.name.padEnd(34) +
        result.requests.average.toFixed(0).padStart(10) +
        String(result.latency.p50).padStart(9) +
        String(result.latency.p99).padStart(9) +
        `  ${result.non2xx}${result.errors ? ` (${result.errors} errors)` : ''}\n`,
    );
  }
  process.stdout.write(`rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB\n`);
  await app.close();
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
