import { performance } from 'node:perf_hooks';
import { migrateToLatest, openDatabase } from '@ledger/db';
import { head } from '@ledger/event-store';
import { journal, institutionBalance, programmeBalance, rebuildReadModels, type LedgerTables } from '../src';
import { sql, type Kysely } from 'kysely';
import { benchmarkLedgerSize, generateInChild, seededRandom } from '@ledger/fixtures';
import { createServerDatabase } from '@ledger/testing';

// npm run bench:balances: loads a generated ledger of 1,000,000 events (100,000 commitments over
// 1,000 programmes and 5,000 institutions) into a database of its own on PostgreSQL, projects it
// with a full rebuild (timed), then measures balance queries at random (asOf, knownAt) and peak RSS.
// BENCH_QUERIES sets the queries per case (500); BENCH_EVENTS, BENCH_COMMITMENTS, BENCH_PROGRAMMES
// and BENCH_INSTITUTIONS shrink the data set for a quick look.

const SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = 'ledger_bench_balances';
const size = benchmarkLedgerSize();
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? 500);

let peakRss = 0;
// The generator runs in a child process, so this is the rebuild's and the queries' memory alone.
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

function percentile(sorted: number[], p: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
}

async function latency(label: string, run: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i += 1) await run(i); // warm the plan cache and buffers
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} p50 ${percentile(times, 50)} ms  p95 ${percentile(times, 95)} ms  p99 ${percentile(times, 99)} ms  (${QUERIES} queries)`);
}

async function main(): Promise<void> {
  const server = await createServerDatabase(SERVER, NAME, { replace: true });
  const database = await openDatabase({ databaseUrl: server.url });
  const db = database.db as Kysely<LedgerTables>;
  try {
    await migrateToLatest(db);
    console.log(`generating ${size.events} events: ${size.commitments} commitments, ${size.programmes} programmes, ${size.institutions} institutions`);
    const started = performance.now();
    const generated = await generateInChild(server.url, size);
    const loadSeconds = (performance.now() - started) / 1000;
    console.log(`appended ${generated.events} events in ${loadSeconds.toFixed(1)} s (${Math.round(generated.events / loadSeconds)} events/s)`);
    const firstKnown = (await db.selectFrom('events').select('recorded_at').orderBy('position').limit(1).executeTakeFirstOrThrow()).recorded_at;
    const lastKnown = (await db.selectFrom('events').select('recorded_at').orderBy('position', 'desc').limit(1).executeTakeFirstOrThrow()).recorded_at;

    // The first projection of a loaded journal is a rebuild: the same code, from an empty start.
    const rebuildStarted = performance.now();
    let shown = 0;
    const rebuilt = await rebuildReadModels(db, {
      onProgress: ({ position, head: top }) => {
        if (position - shown >= 100_000 || position === top) { shown = position; process.stderr.write(`  rebuild ${position}/${top}\n`); }
      },
    });
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
    console.log(`rebuild: ${rebuilt.events} events in ${rebuildSeconds.toFixed(1)} s (${Math.round(rebuilt.events / rebuildSeconds)} events/s)`);
    await sql`analyze`.execute(db);

    const r = seededRandom(7);
    const point = () => ({
      asOf: new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 7 * 365) * 86_400_000).toISOString().slice(0, 10),
      knownAt: new Date(firstKnown.getTime() + Math.floor(r() * (lastKnown.getTime() - firstKnown.getTime() + 1))).toISOString(),
    });
    await latency('programme balance (with components)', () => programmeBalance(db, generated.programmes[Math.floor(r() * generated.programmes.length)]!, point()));
    await latency('root programme balance', () => programmeBalance(db, generated.programmes[Math.floor(r() * 100)]!, point()));
    await latency('institution balance', () => institutionBalance(db, generated.institutions[Math.floor(r() * generated.institutions.length)]!, point()));

    console.log(`journal head ${(await head(journal(db))).position}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await database.close();
    await server.drop();
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
