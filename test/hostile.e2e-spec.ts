import 'reflect-metadata';
import type { Test } from 'supertest';
import { startTestApp, type TestApp } from './support/app';
import {
  announcement,
  bearer,
  DECEMBER_SOURCE,
  exact,
  expectNoLeak,
  expectProblem,
  expectValidationProblem,
  freshId,
  journalHead,
  SOURCE,
} from './support/ledger';

/**
 * Malformed and hostile requests, each of which must be refused with its own 4xx problem and leave
 * the journal exactly where it was. The table is the specification: one row per input, the status
 * it earns, and for validation failures the fields the answer must name.
 */

const WITHDRAWN = 'e2e-hostile-withdrawn';
const REVERSED_TARGET = 'e2e-hostile-reversed';
const IDEMPOTENT_SOURCE = 'e2e-hostile-idempotent-source';
const IDEMPOTENCY_KEY = 'e2e-hostile-key-1';
const INJECTION = "'; drop table events; --";
const TRAVERSAL = '../../etc/passwd';
const SCRIPT = '<script>alert(1)</script>';

interface World {
  t: TestApp;
  auth: string;
  /** The id of an event that has already been reversed once. */
  reversedEventId: string;
}

interface Case {
  readonly name: string;
  readonly status: number;
  /** For 400 validation problems: fields the `errors[]` must name. `undefined` when not a validation problem. */
  readonly paths?: readonly string[];
  readonly send: (world: World) => Test;
}

/** A new valid announcement with one thing changed. */
const announce = (world: World, overrides: Record<string, unknown>) =>
  world.t.http.post('/v1/commitments').set('Authorization', world.auth).send(announcement(freshId('e2e-hostile-c'), overrides));

const withQuantity = (quantity: unknown) => (world: World) => announce(world, { quantity });

/** A valid announcement as raw JSON, with `prefix` in place of its opening brace. */
const withRawPrefix = (prefix: string) => (world: World) =>
  world.t.http
    .post('/v1/commitments')
    .set('Authorization', world.auth)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(announcement(freshId('e2e-hostile-c'))).replace(/^\{/, prefix));

/** A valid announcement as raw JSON whose quantity is the given JSON text. */
const withRawQuantity = (quantity: string) => (world: World) =>
  world.t.http
    .post('/v1/commitments')
    .set('Authorization', world.auth)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(announcement(freshId('e2e-hostile-c'), { quantity: 'QUANTITY' })).replace('"QUANTITY"', quantity));

const source = (id: string, title: string) => ({
  id,
  publisher: 'E2E hostile',
  title,
  language: 'en',
  publishedOn: '2025-03-01',
  url: null,
  origin: id,
});

const TWO_MIB = 2 * 1024 * 1024;

