import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  appendToStreams,
  GENESIS_HASH,
  head,
  isInChain,
  readAll,
  verifyChain,
  type StoreDb,
} from '@ledger/event-store';
import { deposit } from './support';

let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db as StoreDb;
});
afterAll(async () => {
  await database.close();
});

/** Changes the journal behind the append-only trigger's back, as only the tables' owner can. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await sql`alter table events disable trigger events_append_only`.execute(db);
  try {
    await statement.execute(db);
  } finally {
    await sql`alter table events enable trigger events_append_only`.execute(db);
  }
}

describe('the hash chain', () => {
  it('starts at the genesis head', async () => {
    expect(await head(db)).toEqual({ position: 0, hash: GENESIS_HASH });
    expect(await verifyChain(db)).toEqual({ ok: true, events: 0, head: { position: 0, hash: GENESIS_HASH } });
    expect(await isInChain(db, { position: 0, hash: GENESIS_HASH })).toBe(true);
  });

  // Each append function reads the head its own way, so each must start an empty journal from the
  // genesis hash; a journal of its own for each.
  it.each([1, 2])('links the first event of an empty journal to the genesis hash (%i event(s) in the append)', async (size) => {
    const empty = await openTestDatabase();
    try {
      const journal = empty.db as StoreDb;
      const appended = await appendToStreams(journal, {
        streams: [{ stream: 'first', expected: 'no-stream', events: Array.from({ length: size }, (_, i) => deposit(`${i}.00`)) }],
      });
      expect(appended.events.map((event) => event.position)).toEqual(Array.from({ length: size }, (_, i) => i + 1));
      const { events } = await readAll(journal);
      expect(events[0]!.prevHash).toBe(GENESIS_HASH);
      expect(await verifyChain(journal)).toEqual({ ok: true, events: size, head: await head(journal) });
    } finally {
      await empty.close();
    }
  });

  it('links every event to the one before and verifies from the start', async () => {
    for (let i = 0; i < 4; i += 1) {
      await appendToStreams(db, {
        streams: [
          { stream: `chain-${i}`, expected: 'no-stream', events: [deposit(`${i}.10`), deposit(`${i}.20`)] },
          { stream: 'chain-shared', expected: 'any', events: [{ type: 'Noted', data: { text: 'ünïcode ✓', n: i } }] },
        ],
      });
      // A single event takes the store's other append function; both must link alike.
      await appendToStreams(db, {
        streams: [{ stream: 'chain-single', expected: i, events: [{ type: 'Noted', data: { text: 'seul ✓', n: i } }] }],
      });
    }
    const current = await head(db);
    expect(current.position).toBe(16);
    const { events } = await readAll(db, { limit: 100 });
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(events[events.length - 1]!.hash).toBe(current.hash);

    // A verifier with small batches must carry the chain across batch boundaries.
    expect(await verifyChain(db, { batchSize: 5 })).toEqual({ ok: true, events: 16, head: current });
  });

  // Many bodies travel to the database as one text, a body per line, and streams as an array literal:
  // line breaks inside strings, names an array literal treats specially, and an event id written in
  // upper case must all come back as they were hashed.
  it('verifies bodies with line breaks, unusual stream names and an upper-case event id', async () => {
    const awkward = ['NULL', 'a,b', 'q"x', 'b\\s', '{x}', 'line\nbreak'];
    const id = '7D444840-9DC0-11D1-B245-5FFDCE74FAD2';
    const appended = await appendToStreams(db, {
      streams: awkward.map((stream, i) => ({
        stream,
        expected: 'no-stream' as const,
        events: [
          { type: 'Noted', data: { text: `one\ntwo\r\nthree \u2028 four "${i}" \\ end` } },
          { type: 'Noted', data: { text: 'second' }, ...(i === 0 ? { eventId: id } : {}) },
        ],
      })),
    });
    expect(appended.events.map((event) => [event.stream, event.version])).toEqual(
      awkward.flatMap((stream) => [[stream, 1], [stream, 2]]),
    );
    expect(appended.events[1]!.eventId).toBe(id.toLowerCase());
    const { events } = await readAll(db, { after: appended.events[0]!.position - 1, limit: 100 });
    expect(events.map((event) => event.stream)).toEqual(awkward.flatMap((stream) => [stream, stream]));
    expect(events[0]!.data).toEqual({ text: 'one\ntwo\r\nthree \u2028 four "0" \\ end' });
    expect(events[1]!.eventId).toBe(id.toLowerCase());
    expect((await verifyChain(db)).ok).toBe(true);

    // An id the database would store in another form than it was hashed in is refused, not appended.
    await expect(
      appendToStreams(db, { streams: [{ stream: 'chain-bad-id', expected: 'any', events: [{ type: 'Noted', data: {}, eventId: '{7d444840-9dc0-11d1-b245-5ffdce74fad2}' }] }] }),
    ).rejects.toThrow(RangeError);
  });

  it('keeps 1-event appends as they were hashed, and refuses a type that could not be kept so', async () => {
    const streams = ['one NULL', 'one\nbreak', 'one "q" \\'];
    for (const [i, stream] of streams.entries()) {
      await appendToStreams(db, {
        streams: [
          { stream, expected: 'no-stream', events: [{ type: `Noté-${i}`, data: { text: `a\nb \u2028 "${i}" \\ é 🙂` }, metadata: { by: 'ü' } }] },
        ],
      });
    }
    const { events } = await readAll(db, { after: (await head(db)).position - streams.length, limit: 10 });
    expect(events.map((event) => [event.stream, event.type, event.data, event.metadata])).toEqual(
      streams.map((stream, i) => [stream, `Noté-${i}`, { text: `a\nb \u2028 "${i}" \\ é 🙂` }, { by: 'ü' }]),
    );
    expect((await verifyChain(db)).ok).toBe(true);

    // A lone surrogate is written into the hashed body as an escape, which the database refuses.
    const before = (await head(db)).position;
    await expect(
      appendToStreams(db, { streams: [{ stream: 'one-lone', expected: 'no-stream', events: [{ type: 'Noted\ud800', data: {} }] }] }),
    ).rejects.toMatchObject({ code: '22P02' });
    expect((await head(db)).position).toBe(before);
  });

  it('answers whether a kept head is still part of the chain', async () => {
    const kept = await head(db);
    expect(await isInChain(db, kept)).toBe(true);
    await appendToStreams(db, { streams: [{ stream: 'chain-later', expected: 'no-stream', events: [deposit('1.00')] }] });
    expect(await isInChain(db, kept)).toBe(true);
    expect(await isInChain(db, { position: kept.position, hash: 'f'.repeat(64) })).toBe(false);
    expect(await isInChain(db, { position: kept.position + 100, hash: kept.hash })).toBe(false);
    expect(await isInChain(db, { position: 0, hash: 'f'.repeat(64) })).toBe(false);
  });

  it('names exactly the position whose content was altered behind the trigger', async () => {
    const before = await verifyChain(db);
    expect(before.ok).toBe(true);
    const kept = await head(db);
    const original = (await readAll(db, { after: 4, limit: 1 })).events[0]!;
    expect(original.position).toBe(5);

    await tamper(sql`update events set data = jsonb_set(data, '{amount}', '"999.99"') where position = 5`);
    const result = await verifyChain(db, { batchSize: 3 });
    expect(result).toMatchObject({ ok: false, brokenAt: 5, events: 4 });
    // The stored hashes were left alone, so a head kept by a client still matches: only the
    // verifier notices the content change, which is why it has to run over the whole journal.
    expect(await isInChain(db, kept)).toBe(true);

    await tamper(sql`update events set data = ${JSON.stringify(original.data)}::jsonb where position = 5`);
    expect(await verifyChain(db)).toEqual(before);
  });

  it('names a position whose stored hash was rewritten', async () => {
    const before = await verifyChain(db);
    await tamper(sql`update events set hash = ${'a'.repeat(64)} where position = 8`);
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 8 });
    expect(await isInChain(db, { position: 8, hash: 'a'.repeat(64) })).toBe(true);
    const original = (await readAll(db, { after: 8, limit: 1 })).events[0]!.prevHash;
    await tamper(sql`update events set hash = ${original} where position = 8`);
    expect(await verifyChain(db)).toEqual(before);
  });

  it('names a deleted row in the middle', async () => {
    const kept = await head(db);
    await tamper(sql`delete from events where position = 7`);
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 7, events: 6 });
    expect(await isInChain(db, kept)).toBe(true);
    expect(await isInChain(db, { position: 7, hash: kept.hash })).toBe(false);
  });
});
