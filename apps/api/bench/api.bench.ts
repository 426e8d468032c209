import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '@ledger/db';
import { rebuildReadModels, type LedgerTables } from '@ledger/read-models';
import { benchmarkLedgerSize, generateInChild, seededRandom } from '@ledger/fixtures';
import { createServerDatabase, databaseUrl } from '@ledger/testing';

// npm run bench:api: the server (npm start's entry point) in a child process on PostgreSQL, over the
// 1,000,000-event ledger of the balance benchmark, driven by autocannon from this process over
// loopback, each case bounded in time. GET /health is the framework's own ceiling, measured in the
// same minutes as each case: the two take turns in BENCH_ROUNDS slices (health first in one round,
// the case first in the next), because this machine's speed drifts by a third within a minute and a
// ceiling measured once, at the start, compared each case with another machine. Each case's paths
// run unmeasured for BENCH_WARMUP_SECONDS first, and /health once before all cases. BENCH_EVENTS
// (and friends), BENCH_SECONDS (each case's measured time, and as much again for its ceiling),
// BENCH_ROUNDS, BENCH_WARMUP_SECONDS and BENCH_CONNECTIONS shrink or tune it.
// BENCH_DATABASE names a database on the same server that already holds the data set, generated and
// rebuilt (a run killed before its end leaves one): the bench migrates it and measures it without
// generating it, and does not drop it.

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  non2xx: number;
  errors: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, milliseconds: number) => void): void;
}
// autocannon ships no types.
const autocannon = require('autocannon') as (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REUSED = process.env['BENCH_DATABASE'];
const NAME = REUSED ?? 'ledger_bench_api';
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
/** Slices each case and its ceiling are measured in, taking turns. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
/** Unmeasured seconds before each case, so the JIT and the caches are warm for every one alike. */
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 2);
/** Distinct requests per case, used in turn: at this machine's rates a case sends fewer in its warm-up and run together, so none repeats. */
const PATHS = 50_000;
const size = benchmarkLedgerSize();

/** What a case's slices add up to: requests, seconds, failures and every response time. */
class Tally {
  requests = 0;
  seconds = 0;
  non2xx = 0;
  errors = 0;
  readonly milliseconds: number[] = [];

  get rate(): number {
    return this.requests / this.seconds;
  }

  add(other: Tally): void {
    this.requests += other.requests;
    this.seconds += other.seconds;
    this.non2xx += other.non2xx;
    this.errors += other.errors;
    this.milliseconds.push(...other.milliseconds);
  }

