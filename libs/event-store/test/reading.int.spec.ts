import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  appendToStreams,
  head,
  iterateAll,
  readAll,
  readEvent,
  readStream,
  streamVersion,
  type RecordedEvent,
  type StoreDb,
} from '@ledger/event-store';
import { deposit } from './support';

let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db as StoreDb;
  // Two streams interleaved in the global order: a, b, a, b, ... 10 events each.
  for (let i = 1; i <= 10; i += 1) {
    await appendToStreams(db, {
      streams: [
        { stream: 'read-a', expected: i - 1 === 0 ? 'no-stream' : i - 1, events: [deposit(`${i}.00`, 'a')] },
        { stream: 'read-b', expected: 'any', events: [deposit(`${i}.50`, 'b')] },
      ],
    });
  }
});
afterAll(async () => {
  await database.close();
});

async function collect(iterator: AsyncIterable<RecordedEvent>): Promise<number[]> {
  const positions: number[] = [];
  for await (const event of iterator) positions.push(event.position);
  return positions;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('reading', () => {
  it('reads one stream in version order with everything the store recorded', async () => {
    const events = await readStream(db, 'read-a');
    expect(events.map((event) => event.version)).toEqual(range(1, 10));
    expect(events.map((event) => event.position)).toEqual(range(1, 10).map((i) => 2 * i - 1));
    expect(events[2]).toMatchObject({ stream: 'read-a', type: 'Deposited', data: { amount: '3.00', note: 'a' }, metadata: {} });
    expect(events[2]!.recordedAt).toBeInstanceOf(Date);
    expect(events[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await readStream(db, 'no-such-stream')).toEqual([]);
    expect(await streamVersion(db, 'read-b')).toBe(10);
    expect(await streamVersion(db, 'no-such-stream')).toBe(0);
  });

  it('finds one event by its id', async () => {
    const [third] = (await readAll(db, { after: 2, limit: 1 })).events;
    expect(await readEvent(db, third!.eventId)).toEqual(third);
    expect(await readEvent(db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    // A text that is no UUID names no event; the database is not asked to parse it.
    expect(await readEvent(db, 'not-a-uuid')).toBeUndefined();
    expect(await readEvent(db, third!.eventId.toUpperCase())).toEqual(third);
  });

  it('keeps event ids the caller chose', async () => {
    const eventId = '6f1f1a52-4f43-4f0e-9a1e-0c4a3a7b2d11';
    const result = await appendToStreams(db, {
      streams: [{ stream: 'read-chosen-id', expected: 'no-stream', events: [{ eventId, type: 'Noted', data: {} }] }],
    });
    expect(result.events[0]!.eventId).toBe(eventId);
    expect((await readEvent(db, eventId))?.stream).toBe('read-chosen-id');
  });

  it('pages through the whole journal with readAll', async () => {
    const last = (await head(db)).position;
    const pages: { positions: number[]; next: number | null }[] = [];
    let after = 0;
    for (;;) {
      const page = await readAll(db, { after, limit: 7 });
      pages.push({ positions: page.events.map((event) => event.position), next: page.next });
      if (page.next === null) break;
      after = page.next;
    }
    expect(pages.flatMap((page) => page.positions)).toEqual(range(1, last));
    expect(pages.map((page) => page.next)).toEqual([7, 14, null]);
    expect(await readAll(db, { after: last })).toEqual({ events: [], next: null });
    // A page that ends exactly at the head says so.
    expect((await readAll(db, { after: last - 7, limit: 7 })).next).toBeNull();
  });

  it('iterates the journal in batches, from a position and up to one', async () => {
    const last = (await head(db)).position;
    expect(await collect(iterateAll(db, { batchSize: 3 }))).toEqual(range(1, last));
    expect(await collect(iterateAll(db, { batchSize: 4, after: 5 }))).toEqual(range(6, last));
    expect(await collect(iterateAll(db, { batchSize: 4, after: 5, until: 12 }))).toEqual(range(6, 12));
    expect(await collect(iterateAll(db, { batchSize: 5, until: 10 }))).toEqual(range(1, 10));
    expect(await collect(iterateAll(db, { after: last }))).toEqual([]);
  });

  it('lets a consumer stop iterating early and keeps working afterwards', async () => {
    const positions: number[] = [];
    for await (const event of iterateAll(db, { batchSize: 3 })) {
      positions.push(event.position);
      if (positions.length === 4) break;
    }
    expect(positions).toEqual([1, 2, 3, 4]);
    expect((await readAll(db, { after: 4, limit: 1 })).events[0]!.position).toBe(5);
  });

  it('reads back the recording time the append reported, to the millisecond', async () => {
    const appended = await appendToStreams(db, {
      streams: [{ stream: 'read-time', expected: 'no-stream', events: [deposit('1.00')] }],
    });
    const [read] = await readStream(db, 'read-time');
    expect(read!.recordedAt).toEqual(appended.events[0]!.recordedAt);
    expect(read!.hash).toBe(appended.events[0]!.hash);
  });

  it('makes time-ordered (version 7) ids for events that come without one', async () => {
    const first = await appendToStreams(db, {
      streams: [{ stream: 'read-made-id', expected: 'no-stream', events: [deposit('1.00'), deposit('2.00')] }],
    });
    const made = Date.now();
    while (Date.now() === made);
    const second = await appendToStreams(db, { streams: [{ stream: 'read-made-id', expected: 2, events: [deposit('3.00')] }] });
    const ids = [...first.events, ...second.events].map((event) => event.eventId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // As the database reads them back; and it orders an id made in a later millisecond after one made earlier.
    expect((await readStream(db, 'read-made-id')).map((event) => event.eventId)).toEqual(ids);
    const { rows } = await sql<{ later: boolean }>`select ${ids[2]}::uuid > ${ids[1]}::uuid as later`.execute(db);
    expect(rows[0]!.later).toBe(true);
  });
});
