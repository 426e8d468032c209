// Throughput of the event store against raw INSERTs of the same rows, measured in one run on one
// server, the database's own work per ledger_append_one() call against the raw INSERT's, then the
// cost of reading a journal of a million events back:
//   npm run bench:store            (DATABASE_URL names the server; its database is left alone)
// It creates the database ledger_bench_store, drops it first if a previous run left it, and drops it
// at the end. BENCH_PHASE_MS sets each timed phase, BENCH_TOTAL_EVENTS the journal read back. Each
// throughput ratio comes with the median and range of the ratios of its slices, to show how much one
// run says. BENCH_COMPARE_IDS=1 adds, on the full journal, appends with the ids the store makes
// (version 7) against appends whose callers give random (version 4) ids.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '@ledger/db';
import { createServerDatabase } from '@ledger/testing';
import { appendToStreams, head, iterateAll, newEventId, type EventStoreTables } from '@ledger/event-store';
import { bodyWithRandomIdSql, createRawTable, event, fmt, HASH, lockedRawInsertSql, median, RAW_COLUMNS, rawBody } from './common';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'ledger_bench_store';
// Each step's time in a comparison. On the 2-core machine this runs on, 3 s gave ratios that moved by
// 0.1 from run to run; 6 s halves the spread.
const PHASE_MS = Number(process.env['BENCH_PHASE_MS'] ?? 6000);
const SLICE_MS = 500;
const TOTAL_EVENTS = Number(process.env['BENCH_TOTAL_EVENTS'] ?? 1_000_000);

type Db = Kysely<EventStoreTables>;

type Step = (writer: number, round: number) => Promise<number>;

/** Runs `writers` loops of `step` for `ms`; returns events written and seconds taken. */
async function run(writers: number, step: Step, ms: number): Promise<{ events: number; seconds: number }> {
  let events = 0;
  const started = process.hrtime.bigint();
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let round = 0; Date.now() < until; round += 1) {
        const written = await step(writer, round);
        events += written;
      }
    }),
  );
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Events per second of each step with `writers` concurrent loops. The steps take turns in short
 * slices, PHASE_MS each in all, so a change in the machine's load or the disk's flush time during the
 * run weighs on all of them alike instead of on whichever happened to run then.
 */
async function compare(writers: number, steps: Step[]): Promise<Rates[]> {
  for (const step of steps) await run(writers, step, 200); // warm-up: connections, plans
  // Slices of about SLICE_MS, their number a multiple of 6 so that the orders below come round evenly.
  const rounds = 6 * Math.max(1, Math.round(PHASE_MS / SLICE_MS / 6));
  const totals = steps.map(() => ({ events: 0, seconds: 0 }));
  const slices: number[][] = steps.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    // Rounds go in pairs, the second running the first's order backwards, and each pair starts one
    // step later: with two or three steps each follows each other one equally often (a step that
    // writes fast leaves the next one its checkpoint and WAL to absorb).
    for (let turn = 0; turn < steps.length; turn += 1) {
      const offset = round % 2 === 0 ? turn : steps.length - 1 - turn;
      const i = (Math.floor(round / 2) + offset) % steps.length;
      const step = steps[i]!;
      const { events, seconds } = await run(writers, step, PHASE_MS / rounds);
      totals[i]!.events += events;
      totals[i]!.seconds += seconds;
      slices[i]![round] = events / seconds;
    }
  }
  return totals.map(({ events, seconds }, i) => ({ rate: events / seconds, slices: slices[i]! }));
}

/** A step's events per second over the whole phase, and in each of its slices (round by round). */
interface Rates {
  rate: number;
  slices: number[];
}

/**
 * How far one run's ratio can be trusted: the ratios of the slices the two steps ran in the same
 * round, their median and their range. On a 2-core machine that also runs the database, the spread
 * of single slices is wide, and a ratio's second decimal is within it.
 */