const CASES: Case[] = [
  // Amounts: exact decimal strings only.
  { name: 'an amount with an exponent ("1e9")', status: 400, paths: ['quantity.low'], send: withQuantity(exact('EUR', '1e9')) },
  {
    name: 'an amount as a JSON number (1.5)',
    status: 400,
    paths: ['quantity.low'],
    send: withQuantity({ unit: 'EUR', low: 1.5, high: 1.5, qualifier: 'exact' }),
  },
  {
    name: 'a large amount as a JSON number',
    status: 400,
    paths: ['quantity.low'],
    send: withQuantity({ unit: 'EUR', low: 200000000000, high: 200000000000, qualifier: 'exact' }),
  },
  { name: 'a negative amount', status: 400, paths: ['quantity.low'], send: withQuantity(exact('EUR', '-5')) },
  {
    name: 'low above high',
    status: 400,
    paths: ['quantity'],
    send: withQuantity({ unit: 'EUR', low: '10', high: '5', qualifier: 'range' }),
  },
  {
    name: 'a range whose low equals its high',
    status: 400,
    paths: ['quantity'],
    send: withQuantity({ unit: 'EUR', low: '5', high: '5', qualifier: 'range' }),
  },
  { name: 'a lowercase currency code (eur)', status: 400, paths: ['quantity.unit'], send: withQuantity(exact('eur', '5')) },
  // Dates.
  { name: 'an impossible day (2025-02-30)', status: 400, paths: ['effectiveOn'], send: (w) => announce(w, { effectiveOn: '2025-02-30' }) },
  { name: 'an impossible month (2025-13)', status: 400, paths: ['effectiveOn'], send: (w) => announce(w, { effectiveOn: '2025-13' }) },
  // Unknown fields.
  { name: 'an unknown top-level field', status: 400, paths: ['approvedBy'], send: (w) => announce(w, { approvedBy: 'me' }) },
  {
    name: 'an unknown field nested in quantity',
    status: 400,
    paths: ['quantity.currency'],
    send: withQuantity({ ...exact('EUR', '5'), currency: 'EUR' }),
  },
  // Keys that name an object's prototype are unknown fields like any other: refused under their own
  // path, never dropped on the way to validation. JSON.stringify would leave `__proto__` out, so
  // those bodies are written by hand.
  { name: 'a __proto__ member', status: 400, paths: ['__proto__'], send: withRawPrefix('{"__proto__":{"admin":true},') },
  {
    name: 'a __proto__ member nested in quantity',
    status: 400,
    paths: ['quantity.__proto__'],
    send: withRawQuantity('{"__proto__":{"admin":true},"unit":"EUR","low":"5","high":"5","qualifier":"exact"}'),
  },
  { name: 'a top-level constructor member', status: 400, paths: ['constructor'], send: (w) => announce(w, { constructor: 'evil' }) },
  {
    name: 'a constructor member nested in quantity',
    status: 400,
    paths: ['quantity.constructor'],
    send: withQuantity({ ...exact('EUR', '5'), constructor: { prototype: { admin: true } } }),
  },
  { name: 'a top-level prototype member', status: 400, paths: ['prototype'], send: (w) => announce(w, { prototype: { admin: true } }) },
  {
    name: 'a prototype member nested in quantity',
    status: 400,
    paths: ['quantity.prototype'],
    send: withQuantity({ ...exact('EUR', '5'), prototype: { admin: true } }),
  },
  { name: 'an empty object', status: 400, paths: ['id', 'programme', 'quantity', 'sources'], send: (w) => w.t.http.post('/v1/commitments').set('Authorization', w.auth).send({}) },
  {
    name: 'a JSON array instead of an object',
    status: 400,
    paths: [],
    send: (w) => w.t.http.post('/v1/commitments').set('Authorization', w.auth).send([announcement(freshId('e2e-hostile-c'))]),
  },
  // Ids that are not there.
  { name: 'a source that does not exist', status: 422, send: (w) => announce(w, { sources: ['no-such-source'] }) },
  { name: 'a programme that does not exist', status: 422, send: (w) => announce(w, { programme: 'no-such-programme' }) },
  {
    name: 'a revision of a commitment that does not exist',
    status: 404,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/no-such-commitment/revisions')
        .set('Authorization', w.auth)
        .send({ quantity: exact('EUR', '5'), reason: 'a test', sources: [SOURCE], effectiveOn: '2025-03-01' }),
  },
  {
    name: 'a corroboration of a commitment that does not exist',
    status: 404,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/no-such-commitment/corroborations')
        .set('Authorization', w.auth)
        .send({ quantity: exact('EUR', '5'), sources: [SOURCE], effectiveOn: '2025-03-01' }),
  },
  {
    name: 'the withdrawal of a commitment that does not exist',
    status: 404,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/no-such-commitment/withdrawal')
        .set('Authorization', w.auth)
        .send({ reason: 'a test', sources: [SOURCE], effectiveOn: '2025-03-01' }),
  },
  {
    name: 'the reversal of an event that does not exist',
    status: 404,
    send: (w) =>
      w.t.http.post('/v1/events/5b0c6f5e-2a51-4a5e-9a57-0d1f3c1e2b7a/reversal').set('Authorization', w.auth).send({ reason: 'a test' }),
  },
  // Injection and traversal in ids and query parameters.
  {
    name: 'SQL in a path id',
    status: 400,
    send: (w) =>
      w.t.http
        .post(`/v1/commitments/${encodeURIComponent(INJECTION)}/revisions`)
        .set('Authorization', w.auth)
        .send({ quantity: exact('EUR', '5'), reason: 'a test', sources: [SOURCE], effectiveOn: '2025-03-01' }),
  },
  { name: 'SQL in a read path id', status: 400, send: (w) => w.t.http.get(`/v1/commitments/${encodeURIComponent(INJECTION)}/history`) },
  { name: 'a path traversal in an id', status: 400, send: (w) => w.t.http.get(`/v1/programmes/${encodeURIComponent(TRAVERSAL)}`) },
  { name: 'a script tag in an id', status: 400, send: (w) => w.t.http.get(`/v1/sources/${encodeURIComponent(SCRIPT)}`) },
  { name: 'SQL in a body id', status: 400, paths: ['id'], send: (w) => announce(w, { id: INJECTION }) },
  { name: 'a script tag in a body id', status: 400, paths: ['programme'], send: (w) => announce(w, { programme: SCRIPT }) },
  { name: 'a body id of 81 characters', status: 400, paths: ['id'], send: (w) => announce(w, { id: 'a'.repeat(81) }) },
  { name: 'a path id of 81 characters', status: 400, send: (w) => w.t.http.get(`/v1/institutions/${'a'.repeat(81)}/balance`) },
  {
    name: 'an id with a Cyrillic lookalike letter',
    status: 400,
    paths: ['programme'],
    send: (w) => announce(w, { programme: 'invest\u0430i' }),
  },
  { name: 'SQL in a query filter', status: 400, paths: ['programme'], send: (w) => w.t.http.get('/v1/commitments').query({ programme: INJECTION }) },
  { name: 'a script tag in a cursor', status: 400, paths: ['after'], send: (w) => w.t.http.get('/v1/programmes').query({ after: SCRIPT }) },
  { name: 'a traversal in a cursor', status: 400, paths: ['after'], send: (w) => w.t.http.get('/v1/institutions').query({ after: TRAVERSAL }) },
  // The body itself.
  {
    name: 'a 2 MiB body',
    status: 413,
    send: (w) =>
      w.t.http
        .post('/v1/commitments')
        .set('Authorization', w.auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(announcement(freshId('e2e-hostile-c'), { horizon: 'x'.repeat(TWO_MIB) }))),
  },
  {
    name: 'broken JSON',
    status: 400,
    send: (w) => w.t.http.post('/v1/commitments').set('Authorization', w.auth).set('Content-Type', 'application/json').send('{"id": "x",'),
  },
  {
    name: 'a body that is not JSON at all',
    status: 400,
    send: (w) => w.t.http.post('/v1/sources').set('Authorization', w.auth).set('Content-Type', 'application/json').send("'; drop table events; --"),
  },
  {
    name: 'JSON nested 100000 levels deep',
    status: 400,
    send: (w) =>
      w.t.http
        .post('/v1/commitments')
        .set('Authorization', w.auth)
        .set('Content-Type', 'application/json')
        .send(`{"quantity":${'['.repeat(100000)}${']'.repeat(100000)}}`),
  },
  {
    name: 'a JSON null body',
    status: 400,
    send: (w) => w.t.http.post('/v1/commitments').set('Authorization', w.auth).set('Content-Type', 'application/json').send('null'),
  },
  {
    name: 'a text/plain content type',
    status: 415,
    send: (w) => w.t.http.post('/v1/commitments').set('Authorization', w.auth).set('Content-Type', 'text/plain').send(JSON.stringify(announcement(freshId('e2e-hostile-c')))),
  },
  {
    name: 'a form content type',
    status: 415,
    send: (w) => w.t.http.post('/v1/sources').set('Authorization', w.auth).type('form').send({ id: 'x' }),
  },
  // Authentication.
  { name: 'no token', status: 401, send: (w) => w.t.http.post('/v1/commitments').send(announcement(freshId('e2e-hostile-c'))) },
  { name: 'a wrong token', status: 401, send: (w) => w.t.http.post('/v1/commitments').set('Authorization', bearer('not-the-token-0123456789')).send(announcement(freshId('e2e-hostile-c'))) },
  {
    name: 'the right token under the Basic scheme',
    status: 401,
    send: (w) =>
      w.t.http
        .post('/v1/commitments')
        .set('Authorization', `Basic ${Buffer.from(`tester:${w.t.token}`).toString('base64')}`)
        .send(announcement(freshId('e2e-hostile-c'))),
  },
  {
    name: 'the raw token without a scheme',
    status: 401,
    send: (w) => w.t.http.post('/v1/sources').set('Authorization', w.t.token).send(source(freshId('e2e-hostile-s'), 'no scheme')),
  },
  // Conflicts with what is already recorded.
  {
    name: 'an Idempotency-Key reused with another body',
    status: 409,
    send: (w) =>
      w.t.http
        .post('/v1/sources')
        .set('Authorization', w.auth)
        .set('Idempotency-Key', IDEMPOTENCY_KEY)
        .send(source(IDEMPOTENT_SOURCE, 'a different title')),
  },
  {
    name: 'an Idempotency-Key reused on another route',
    status: 409,
    send: (w) =>
      w.t.http
        .post('/v1/institutions')
        .set('Authorization', w.auth)
        .set('Idempotency-Key', IDEMPOTENCY_KEY)
        .send({ id: freshId('e2e-hostile-i'), name: 'Keyed', kind: 'company', country: 'FR', aliases: [], sources: [SOURCE], effectiveOn: '2025-03-01' }),
  },
  {
    name: 'an Idempotency-Key of 201 characters',
    status: 400,
    send: (w) => w.t.http.post('/v1/sources').set('Authorization', w.auth).set('Idempotency-Key', 'k'.repeat(201)).send(source(freshId('e2e-hostile-s'), 'long key')),
  },
  { name: 'a duplicate commitment id', status: 409, send: (w) => announce(w, { id: 'investai-mobilisation' }) },
  {
    name: 'a duplicate source id',
    status: 409,
    send: (w) => w.t.http.post('/v1/sources').set('Authorization', w.auth).send(source(IDEMPOTENT_SOURCE, 'a first title')),
  },
  {
    name: 'a stale If-Match',
    status: 412,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/investai-mobilisation/corroborations')
        .set('Authorization', w.auth)
        .set('If-Match', '"1"')
        .send({ quantity: exact('EUR', '200000000000'), sources: [DECEMBER_SOURCE], effectiveOn: '2025-12-04' }),
  },
  {
    name: 'an If-Match that is not a version',
    status: 400,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/investai-mobilisation/corroborations')
        .set('Authorization', w.auth)
        .set('If-Match', 'abc')
        .send({ quantity: exact('EUR', '200000000000'), sources: [DECEMBER_SOURCE], effectiveOn: '2025-12-04' }),
  },
  // Domain rules.
  {
    name: 'revising a withdrawn commitment',
    status: 422,
    send: (w) =>
      w.t.http
        .post(`/v1/commitments/${WITHDRAWN}/revisions`)
        .set('Authorization', w.auth)
        .send({ quantity: exact('EUR', '2000000000'), reason: 'a test', sources: [SOURCE], effectiveOn: '2025-05-01' }),
  },
  {
    name: 'a part larger than its whole',
    status: 422,
    send: (w) =>
      announce(w, {
        programme: 'ai-gigafactories',
        partOf: 'investai-mobilisation',
        quantity: exact('EUR', '300000000000'),
      }),
  },
  {
    name: 'a corroboration stating another figure',
    status: 422,
    send: (w) =>
      w.t.http
        .post('/v1/commitments/investai-mobilisation/corroborations')
        .set('Authorization', w.auth)
        .send({ quantity: exact('EUR', '250000000000'), sources: [DECEMBER_SOURCE], effectiveOn: '2025-12-04' }),
  },
  {
    name: 'reversing an event twice',
    status: 422,
    send: (w) => w.t.http.post(`/v1/events/${w.reversedEventId}/reversal`).set('Authorization', w.auth).send({ reason: 'again' }),
  },
  { name: 'a reversal of an event id that is not a UUID', status: 400, send: (w) => w.t.http.post(`/v1/events/${encodeURIComponent(INJECTION)}/reversal`).set('Authorization', w.auth).send({ reason: 'x' }) },
  // Query parameters.
  { name: 'asOf=not-a-date', status: 400, paths: ['asOf'], send: (w) => w.t.http.get('/v1/programmes/investai/balance').query({ asOf: 'not-a-date' }) },
  { name: 'asOf=2025-02-30', status: 400, paths: ['asOf'], send: (w) => w.t.http.get('/v1/balances').query({ by: 'programme', asOf: '2025-02-30' }) },
  { name: 'asOf with a time of day', status: 400, paths: ['asOf'], send: (w) => w.t.http.get('/v1/commitments').query({ asOf: '2025-02-11T00:00:00Z' }) },
  { name: 'asOf with only a month', status: 400, paths: ['asOf'], send: (w) => w.t.http.get('/v1/programmes/investai/balance').query({ asOf: '2025-02' }) },
  {
    name: 'knownAt without a zone',
    status: 400,
    paths: ['knownAt'],
    send: (w) => w.t.http.get('/v1/commitments/investai-mobilisation').query({ knownAt: '2026-01-01T00:00:00' }),
  },
  { name: 'knownAt=yesterday', status: 400, paths: ['knownAt'], send: (w) => w.t.http.get('/v1/institutions/eib-group/balance').query({ knownAt: 'yesterday' }) },
  { name: 'limit=0', status: 400, paths: ['limit'], send: (w) => w.t.http.get('/v1/programmes').query({ limit: 0 }) },
  { name: 'limit=100000', status: 400, paths: ['limit'], send: (w) => w.t.http.get('/v1/commitments').query({ limit: 100000 }) },
  { name: 'limit=-1', status: 400, paths: ['limit'], send: (w) => w.t.http.get('/v1/sources').query({ limit: -1 }) },
  { name: 'an unknown query parameter', status: 400, paths: ['sort'], send: (w) => w.t.http.get('/v1/discrepancies').query({ sort: 'id' }) },
  { name: 'by=country on the balances', status: 400, paths: ['by'], send: (w) => w.t.http.get('/v1/balances').query({ by: 'country' }) },
];