  percentile(p: number): number {
    const sorted = Float64Array.from(this.milliseconds).sort();
    return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

/** Drives `paths` in turn for `seconds`; adds the slice to `tally` when given one. */
function drive(base: string, paths: () => string, seconds: number, tally?: Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ method: 'GET', setupRequest: (request: { path: string }) => ({ ...request, path: paths() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        if (tally) {
          tally.requests += result.requests.total;
          tally.seconds += result.duration;
          tally.non2xx += result.non2xx;
          tally.errors += result.errors;
        }
        resolve();
      },
    );
    if (tally) instance.on('response', (_client, _status, _bytes, milliseconds) => tally.milliseconds.push(milliseconds));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitForHealth(base: string, server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not answer /health within 60 s');
}

interface Generated {
  programmes: readonly string[];
  institutions: readonly string[];
  commitments: number;
  events: number;
}

async function generate(db: Kysely<LedgerTables>, url: string): Promise<Generated> {
  process.stdout.write(`loading ${size.events} events (${size.commitments} commitments) ...\n`);
  const generated = await generateInChild(url, size);
  await rebuildReadModels(db);
  await sql`analyze`.execute(db);
  return generated;
}

/** What a previous run generated, read back from its read models. */
async function alreadyGenerated(db: Kysely<LedgerTables>): Promise<Generated> {
  const programmes = await db.selectFrom('rm_programmes').select('id').orderBy('id').execute();
  const institutions = await db.selectFrom('rm_institutions').select('id').orderBy('id').execute();
  const counts = await sql<{ commitments: number; events: number }>`
    select (select count(*) from rm_commitments) as commitments, (select count(*) from events) as events`.execute(db);
  return {
    programmes: programmes.map((row) => row.id),
    institutions: institutions.map((row) => row.id),
    commitments: Number(counts.rows[0]!.commitments),
    events: Number(counts.rows[0]!.events),
  };
}

async function main(): Promise<void> {
  const created = REUSED ? undefined : await createServerDatabase(SERVER, NAME, { replace: true });
  const url = created?.url ?? databaseUrl(SERVER, NAME);
  const database = await openDatabase({ databaseUrl: url });
  const db = database.db as Kysely<LedgerTables>;
  let server: ChildProcess | undefined;
  try {
    await migrateToLatest(db);
    const generated = REUSED ? await alreadyGenerated(db) : await generate(db, url);
    const instants = await sql<{ first: Date; last: Date }>`select min(recorded_at) as first, max(recorded_at) as last from events`.execute(db);
    const { first, last } = instants.rows[0]!;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.resolve(__dirname, '../../../scripts/run.cjs'), path.resolve(__dirname, '../src/main.ts')], {
      env: {
        ...process.env, PORT: String(port), DATABASE_URL: url, LEDGER_SEED: 'false',
        LEDGER_API_TOKENS: `bench:${randomBytes(16).toString('hex')}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForHealth(base, server);

    const r = seededRandom(11);
    const point = () => {
      const asOf = new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 7 * 365) * 86_400_000).toISOString().slice(0, 10);
      const knownAt = new Date(first.getTime() + Math.floor(r() * (last.getTime() - first.getTime() + 1))).toISOString();
      return `asOf=${asOf}&knownAt=${encodeURIComponent(knownAt)}`;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
    const cases: { name: string; path: () => string }[] = [
      { name: 'GET programme balance', path: () => `/v1/programmes/${pick(generated.programmes)}/balance?${point()}` },
      { name: 'GET institution balance', path: () => `/v1/institutions/${pick(generated.institutions)}/balance?${point()}` },
      // As they stand now: a random past point would often precede the announcement (a 404).
      { name: 'GET commitment', path: () => `/v1/commitments/c-${Math.floor(r() * generated.commitments)}` },
    ];
    process.stdout.write(
      `server on PostgreSQL, ${generated.events} events; ${CONNECTIONS} connections; each case ${SECONDS} s ` +
        `and its /health ceiling ${SECONDS} s, in ${ROUNDS} turns each\n`,
    );
    process.stdout.write(
      `${'case'.padEnd(26)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}  non-2xx` +
        `${'/health req/s'.padStart(15)}  ratio\n`,
    );
    const health = () => '/health';
    const row = (name: string, tally: Tally, ceiling?: Tally) =>
      process.stdout.write(
        `${name.padEnd(26)}${tally.rate.toFixed(0).padStart(8)}${tally.percentile(50).toFixed(1).padStart(9)}` +
          `${tally.percentile(99).toFixed(1).padStart(9)}  ${String(tally.non2xx).padStart(7)}` +
          `${(ceiling ? ceiling.rate.toFixed(0) : '').padStart(15)}  ${ceiling ? (tally.rate / ceiling.rate).toFixed(2) : ''}` +
          `${tally.errors ? ` (${tally.errors} errors)` : ''}\n`,
      );
    const everyCeiling = new Tally();
    if (WARMUP_SECONDS > 0) await drive(base, health, WARMUP_SECONDS);
    for (const item of cases) {
      // The paths are drawn before the clock starts: the driver shares the machine with the server,
      // and drawing random dates while it runs took CPU from the server in the balance cases only.
      const drawn = Array.from({ length: PATHS }, () => item.path());
      let next = 0;
      const paths = () => drawn[next++ % PATHS]!;
      if (WARMUP_SECONDS > 0) await drive(base, paths, WARMUP_SECONDS);
      const measured = new Tally();
      const ceiling = new Tally();
      for (let round = 0; round < ROUNDS; round += 1) {
        const slice = SECONDS / ROUNDS;
        if (round % 2 === 0) {
          await drive(base, health, slice, ceiling);
          await drive(base, paths, slice, measured);
        } else {
          await drive(base, paths, slice, measured);
          await drive(base, health, slice, ceiling);
        }
      }
      row(item.name, measured, ceiling);
      everyCeiling.add(ceiling);
    }
    row('GET /health (all turns)', everyCeiling);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await database.close();
    await created?.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
