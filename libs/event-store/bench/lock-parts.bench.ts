// Where the time of a 1-event append under the append lock goes, measured with pgbench instead of
// Node's client: pgbench runs each of these steps in turn for a few seconds, in rounds, and prints
// each step's median rate and the CPU it cost:
//   - the raw baseline's locked INSERT (the statement bench:store times, with a random event id);
//   - ledger_append_one as it stands;
//   - copies of it made from its definition in the migrated database (pg_get_functiondef), with the
//     hash, the head read or both taken out, so they follow later migrations (if a part is no longer
//     where a copy expects it, the run stops and says which);
//   - a plpgsql function that takes the lock and makes the raw baseline's INSERT.
// Every append expects the version the client's last one returned and has no idempotency key.
//   npm run bench:lock-parts       (DATABASE_URL names the server; its database is left alone)
// It creates the database ledger_bench_lock_parts, dropping one a previous run left, and drops it at
// the end. BENCH_CLIENTS sets the clients (8), BENCH_PHASE_S each run's whole seconds (3),
// BENCH_ROUNDS the rounds (6, one per step: see stepOrder). BENCH_SIDE_LOAD, a share of one core
// (0.25, say, about what bench:store's Node client takes), keeps a process beside pgbench spinning
// for that share of the time; the run prints the share it got. The CPU per transaction is the whole
// machine's busy time (os.cpus(): the server, pgbench, any side load, and whatever else runs; not
// softirq time) over each pgbench run, its connecting and disconnecting included (a few µs per
// transaction), divided by the transactions it made; the median over the rounds. Needs pgbench,
// which comes with PostgreSQL. Every event id here is random (gen_random_uuid()): PostgreSQL 15 has
// no version 7 generator, and pgbench cannot make one.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '@ledger/db';
import { createServerDatabase } from '@ledger/testing';
import { appendToStreams } from '@ledger/event-store';
import { bodyWithRandomIdSql, createRawTable, event, fmt, HASH, literal, lockedRawInsertSql, median, RAW_COLUMNS, rawValuesSql } from './common';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'ledger_bench_lock_parts';
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const PHASE_S = Number(process.env['BENCH_PHASE_S'] ?? 3);
const SIDE_LOAD = Number(process.env['BENCH_SIDE_LOAD'] ?? 0);
if (!(SIDE_LOAD >= 0 && SIDE_LOAD < 1)) {
  console.error(`BENCH_SIDE_LOAD must be a share of one core, at least 0 and below 1; got ${process.env['BENCH_SIDE_LOAD']}`);
  process.exit(1);
}

const run = promisify(execFile);

/** One part of ledger_append_one's definition and what its copy puts in its place. */
interface Cut {
  part: RegExp;
  replacement: string;
}

// ledger_chain_hash(): the recording time written as text, the link's text put together, SHA-256.
const NO_HASH: Cut = { part: /ledger_chain_hash\([^()]*\)/, replacement: literal(HASH) };
// Positions from a sequence of negative numbers, so they never meet the real function's, which keep
// following the journal's head (an event appended before any round keeps it positive). They go in
// at the primary key's left end, which PostgreSQL fills less cheaply than its right end, so what
// this copy gains is, if anything, understated.
const NO_HEAD: Cut = {
  part: /from ledger_head\(\) as h/,
  replacement: `from (select nextval('bench_parts_position') as head_position, ${literal(HASH)} as head_hash) as h`,
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

/** A process beside pgbench that keeps a share of one core busy (BENCH_SIDE_LOAD). */
interface SideLoad {
  /** Stops it and returns the share of a core it used. */
  stop(): Promise<number>;
  /** Ends it without asking (on an error). */
  kill(): void;
}

/**
 * Starts a process that spins in short bursts and sleeps between them (a sleep lasts at least a
 * millisecond, so the bursts grow with the share), keeping its spinning at `share` of the time since
 * it started, so that it takes a core from the server now and then as a busy client does. When its
 * stdin closes (stop(), or this process ending any way at all) it writes the share of a core it used
 * and exits.
 */
function startSideLoad(share: number): SideLoad {
  const burstNs = Math.round(Math.max(0.5, (2 * share) / (1 - share)) * 1e6);
  const program = `
    const now = process.hrtime.bigint;
    const started = now();
    let busy = 0n;
    const tick = () => {
      const from = now();
      while (Number(busy + (now() - from)) < ${share} * Number(now() - started) && now() - from < ${burstNs}n);
      busy += now() - from;
      setTimeout(tick, 1);
    };
    process.stdin.on('close', () => {
      const { user, system } = process.cpuUsage();
      process.stdout.write(String(((user + system) * 1000) / Number(now() - started)), () => process.exit(0));
    });
    process.stdin.resume();
    tick();`;
  const child = spawn(process.execPath, ['-e', program], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await closed;
      const used = Number(output);
      if (output === '' || !Number.isFinite(used)) throw new Error(`the side load ended without saying what it used (exit ${child.exitCode ?? child.signalCode})`);
      return used;
    },
    kill: () => child.kill(),
  };
}

interface Step {
  label: string;
  script: string;
  /** A copy of ledger_append_one, also compared with the function as it stands. */
  copy?: boolean;
}

/** Appends to one stream per client, each append expecting the version the last one returned. */
function appendScript(fn: string): string {
  return `select r_versions as v from ${fn}('parts-' || :r || '-' || :client_id, :v, ${bodyWithRandomIdSql()}, null, null) \\gset\n`;
}

const RAW_STREAM = `'raw-' || gen_random_uuid()`;

