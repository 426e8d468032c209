import 'reflect-metadata';
import { sql } from 'kysely';
import { appendToStreams, type StoreDb } from '@ledger/event-store';
import { startTestApp, type TestApp } from './support/app';

interface JournalEvent {
  position: number;
  eventId: string;
  type: string;
  stream: string;
  version: number;
  effectiveOn: string | null;
  recordedAt: string;
  recordedBy: string | null;
  sources: string[];
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const COUNT = 7;

describe('the journal over HTTP: /v1/events and /v1/audit/verify', () => {
  let t: TestApp;
  let store: StoreDb;

  beforeAll(async () => {
    t = await startTestApp();
    store = t.db.db as StoreDb;
    for (let i = 1; i <= COUNT; i += 1) {
      await appendToStreams(store, {
        streams: [
          {
            stream: `source-s${i}`,
            expected: 'no-stream',
            events: [
              {
                type: 'SourceRegistered',
                data: { id: `s${i}`, amount: '1000000000000.10' },
                metadata: { effectiveOn: '2025-02-11', sources: [`s${i}`], recordedBy: 'seed' },
              },
            ],
          },
        ],
      });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports the head position in health', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body.position).toBe(COUNT);
  });

  it('lists events with their envelope flattened and amounts left as strings', async () => {
    const response = await t.http.get('/v1/events').expect(200);
    const events = response.body.events as JournalEvent[];
    expect(events).toHaveLength(COUNT);
    expect(response.body.next).toBeNull();
    expect(events[0]).toEqual({
      position: 1,
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'SourceRegistered',
      stream: 'source-s1',
      version: 1,
      effectiveOn: '2025-02-11',
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      recordedBy: 'seed',
      sources: ['s1'],
      data: { id: 's1', amount: '1000000000000.10' },
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  });

  it('pages with after=next until next is null, seeing every event once', async () => {
    const seen: number[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const response = await t.http.get('/v1/events').query({ after, limit: 3 }).expect(200);
      pages += 1;
      seen.push(...(response.body.events as JournalEvent[]).map((event) => event.position));
      if (response.body.next === null) break;
      after = response.body.next;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pages).toBe(3);
  });

  it('answers an empty page past the head', async () => {
    const response = await t.http.get('/v1/events?after=100').expect(200);
    expect(response.body).toEqual({ events: [], next: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['after=-1', 'after'],
    ['after=1.5', 'after'],
    ['since=3', 'since'],
  ])('refuses %s with a validation problem naming %s', async (query, path) => {
    const response = await t.http.get(`/v1/events?${query}`).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'https://ledger.example/problems/validation',
      status: 400,
      instance: '/v1/events',
    });
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('accepts the largest limit', async () => {
    const response = await t.http.get('/v1/events?limit=1000').expect(200);
    expect(response.body.events).toHaveLength(COUNT);
  });

  it('verifies the hash chain and returns the head hash', async () => {
    const events = (await t.http.get('/v1/events').expect(200)).body.events as JournalEvent[];
    const response = await t.http.get('/v1/audit/verify').expect(200);
    expect(response.body).toEqual({ ok: true, events: COUNT, head: events[COUNT - 1]!.hash });
  });

  it('names the first position where a tampered journal breaks', async () => {
    // The journal refuses updates; a test lifts that guard to play the attacker.
    await sql`alter table events disable trigger events_append_only`.execute(store);
    try {
      await sql`update events set data = jsonb_set(data, '{amount}', '"9"') where position = 4`.execute(store);
    } finally {
      await sql`alter table events enable trigger events_append_only`.execute(store);
    }
    const response = await t.http.get('/v1/audit/verify').expect(200);
    expect(response.body).toEqual({ ok: false, events: 3, brokenAt: 4, reason: expect.any(String) });
  });
});
