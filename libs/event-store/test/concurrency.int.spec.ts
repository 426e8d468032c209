import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  appendToStreams,
  ConcurrencyError,
  head,
  lockAppends,
  readAll,
  readStream,
  streamVersion,
  verifyChain,
  type StoreDb,
} from '@ledger/event-store';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { translateAppendError } from '../src/errors';
import { countEvents, deposit, rejection, warmPool } from './support';

// On PostgreSQL the pool must hold every writer at once, or the "concurrent" appends would queue
// for connections in the client and the database would never see them race.
let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase({ poolSize: 25 });
  db = database.db as StoreDb;
});
afterAll(async () => {
  await database.close();
});

describe('optimistic concurrency', () => {
  // A stream's first event and a later one: the loser's error names the stream either way.
  // One event and two: the two append functions check expectations each their own way.
  it.each([
    ['no stream yet', 0, 1],
    ['an exact version', 3, 1],
    ['no stream yet', 0, 2],
    ['an exact version', 3, 2],
  ])('lets exactly one of 20 concurrent appends expecting %s (%i) through, %i event(s) each', async (_, version, size) => {
    const stream = `account-race-${version}-${size}`;
    if (version > 0) {
      await appendToStreams(db, {
        streams: [{ stream, expected: 'no-stream', events: Array.from({ length: version }, () => deposit('1.00')) }],
      });
    }
    await warmPool(db, 20);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, writer) =>
        appendToStreams(db, {
          streams: [
            {
              stream,
              expected: version === 0 ? 'no-stream' : version,
              events: Array.from({ length: size }, () => deposit('1.00', `w${writer}`)),
            },
          ],
        }),
      ),
    );
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const reason of rejected) {
      expect(reason).toBeInstanceOf(ConcurrencyError);
      expect((reason as ConcurrencyError).stream).toBe(stream);
    }
    expect(await readStream(db, stream)).toHaveLength(version + size);
    expect(await streamVersion(db, stream)).toBe(version + size);
  });

  it('lets a tailing reader see every position exactly once, in order, while 4 writers append', async () => {
    const writers = 4;
    const perWriter = 2000;
    const total = writers * perWriter;
    const start = (await head(db)).position;
    await warmPool(db, writers + 1);

    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let after = start;
      // Poll until the writers are done and one more read finds nothing new, so the last commits
      // are not missed by a read that started just before them.
      for (;;) {
        const finished = !writing;
        const page = await readAll(db, { after, limit: 250 });
        for (const event of page.events) seen.push(event.position);
        if (page.events.length > 0) after = page.next ?? page.events[page.events.length - 1]!.position;
        else if (finished) return;
        else await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const results = await Promise.allSettled(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < perWriter; i += 1) {
          // Half the writers share streams, so their appends contend for the same versions too; the
          // other half expect exact versions of their own streams, which 1-event appends make
          // another way (two statements in one round trip, not a function).
          const own = writer % 2 === 1;
          await appendToStreams(db, {
            streams: [
              own
                ? { stream: `tail-own-${writer}`, expected: i === 0 ? 'no-stream' : i, events: [deposit('0.01', `${writer}:${i}`)] }
                : { stream: `tail-${(writer + i) % 8}`, expected: 'any', events: [deposit('0.01', `${writer}:${i}`)] },
            ],
          });
        }
      }),
    );
    writing = false;
    await reader;

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(seen).toHaveLength(total);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => start + i + 1));
    expect((await head(db)).position).toBe(start + total);
    // Each event links to the one before it in position order, and its hash covers what was stored.
    expect((await verifyChain(db)).ok).toBe(true);
  });
});