describe('hostile and malformed input', () => {
  const world = {} as World;

  beforeAll(async () => {
    world.t = await startTestApp({ seed: true });
    world.auth = bearer(world.t.token);
    const { t, auth } = world;

    // A commitment that is withdrawn, to be revised.
    await t.http.post('/v1/commitments').set('Authorization', auth).send(announcement(WITHDRAWN)).expect(201);
    await t.http
      .post(`/v1/commitments/${WITHDRAWN}/withdrawal`)
      .set('Authorization', auth)
      .send({ reason: 'cancelled', sources: [SOURCE], effectiveOn: '2025-04-01' })
      .expect(201);

    // An event that is reversed once already.
    await t.http.post('/v1/commitments').set('Authorization', auth).send(announcement(REVERSED_TARGET)).expect(201);
    const corroborated = await t.http
      .post(`/v1/commitments/${REVERSED_TARGET}/corroborations`)
      .set('Authorization', auth)
      .send({ quantity: exact('EUR', '1000000000'), sources: [DECEMBER_SOURCE], effectiveOn: '2025-12-04' })
      .expect(201);
    world.reversedEventId = corroborated.body.eventId as string;
    await t.http.post(`/v1/events/${world.reversedEventId}/reversal`).set('Authorization', auth).send({ reason: 'entered twice' }).expect(201);

    // A key already used for one body.
    await t.http
      .post('/v1/sources')
      .set('Authorization', auth)
      .set('Idempotency-Key', IDEMPOTENCY_KEY)
      .send(source(IDEMPOTENT_SOURCE, 'a first title'))
      .expect(201);
  });
  afterAll(async () => {
    await world.t?.close();
  });

  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it('would notice a leak: the detector itself catches frames, file names and driver words', () => {
    const stack = new Error('boom').stack!;
    expect(() => expectNoLeak(JSON.stringify({ detail: stack }))).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"at Object.<anonymous> (/srv/app/main.js:10:5)"}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"failed in ledger-writer.ts:42"}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"/work/node_modules/pg/lib/client.js"}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"duplicate key value violates unique constraint \\"events_pkey\\""}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"syntax error at or near \\"drop\\""}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"insert into events (stream) values ($1)"}')).toThrow(/leaks/);
    expect(() => expectNoLeak('{"detail":"Send at most one If-Match header."}')).not.toThrow();
  });

  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s without moving the journal', async (_name, c) => {
    const before = await journalHead(world.t);
    const response = await c.send(world);
    if (c.paths !== undefined) expectValidationProblem(response, ...c.paths);
    else expectProblem(response, c.status);
    expect(response.status).toBe(c.status);
    if (c.status === 401) expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await journalHead(world.t)).toBe(before);
  });

  it('lets a __proto__ member set no prototype on the way to being refused', async () => {
    const response = await withRawPrefix('{"__proto__":{"polluted":true},')(world);
    expectValidationProblem(response, '__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('answers JSON nested at every depth with a 400 problem, never a 500', async () => {
    // Whatever walks the body recursively (the parser, the request hash, validation) gives out at
    // some depth; sweep across the depths where that happens rather than guessing one.
    // Deepest first and in fine steps: the first body the parser accepts then reaches the later
    // walkers before the engine has optimised them (optimised frames are smaller and go deeper).
    const depths = [50000, 10000, 5000, ...Array.from({ length: 126 }, (_, i) => 4000 - i * 20)];
    const before = await journalHead(world.t);
    for (const depth of depths) {
      const response = await world.t.http
        .post('/v1/commitments')
        .set('Authorization', world.auth)
        .set('Content-Type', 'application/json')
        .send(`{"quantity":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      if (response.status !== 400) {
        // Name the server-side cause from the app's own log, so a failure here says what to fix.
        const fault = world.t.logs.filter((line) => line.err !== undefined).at(-1)?.err as { message?: string; stack?: string } | undefined;
        const where = fault?.stack?.split('\n').slice(0, 3).join(' | ');
        throw new Error(`depth ${depth}: expected 400, got ${response.status}; the server logged: ${where ?? 'nothing'}`);
      }
      expectProblem(response, 400);
    }
    expect(await journalHead(world.t)).toBe(before);
  });

  it('keeps the chain intact after all of it', async () => {
    const verify = await world.t.http.get('/v1/audit/verify').expect(200);
    expect(verify.body).toMatchObject({ ok: true, events: await journalHead(world.t) });
    expectNoLeak(verify.text);
  });
});