/**
 * The order of the steps in each round: a Williams square, in which over `steps` rounds (an even
 * number) every step follows every other step exactly once, so no step always inherits the same
 * neighbour's checkpoint and WAL. More rounds repeat the square.
 */
function stepOrder(steps: number, round: number): number[] {
  const first = Array.from({ length: steps }, (_, j) => (j % 2 === 1 ? (j + 1) / 2 : (steps - j / 2) % steps));
  return first.map((step) => (step + round) % steps);
}

/** Milliseconds all the machine's cores have spent busy since it started. */
const busyMs = () => cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);

interface Run {
  /** Transactions per second. */
  rate: number;
  /** µs of CPU the whole machine spent per transaction: the server, pgbench and any side load. */
  cpu: number;
}

/** One pgbench run of `step`. */
async function pgbench(url: string, dir: string, step: Step, tag: string): Promise<Run> {
  const file = join(dir, 'step.sql');
  writeFileSync(file, step.script);
  const args = ['-n', '-M', 'prepared', '-c', String(CLIENTS), '-j', '2', '-T', String(PHASE_S), '-D', `r=${tag}`, '-D', 'v=0', '-f', file, url];
  let stdout: string;
  const busyBefore = busyMs();
  try {
    ({ stdout } = await run('pgbench', args));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('bench:lock-parts needs pgbench on the PATH (it comes with PostgreSQL)');
    throw new Error(`pgbench failed on "${step.label}": ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  const busy = busyMs() - busyBefore;
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  const tps = /tps = ([\d.]+)/.exec(stdout);
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
  if (tps === null || processed === null || (failed !== null && failed[1] !== '0')) {
    throw new Error(`pgbench on "${step.label}" reported:\n${stdout}`);
  }
  return { rate: Number(tps[1]), cpu: (busy * 1000) / Number(processed[1]) };
}

async function main(): Promise<void> {
  const server = await createServerDatabase(SERVER_URL, DATABASE, { replace: true });
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
  const db = database.db as Kysely<unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'lock-parts-'));
  let sideLoad: SideLoad | undefined;
  try {
    await migrateToLatest(db);
    await createRawTable(db);
    await sql`create sequence bench_parts_position minvalue -9000000000000000000 start with -9000000000000000000`.execute(db);
    await copyOfAppendOne(db, 'bench_no_hash', [NO_HASH]);
    await copyOfAppendOne(db, 'bench_no_head', [NO_HEAD]);
    await copyOfAppendOne(db, 'bench_no_head_no_hash', [NO_HEAD, NO_HASH]);
    await sql
      .raw(
        `create function bench_plpgsql_raw() returns void language plpgsql as $fn$
         begin
           perform pg_advisory_xact_lock(1);
           insert into bench_raw (${RAW_COLUMNS}) values (${rawValuesSql(RAW_STREAM)});
         end $fn$`,
      )
      .execute(db);
    await appendToStreams(database.db, { streams: [{ stream: 'parts-first', expected: 'no-stream', events: [event(1)] }] });
    const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);

    const steps: Step[] = [
      {
        label: 'locked raw INSERT',
        script: `${lockedRawInsertSql(RAW_STREAM)};\n`,
      },
      { label: 'ledger_append_one as it stands', script: appendScript('ledger_append_one') },
      { label: '  its hash a constant', script: appendScript('bench_no_hash'), copy: true },
      { label: '  the head not read', script: appendScript('bench_no_head'), copy: true },
      { label: '  neither head nor hash', script: appendScript('bench_no_head_no_hash'), copy: true },
      { label: 'plpgsql: the lock, then the raw INSERT', script: 'select bench_plpgsql_raw();\n' },
    ];
    const rounds = Number(process.env['BENCH_ROUNDS'] ?? steps.length);
    console.log(
      `PostgreSQL ${rows[0]!.v}; pgbench, ${CLIENTS} clients, prepared statements, ${rounds} rounds of ${PHASE_S} s per step` +
        (SIDE_LOAD > 0 ? `, a side load of ${SIDE_LOAD} of a core` : ''),
    );
    sideLoad = SIDE_LOAD > 0 ? startSideLoad(SIDE_LOAD) : undefined; // started before the warm-up, so its own start is not timed
    for (const [i, step] of steps.entries()) await pgbench(server.url, dir, step, `warm-${i}`); // untimed: plans, caches
    const rates: number[][] = steps.map(() => []);
    const cpu: number[][] = steps.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      for (const i of stepOrder(steps.length, round)) {
        const measured = await pgbench(server.url, dir, steps[i]!, `${i}-${round}`);
        rates[i]!.push(measured.rate);
        cpu[i]!.push(measured.cpu);
      }
    }
    if (sideLoad) {
      console.log(`side load: ${(await sideLoad.stop()).toFixed(2)} of a core (asked for ${SIDE_LOAD})`);
      sideLoad = undefined;
    }
    const raw = median(rates[0]!);
    const whole = median(rates[1]!);
    steps.forEach((step, i) => {
      const rate = median(rates[i]!);
      const against = i === 0 ? '' : `   ${(rate / raw).toFixed(2)} of raw` + (step.copy ? `, ${(rate / whole).toFixed(2)} of the function` : '');
      console.log(
        `${step.label.padEnd(40)} ${fmt(rate).padStart(6)} tx/s (median; ${fmt(Math.min(...rates[i]!))}-${fmt(Math.max(...rates[i]!))})` +
          `   ${fmt(median(cpu[i]!)).padStart(4)} µs CPU/tx${against}`,
      );
    });
    console.log('CPU/tx: the median of the whole machine\'s busy time per transaction, pgbench and any side load included');
  } finally {
    sideLoad?.kill();
    rmSync(dir, { recursive: true, force: true });
    await database.close();
    await server.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