describe('expectations', () => {
  it("refuses 'no-stream' on a stream that exists", async () => {
    await appendToStreams(db, { streams: [{ stream: 'exists', expected: 'no-stream', events: [deposit('1.00')] }] });
    const error = await rejection(
      appendToStreams(db, { streams: [{ stream: 'exists', expected: 'no-stream', events: [deposit('2.00')] }] }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(await streamVersion(db, 'exists')).toBe(1);
  });

  it('refuses an expectation ahead of the stream and names the stream', async () => {
    await appendToStreams(db, { streams: [{ stream: 'ahead', expected: 'no-stream', events: [deposit('1.00')] }] });
    const error = await rejection(
      appendToStreams(db, { streams: [{ stream: 'ahead', expected: 3, events: [deposit('2.00')] }] }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe('ahead');
    expect(await streamVersion(db, 'ahead')).toBe(1);
  });

  it('refuses an expectation behind the stream', async () => {
    await appendToStreams(db, {
      streams: [{ stream: 'behind', expected: 'no-stream', events: [deposit('1.00'), deposit('2.00')] }],
    });
    const error = await rejection(
      appendToStreams(db, { streams: [{ stream: 'behind', expected: 1, events: [deposit('3.00')] }] }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe('behind');
    expect(await streamVersion(db, 'behind')).toBe(2);
  });

  // The last guard, the unique key on (stream, version), speaks only for appends whose snapshot
  // predates the lock, which a test cannot stage on PGlite's single connection; so the key is broken
  // directly, and the translation is checked on what each driver really reports.
  it('reports a version the unique key refused as a ConcurrencyError naming the stream', async () => {
    await appendToStreams(db, { streams: [{ stream: 'guarded', expected: 'no-stream', events: [deposit('1.00')] }] });
    const refused = await rejection(sql`
      insert into events (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select position + 1000000, gen_random_uuid(), stream, version, type, data, metadata, recorded_at, prev_hash, hash
        from events where stream = 'guarded'`.execute(db));
    const error = translateAppendError(refused, undefined, 'guarded');
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe('guarded');
    // A request over several streams names none; the database's detail does.
    const unnamed = translateAppendError(refused, undefined);
    expect(unnamed).toBeInstanceOf(ConcurrencyError);
    expect((unnamed as ConcurrencyError).stream).toBe('guarded');
    expect(await streamVersion(db, 'guarded')).toBe(1);
  });

  it('refuses an expectation ahead of the stream in a request of several events, appending nothing', async () => {
    await appendToStreams(db, { streams: [{ stream: 'ahead-many', expected: 'no-stream', events: [deposit('1.00')] }] });
    const before = await countEvents(db);
    const error = await rejection(
      appendToStreams(db, {
        streams: [
          { stream: 'ahead-many-other', expected: 'no-stream', events: [deposit('1.00')] },
          { stream: 'ahead-many', expected: 2, events: [deposit('2.00'), deposit('3.00')] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe('ahead-many');
    expect(await countEvents(db)).toBe(before);
    expect(await streamVersion(db, 'ahead-many')).toBe(1);
  });

  it.each([1, 2])('refuses a stale expectation on the first use of an idempotency key (%i event(s))', async (size) => {
    await appendToStreams(db, { streams: [{ stream: `keyed-stale-${size}`, expected: 'no-stream', events: [deposit('1.00')] }] });
    const error = await rejection(
      appendToStreams(db, {
        idempotencyKey: `keyed-stale-${size}`,
        streams: [{ stream: `keyed-stale-${size}`, expected: 'no-stream', events: Array.from({ length: size }, () => deposit('2.00')) }],
      }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe(`keyed-stale-${size}`);
    expect(await streamVersion(db, `keyed-stale-${size}`)).toBe(1);
  });

  it("counts a stream's first expectation when a request names the stream twice", async () => {
    const appended = await appendToStreams(db, {
      streams: [
        { stream: 'twice', expected: 'no-stream', events: [deposit('1.00')] },
        { stream: 'twice-other', expected: 'any', events: [deposit('1.00')] },
        { stream: 'twice', expected: 7, events: [deposit('2.00')] },
      ],
    });
    expect(appended.events.map((event) => [event.stream, event.version])).toEqual([
      ['twice', 1],
      ['twice-other', 1],
      ['twice', 2],
    ]);
    const stale = await rejection(
      appendToStreams(db, {
        streams: [
          { stream: 'twice', expected: 1, events: [deposit('3.00')] },
          { stream: 'twice', expected: 2, events: [deposit('4.00')] },
        ],
      }),
    );
    expect(stale).toBeInstanceOf(ConcurrencyError);
    expect(await streamVersion(db, 'twice')).toBe(2);
  });

  // The race the unique key decides, staged rather than left to chance: an append whose expectation
  // held when it was checked waits for the lock while another append moves the stream and commits.
  // Two appends at once need a server; PGlite has one connection and never interleaves them.
  it.each([
    ['one event', [{ stream: 'staged-1', expected: 1, events: [deposit('2.00')] }]],
    ['events to two streams', [{ stream: 'staged-other', expected: 'any', events: [deposit('2.00')] }, { stream: 'staged-2', expected: 1, events: [deposit('2.00')] }]],
  ] as const)('refuses, through the unique key, a stream that moved while the append waited for the lock (%s)', async (_, streams) => {
    if (database.url === undefined) {
      expect(database.kind).toBe('pglite');
      return;
    }
    const target = streams[streams.length - 1]!.stream;
    await appendToStreams(db, { streams: [{ stream: target, expected: 'no-stream', events: [deposit('1.00')] }] });
    const before = await countEvents(db);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const mover = db.transaction().execute(async (trx) => {
      await lockAppends(trx);
      holding();
      await released;
      await appendToStreams(trx, { streams: [{ stream: target, expected: 1, events: [deposit('9.00')] }] });
    });
    await held;
    const waiter = rejection(appendToStreams(db, { streams }));
    // Let it pass its check and wait on the lock before the stream moves.
    for (let tries = 0; ; tries += 1) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(db);
      if (rows[0]!.n > 0) break;
      if (tries > 500) throw new Error('the second append never waited for the lock');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await mover;
    const error = await waiter;
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).stream).toBe(target);
    expect(await countEvents(db)).toBe(before + 1);
    expect(await streamVersion(db, target)).toBe(2);
    expect((await readStream(db, target)).map((event) => event.data)).toEqual([{ amount: '1.00', note: 'test' }, { amount: '9.00', note: 'test' }]);
  });

  it('appends to several streams atomically: a stale second expectation appends nothing on the first', async () => {
    await appendToStreams(db, {
      streams: [
        { stream: 'multi-a', expected: 'no-stream', events: [deposit('1.00')] },
        { stream: 'multi-b', expected: 'no-stream', events: [deposit('1.00'), deposit('2.00')] },
      ],
    });
    const before = await countEvents(db);
    const headBefore = await head(db);

    const error = await rejection(
      appendToStreams(db, {
        streams: [
          { stream: 'multi-a', expected: 1, events: [deposit('5.00')] },
          { stream: 'multi-b', expected: 1, events: [deposit('6.00')] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(await streamVersion(db, 'multi-a')).toBe(1);
    expect(await streamVersion(db, 'multi-b')).toBe(2);
    expect(await countEvents(db)).toBe(before);
    expect(await head(db)).toEqual(headBefore);

    // With both expectations right, both streams move in one append, at consecutive positions.
    const ok = await appendToStreams(db, {
      streams: [
        { stream: 'multi-a', expected: 1, events: [deposit('5.00')] },
        { stream: 'multi-b', expected: 2, events: [deposit('6.00')] },
      ],
    });
    expect(ok.events.map((event) => [event.stream, event.version, event.position])).toEqual([
      ['multi-a', 2, headBefore.position + 1],
      ['multi-b', 3, headBefore.position + 2],
    ]);
  });
});

describe('the many-event function', () => {
  // The client always sends parts that agree; the database still refuses any that do not, rather
  // than append events without a stream or streams without events.
  it('refuses a request whose streams, expectations, counts and bodies do not add up', async () => {
    const body = (n: number) => `{"data":{"amount":"${n}.00"},"eventId":"${randomUUID()}","metadata":{},"type":"Deposited"}`;
    const calls: [string, (string | null)[], (number | null)[], (number | null)[], string][] = [
      ['more bodies than counted', ['parts'], [null], [1], `${body(1)}\n${body(2)}`],
      ['fewer bodies than counted', ['parts'], [null], [3], `${body(1)}\n${body(2)}`],
      ['a stream without events', ['parts', 'parts-b'], [null, null], [2, 0], `${body(1)}\n${body(2)}`],
      ['a missing count', ['parts'], [null], [null], body(1)],
      ['a missing count beside counts that add up', ['parts', 'parts-b'], [null, null], [null, 2], `${body(1)}\n${body(2)}`],
      ['a missing stream', [null, 'parts-b'], [null, null], [1, 1], `${body(1)}\n${body(2)}`],
      ['a missing expectation slot', ['parts', 'parts-b'], [null], [1, 1], `${body(1)}\n${body(2)}`],
      ['no stream', [], [], [], body(1)],
    ];
    for (const [what, streams, expected, counts, bodies] of calls) {
      const error = await rejection(
        sql`select * from ledger_append_batch(${streams}::text[], ${expected}::integer[], ${counts}::integer[], ${bodies}, null, null)`.execute(db),
      );
      expect([what, (error as { code?: string }).code]).toEqual([what, '22023']);
    }
  });
});
