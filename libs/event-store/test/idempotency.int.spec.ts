import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  appendToStreams,
  findIdempotentResult,
  head,
  IdempotencyConflict,
  streamVersion,
  type AppendRequest,
  type StoreDb,
} from '@ledger/event-store';
import { countEvents, deposit, rejection, warmPool } from './support';

let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase({ poolSize: 25 });
  db = database.db as StoreDb;
});
afterAll(async () => {
  await database.close();
});

function request(key: string, stream: string, amount: string, expected: 'any' | 'no-stream' = 'any'): AppendRequest {
  return { idempotencyKey: key, streams: [{ stream, expected, events: [deposit(amount)] }] };
}

describe('idempotency keys', () => {
  // A repeat's expectation held when the request was first made and no longer does: it must still be
  // answered with the first result, not refused.
  it.each(['any', 'no-stream'] as const)('returns the first result for a repeat and appends nothing (expecting %s)', async (expected) => {
    const first = await appendToStreams(db, request(`key-repeat-${expected}`, `idem-1-${expected}`, '5.00', expected));
    expect(first.replayed).toBe(false);
    const count = await countEvents(db);

    const repeat = await appendToStreams(db, request(`key-repeat-${expected}`, `idem-1-${expected}`, '5.00', expected));
    expect(repeat.replayed).toBe(true);
    expect(repeat.events).toEqual(first.events);
    expect(await countEvents(db)).toBe(count);
    expect(await streamVersion(db, `idem-1-${expected}`)).toBe(1);
  });

  it('replays a request of several events to several streams whole', async () => {
    const several: AppendRequest = {
      idempotencyKey: 'key-several',
      streams: [
        { stream: 'idem-several-a', expected: 'no-stream', events: [deposit('1.00'), deposit('2.00')] },
        { stream: 'idem-several-b', expected: 'no-stream', events: [deposit('3.00')] },
      ],
    };
    const first = await appendToStreams(db, several);
    expect(first.events.map((event) => [event.stream, event.version])).toEqual([
      ['idem-several-a', 1],
      ['idem-several-a', 2],
      ['idem-several-b', 1],
    ]);
    const count = await countEvents(db);

    const repeat = await appendToStreams(db, several);
    expect(repeat.replayed).toBe(true);
    expect(repeat.events).toEqual(first.events);
    expect(await countEvents(db)).toBe(count);
  });

  it('refuses the key with a different request and appends nothing', async () => {
    await appendToStreams(db, request('key-conflict', 'idem-2', '5.00'));
    const count = await countEvents(db);
    const headBefore = await head(db);

    const error = await rejection(appendToStreams(db, request('key-conflict', 'idem-2', '6.00')));
    expect(error).toBeInstanceOf(IdempotencyConflict);
    expect((error as IdempotencyConflict).key).toBe('key-conflict');
    const otherStream = await rejection(appendToStreams(db, request('key-conflict', 'idem-other', '5.00')));
    expect(otherStream).toBeInstanceOf(IdempotencyConflict);

    expect(await countEvents(db)).toBe(count);
    expect(await head(db)).toEqual(headBefore);
  });

  it.each(['any', 'no-stream'] as const)('appends once when repeats with one key race (expecting %s)', async (expected) => {
    const count = await countEvents(db);
    await warmPool(db, 10);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => appendToStreams(db, request(`key-race-${expected}`, `idem-3-${expected}`, '7.00', expected))),
    );
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    for (const result of results) expect(result.events).toEqual(results[0]!.events);
    expect(await countEvents(db)).toBe(count + 1);
    expect(await streamVersion(db, `idem-3-${expected}`)).toBe(1);
  });

  // The caller's own request hash vouches for "the same request": a repeat answers with what the key
  // first appended, whichever function (one event or several) either call went through.
  it.each([
    [2, 1],
    [1, 3],
    [2, 3],
  ])('answers a repeat with the first result when a caller-made hash names %i events then %i', async (firstSize, repeatSize) => {
    const request = (size: number): AppendRequest => ({
      idempotencyKey: `key-sized-${firstSize}-${repeatSize}`,
      requestHash: 'same-hash',
      streams: [{ stream: `idem-sized-${firstSize}-${repeatSize}`, expected: 'any', events: Array.from({ length: size }, (_, i) => deposit(`${i}.00`)) }],
    });
    const first = await appendToStreams(db, request(firstSize));
    const count = await countEvents(db);

    const repeat = await appendToStreams(db, request(repeatSize));
    expect(repeat).toEqual({ replayed: true, events: first.events });
    expect(await countEvents(db)).toBe(count);
  });

  it('lets a caller look a key up before deciding', async () => {
    const hash = 'request-hash-of-the-http-body';
    expect(await findIdempotentResult(db, 'key-lookup', hash)).toBeUndefined();
    const first = await appendToStreams(db, { ...request('key-lookup', 'idem-4', '1.00'), requestHash: hash });
    expect(await findIdempotentResult(db, 'key-lookup', hash)).toEqual({ replayed: true, events: first.events });
    expect(await rejection(findIdempotentResult(db, 'key-lookup', 'another-hash'))).toBeInstanceOf(IdempotencyConflict);
  });
});
