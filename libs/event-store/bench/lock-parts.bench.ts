// What each part of a 1-event append costs while it holds the append lock, with the client taken out
// of the measure: pgbench runs the locked raw INSERT of bench:store and copies of ledger_append_one
// with one part taken out, each for a few seconds, in interleaved rounds:
//   npm run bench:lock-parts       (DATABASE_URL names the server; its database is left alone)
// The copies are made from the function's definition in the migrated database (pg_get_functiondef),
// so they follow later migrations; if a part is no longer where the copy expects it, the run stops
// and says which. They exist for this measure only, in the database ledger_bench_lock_parts, which
// the run creates (dropping one a previous run left) and drops at the end. BENCH_CLIENTS sets the
// clients (8), BENCH_PHASE_S each run's seconds (3), BENCH_ROUNDS the rounds (6). Needs pgbench,
// which comes with PostgreSQL. Every event id here is random (gen_random_uuid()): pgbench cannot
// make the store's time-ordered ids, and the rows being compared then differ only in what is taken
// out.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '@ledger/db';
import { createServerDatabase } from '@ledger/testing';
import { appendToStreams, canonicalJson } from '@ledger/event-store';
import { fmt, literal, median } from './common';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'ledger_bench_lock_parts';
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const PHASE_S = Number(process.env['BENCH_PHASE_S'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 6);

const run = promisify(execFile);

const EVENT = {
  type: 'FundsDeposited',
  data: { accountId: 'acc-0001', amount: '1.25', currency: 'EUR', reference: 'bench-1' },
  metadata: { correlationId: 'bench', actor: 'bench' },
};

/** One part of ledger_append_one's definition and what its copy puts in its place. */
interface Cut {
  part: RegExp;
  replacement: string;
}

const NO_HASH: Cut = { part: /ledger_chain_hash\([^()]*\)/, replacement: `repeat('ab', 32)` };
// Positions from a sequence of negative numbers, so they never meet the real function's, which
// keep following the journal's head (the first event, appended before any round, keeps it positive).
const NO_HEAD: Cut = {
  part: /from ledger_head\(\) as h/,
  replacement: `from (select nextval('bench_parts_position') as head_position, repeat('ab', 32) as head_hash) as h`,
};

/** Creates a copy of ledger_append_one named `name`, with `cuts` made. */
async function copyOfAppendOne(db: Kysely<unknown>, name: string, cuts: Cut[]): Promise<void> {
  const { rows } = await sql<{ definition: string }>`
    select pg_get_functiondef('ledger_append_one(text, integer, text, text, text)'::regprocedure) as definition`.execute(db);
  const original = rows[0]!.definition;
  let definition = original.replace(/^create or replace function public\.ledger_append_one\(/i, `create function ${name}(`);
  if (definition === original) throw new Error('pg_get_functiondef() no longer starts as this bench expects');
  for (const { part, replacement } of cuts) {
    if ((definition.match(new RegExp(part, 'g')) ?? []).length !== 1) {
      throw new Error(`ledger_append_one no longer has exactly one ${part}: update ${name} in this bench`);
    }
    definition = definition.replace(part, replacement);
  }
  await sql.raw(definition).execute(db);
}

interface Step {
  label: string;
  script: string;
}

/** Appends to one stream per client, each append expecting the version the last one returned. */
function appendScript(fn: string): string {
  const body = canonicalJson({ ...EVENT, eventId: 'ID' });
  return `select r_versions as v from ${fn}('parts-' || :r || '-' || :client_id, :v, replace(${literal(body)}, 'ID', gen_random_uuid()::text), null, null) \\gset\n`;
}

const RAW_COLUMNS = 'position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash';
const rawValues = (position: string) =>
  `${position}, gen_random_uuid(), 'raw-' || gen_random_uuid(), 1, ${literal(EVENT.type)}, ` +
  `${literal(canonicalJson(EVENT.data))}::jsonb, ${literal(canonicalJson(EVENT.metadata))}::jsonb, clock_timestamp(), ` +
  `repeat('ab', 32), repeat('ab', 32)`;

/** Transactions per second of one pgbench run of `step`. */
async function pgbench(url: string, dir: string, step: Step, tag: string): Promise<number> {
  const file = join(dir, 'step.sql');
  writeFileSync(file, step.script);
  const args = ['-n', '-M', 'prepared', '-c', String(CLIENTS), '-j', '2', '-T', String(PHASE_S), '-D', `r=${tag}`, '-D', 'v=0', '-f', file, url];
  let stdout: string;
  try {
    ({ stdout } = await run('pgbench', args));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('bench:lock-parts needs pgbench on the PATH (it comes with PostgreSQL)');
    throw new Error(`pgbench failed on "${step.label}": ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (tps === null || (failed !== null && failed[1] !== '0')) throw new Error(`pgbench on "${step.label}" reported:\n${stdout}`);
  return Number(tps[1]);
}


async function main(): Promise<void> {
  const server = await createServerDatabase(SERVER_URL, DATABASE, { replace: true });
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
  const db = database.db as Kysely<unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'lock-parts-'));
  try {
    await migrateToLatest(db);
    await sql`create table bench_raw (like events including defaults including constraints including indexes)`.execute(db);
    await sql`create sequence bench_raw_position`.execute(db);
    await sql`create sequence bench_parts_position minvalue -9000000000000000000 start with -9000000000000000000`.execute(db);
    await copyOfAppendOne(db, 'bench_no_hash', [NO_HASH]);
    await copyOfAppendOne(db, 'bench_no_head', [NO_HEAD]);
    await copyOfAppendOne(db, 'bench_no_head_no_hash', [NO_HEAD, NO_HASH]);
    await sql
      .raw(
        `create function bench_plpgsql_raw() returns void language plpgsql as $fn$
         begin
           perform pg_advisory_xact_lock(1);
           insert into bench_raw (${RAW_COLUMNS}) values (${rawValues(`nextval('bench_raw_position')`)});
         end $fn$`,
      )
      .execute(db);
    await appendToStreams(database.db, { streams: [{ stream: 'parts-first', expected: 'no-stream', events: [EVENT] }] });
    const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);

    const steps: Step[] = [
      {
        label: 'locked raw INSERT (as bench:store)',
        script: `with l as (select pg_advisory_xact_lock(1)) insert into bench_raw (${RAW_COLUMNS}) select ${rawValues(`nextval('bench_raw_position')`)} from l;\n`,
      },
      { label: 'ledger_append_one as it stands', script: appendScript('ledger_append_one') },
      { label: '  its hash replaced by a constant', script: appendScript('bench_no_hash') },
      { label: '  the head not read', script: appendScript('bench_no_head') },
      { label: '  neither head nor hash', script: appendScript('bench_no_head_no_hash') },
      { label: 'plpgsql: the lock, then the raw INSERT', script: 'select bench_plpgsql_raw();\n' },
    ];
    console.log(`PostgreSQL ${rows[0]!.v}; pgbench, ${CLIENTS} clients, prepared statements, ${ROUNDS} rounds of ${PHASE_S} s per step`);
    const rates: number[][] = steps.map(() => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round starts one step later and odd rounds run backwards, so no step always follows the same one.
      const order = steps.map((_, i) => (round + (round % 2 === 0 ? i : steps.length - 1 - i)) % steps.length);
      for (const i of order) rates[i]!.push(await pgbench(server.url, dir, steps[i]!, `${i}-${round}`));
    }
    const raw = median(rates[0]!);
    const whole = median(rates[1]!);
    steps.forEach((step, i) => {
      const rate = median(rates[i]!);
      const against = i === 0 ? '' : `   ${(rate / raw).toFixed(2)} of raw` + (i >= 2 && i <= 4 ? `, ${(rate / whole).toFixed(2)} of the function` : '');
      console.log(
        `${step.label.padEnd(40)} ${fmt(rate).padStart(6)} tx/s (median; ${fmt(Math.min(...rates[i]!))}-${fmt(Math.max(...rates[i]!))})${against}`,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.close();
    await server.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