function sliceSpread(store: Rates, baseline: Rates): string {
  const ratios = store.slices.map((rate, round) => rate / baseline.slices[round]!).sort((a, b) => a - b);
  return `slices: median ${median(ratios).toFixed(2)}, ${ratios[0]!.toFixed(2)}-${ratios[ratios.length - 1]!.toFixed(2)} over ${ratios.length}`;
}

// The raw baseline (common.ts). Its timed INSERTs make event ids as the store does (newEventId), so
// they write the same rows.
const columns = sql.raw(RAW_COLUMNS);

async function rawInsert(db: Db, locked: boolean, i: number): Promise<number> {
  const { type, data, metadata } = rawBody(i);
  const stream = `raw-${randomUUID()}`;
  if (locked) {
    await sql`
      with l as (select pg_advisory_xact_lock(1))
      insert into bench_raw (${columns})
      select nextval('bench_raw_position'), ${newEventId()}, ${stream}, 1, ${type}, ${data}::jsonb, ${metadata}::jsonb,
             clock_timestamp(), ${HASH}, ${HASH}
        from l`.execute(db);
  } else {
    await sql`
      insert into bench_raw (${columns})
      values (nextval('bench_raw_position'), ${newEventId()}, ${stream}, 1, ${type}, ${data}::jsonb, ${metadata}::jsonb,
              clock_timestamp(), ${HASH}, ${HASH})`.execute(db);
  }
  return 1;
}

async function rawInsertMany(db: Db, count: number): Promise<number> {
  const stream = `raw-${randomUUID()}`;
  const rows = Array.from({ length: count }, (_, i) => {
    const { type, data, metadata } = rawBody(i);
    return sql`(nextval('bench_raw_position'), ${newEventId()}, ${stream}, ${i + 1}, ${type}, ${data}::jsonb,
                ${metadata}::jsonb, clock_timestamp(), ${HASH}, ${HASH})`;
  });
  await sql`
    insert into bench_raw (${columns})
    values ${sql.join(rows)}`.execute(db);
  return count;
}

const WORK_CALLS = 20_000;

/**
 * Microseconds of database time per call of ledger_append_one() and of the raw locked INSERT, each
 * called WORK_CALLS times from a PL/pgSQL loop in one transaction: no network, one commit for the
 * whole loop, no other client. The loops differ only in the statement, so their overhead is shared;
 * both make random ids (gen_random_uuid(): PostgreSQL 15 has no version 7 generator). The rows are
 * kept: rolled back, they would leave dead index entries where the next round appends. The store
 * calls the function for 1-event appends with an idempotency key or the 'any' expectation; it makes
 * the usual ones, as this loop's, with two statements sent in one round trip (appendToStreams),
 * which a DO block cannot send as the client does.
 */
async function workPerAppend(db: Db): Promise<number[]> {
  const stream = `'work-' || r || '-' || i`;
  const loops = [
    `perform * from ledger_append_one(${stream}, 0, ${bodyWithRandomIdSql()}, null, null);`,
    `${lockedRawInsertSql(stream)};`,
  ];
  const timings = loops.map(() => 0);
  for (let round = 0; round < 4; round += 1) {
    for (const [i, statement] of loops.entries()) {
      const started = process.hrtime.bigint();
      await sql.raw(`do $$ declare r int := ${round}; begin for i in 1 .. ${WORK_CALLS} loop ${statement} end loop; end $$`).execute(db);
      if (round > 0) timings[i]! += Number(process.hrtime.bigint() - started) / 1e3; // the first round warms up
    }
  }
  return timings.map((total) => total / (3 * WORK_CALLS));
}

/**
 * Appends to one stream per writer, each append expecting the version it last saw. With randomIds the
 * caller gives each event a random (version 4) id instead of leaving the id to the store.
 */
function storeAppender(db: Db, size: number, prefix: string, randomIds = false): (writer: number, round: number) => Promise<number> {
  const versions = new Map<string, number>();
  return async (writer) => {
    const stream = `${prefix}-${writer}`;
    const version = versions.get(stream) ?? 0;
    await appendToStreams(db, {
      streams: [
        {
          stream,
          expected: version === 0 ? 'no-stream' : version,
          events: Array.from({ length: size }, (_, i) => (randomIds ? { ...event(version + i), eventId: randomUUID() } : event(version + i))),
        },
      ],
    });
    versions.set(stream, version + size);
    return size;
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const server = await createServerDatabase(SERVER_URL, DATABASE, { replace: true });
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 16 });
  const db = database.db as Db;
  try {
    await migrateToLatest(db);
    await createRawTable(db);
    const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
    console.log(`PostgreSQL ${rows[0]!.v}; each timed phase ${PHASE_MS} ms`);

    const row = (label: string, store: Rates, baseline: Rates) => {
      console.log(
        `${label.padEnd(34)} store ${fmt(store.rate).padStart(9)} ev/s   baseline ${fmt(baseline.rate).padStart(9)} ev/s   ` +
          `ratio ${(store.rate / baseline.rate).toFixed(2)} (${sliceSpread(store, baseline)})`,
      );
    };

    for (const writers of [1, 8]) {
      const [plain, locked, store] = await compare(writers, [
        (_, i) => rawInsert(db, false, i),
        (_, i) => rawInsert(db, true, i),
        storeAppender(db, 1, `one-${writers}`),
      ]);
      console.log(`raw 1-row INSERT, ${writers} client(s): plain ${fmt(plain!.rate)} rows/s, with advisory lock ${fmt(locked!.rate)} rows/s`);
      row(`1-event appends, ${writers} writer(s) vs locked`, store!, locked!);
      row(`1-event appends, ${writers} writer(s) vs plain`, store!, plain!);
    }
    for (const writers of [1, 8]) {
      const [raw, store] = await compare(writers, [() => rawInsertMany(db, 100), storeAppender(db, 100, `hundred-${writers}`)]);
      row(`100-event appends, ${writers} writer(s)`, store!, raw!);
    }

    // Throughput under contention also counts the commit's flush, the lock's hand-over and whatever
    // else the machine runs; the database's own work per append, timed alone, says what the store
    // adds to an INSERT.
    const [storeWork, rawWork] = await workPerAppend(db);
    console.log(
      `work per ledger_append_one call, ${WORK_CALLS} in one transaction: function ${storeWork!.toFixed(1)} µs, ` +
        `raw locked INSERT ${rawWork!.toFixed(1)} µs, ratio ${(rawWork! / storeWork!).toFixed(2)}`,
    );

    // Fill the journal to TOTAL_EVENTS with 1000-event appends from 4 writers.
    const fillStarted = Date.now();
    let current = (await head(db)).position;
    const fill = storeAppender(db, 1000, 'fill');
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        while (current < TOTAL_EVENTS) {
          const appended = await fill(writer, 0);
          current += appended;
        }
      }),
    );
    const total = (await head(db)).position;
    const fillSeconds = (Date.now() - fillStarted) / 1000;
    console.log(`filled the journal to ${fmt(total)} events in ${fillSeconds.toFixed(1)} s`);

    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = process.hrtime.bigint();
    let read = 0;
    let last = 0;
    for await (const recorded of iterateAll(db)) {
      if (recorded.position !== last + 1) throw new Error(`iterateAll skipped from ${last} to ${recorded.position}`);
      last = recorded.position;
      read += 1;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `iterateAll over ${fmt(read)} events: ${fmt(read / seconds)} ev/s in ${seconds.toFixed(1)} s; ` +
        `RSS ${mb(rssBefore)} before, peak ${mb(peak)} while reading; process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );

    if (process.env['BENCH_COMPARE_IDS'] === '1') {
      for (const [size, writers] of [[100, 1], [100, 8], [1, 8]] as const) {
        const [random, made] = await compare(writers, [
          storeAppender(db, size, `random-ids-${size}-${writers}`, true),
          storeAppender(db, size, `made-ids-${size}-${writers}`),
        ]);
        row(`${size}-event, ${writers} writer(s), made vs random ids`, made!, random!);
      }
    }
  } finally {
    await database.close();
    await server.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
