import 'reflect-metadata';
import type { Response } from 'supertest';
import { servedRoutes } from './support/routes';
import { startTestApp, type TestApp } from './support/app';
import { SOURCE } from './support/ledger';

/**
 * Every route the application serves, hit once on the seeded ledger in the order a client would
 * use them: status, media type and the top-level shape of the answer. The list of routes is
 * checked against the router, so a route added without a smoke call fails here.
 */

const ASOF = '2025-03-01';
const KNOWN_AT = '2099-01-01T00:00:00Z';
const WRITE_KEYS = ['eventId', 'position', 'recordedAt', 'stream', 'version'];
const TOTAL_KEYS = ['commitments', 'high', 'low', 'qualifiers', 'unit'];

const keys = (value: unknown): string[] => Object.keys(value as object).sort();

function expectJson(response: Response, status: number): Record<string, unknown> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 400)}`);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.body as Record<string, unknown>;
}

describe('every route once, on the seeded ledger', () => {
  let t: TestApp;
  const hit = new Set<string>();
  const auth = () => `Bearer ${t.token}`;
  const get = (route: string, path: string) => {
    hit.add(`GET ${route}`);
    return t.http.get(path);
  };
  const post = (route: string, path: string, body: object) => {
    hit.add(`POST ${route}`);
    return t.http.post(path).set('Authorization', auth()).send(body);
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads programmes: a page, one, and its balance', async () => {
    const page = expectJson(await get('/v1/programmes', '/v1/programmes?limit=2'), 200);
    expect(keys(page)).toEqual(['next', 'programmes']);
    expect((page.programmes as unknown[]).length).toBe(2);
    expect(keys((page.programmes as object[])[0])).toEqual(['aliases', 'id', 'name', 'owners', 'parent']);
    expect(typeof page.next).toBe('string');

    const programme = expectJson(await get('/v1/programmes/{id}', '/v1/programmes/investai'), 200);
    expect(keys(programme)).toEqual(['aliases', 'components', 'id', 'name', 'owners', 'parent']);
    expect(programme.components).toContain('ai-gigafactories');

    const balance = expectJson(
      await get('/v1/programmes/{id}/balance', `/v1/programmes/investai/balance?asOf=${ASOF}&knownAt=${KNOWN_AT}`),
      200,
    );
    expect(keys(balance)).toEqual(['asOf', 'components', 'knownAt', 'programme', 'totals', 'unquantified']);
    expect(balance).toMatchObject({ programme: 'investai', asOf: ASOF, knownAt: '2099-01-01T00:00:00.000Z' });
    expect(balance.totals).toContainEqual({ unit: 'EUR', low: '200000000000', high: '200000000000', commitments: 1, qualifiers: ['exact'] });
  });

  it('reads institutions: a page, one, and its balance', async () => {
    const page = expectJson(await get('/v1/institutions', '/v1/institutions'), 200);
    expect(keys(page)).toEqual(['institutions', 'next']);
    expect(page.next).toBeNull();
    expect(keys((page.institutions as object[])[0])).toEqual(['aliases', 'country', 'id', 'kind', 'name']);

    const institution = expectJson(await get('/v1/institutions/{id}', '/v1/institutions/european-commission'), 200);
    expect(institution).toMatchObject({ id: 'european-commission', kind: 'eu-institution' });

    const balance = expectJson(
      await get('/v1/institutions/{id}/balance', `/v1/institutions/european-commission/balance?asOf=${ASOF}`),
      200,
    );
    expect(keys(balance)).toEqual(['alone', 'asOf', 'institution', 'jointly', 'knownAt', 'unquantified']);
    for (const total of [...(balance.alone as object[]), ...(balance.jointly as object[])]) expect(keys(total)).toEqual(TOTAL_KEYS);
  });

  it('reads every balance at once, by programme and by institution', async () => {
    for (const by of ['programme', 'institution']) {
      const all = expectJson(await get('/v1/balances', `/v1/balances?by=${by}&asOf=${ASOF}`), 200);
      expect(keys(all)).toEqual(['asOf', 'balances', 'by', 'grandTotal', 'knownAt']);
      expect(all.by).toBe(by);
      expect((all.balances as Record<string, unknown>[]).every((balance) => typeof balance[by] === 'string')).toBe(true);
      expect(keys(all.grandTotal)).toEqual(['totals', 'unquantified']);
    }
  });

  it('reads commitments: a page, one with its ETag, and its history', async () => {
    const page = expectJson(await get('/v1/commitments', `/v1/commitments?asOf=${ASOF}&programme=investai&limit=1`), 200);
    expect(keys(page)).toEqual(['asOf', 'commitments', 'knownAt', 'next']);
    expect(keys((page.commitments as object[])[0])).toEqual(
      ['announcedBy', 'effectiveOn', 'horizon', 'id', 'kind', 'partOf', 'pledgers', 'programme', 'quantity'],
    );

    const one = await get('/v1/commitments/{id}', `/v1/commitments/investai-gigafactory-count?asOf=${ASOF}`);
    const commitment = expectJson(one, 200);
    expect(one.headers.etag).toMatch(/^"\d+"$/);
    expect(commitment).toMatchObject({ id: 'investai-gigafactory-count', status: 'active' });
    expect(keys(commitment)).toEqual(
      ['announcedBy', 'announcedOn', 'effectiveOn', 'horizon', 'id', 'kind', 'partOf', 'pledgers', 'programme', 'quantity', 'status', 'version'],
    );

    const history = expectJson(await get('/v1/commitments/{id}/history', '/v1/commitments/investai-gigafactory-count/history'), 200);
    expect(history.commitment).toBe('investai-gigafactory-count');
    const events = history.events as Record<string, unknown>[];
    expect(events[0]).toMatchObject({ type: 'CommitmentAnnounced', version: 1, quantityBefore: null });
    expect(`"${events[events.length - 1]!.version}"`).toBe(one.headers.etag);
  });

  it('reads sources and discrepancies', async () => {
    const page = expectJson(await get('/v1/sources', '/v1/sources?limit=1'), 200);
    expect(keys(page)).toEqual(['next', 'sources']);
    expect(keys((page.sources as object[])[0])).toEqual(['id', 'language', 'origin', 'publishedOn', 'publisher', 'title', 'url']);

    const source = expectJson(await get('/v1/sources/{id}', `/v1/sources/${SOURCE}`), 200);
    expect((source.citations as unknown[]).length).toBeGreaterThan(0);
    expect(keys((source.citations as object[])[0])).toEqual(['effectiveOn', 'eventId', 'position', 'recordedAt', 'stream', 'type']);

    const discrepancies = expectJson(await get('/v1/discrepancies', '/v1/discrepancies'), 200);
    expect(keys(discrepancies)).toEqual(['discrepancies', 'next']);
    expect(keys((discrepancies.discrepancies as object[])[0])).toEqual(
      ['accounts', 'commitment', 'effectiveOn', 'field', 'id', 'note', 'recordedAt', 'reversedAt', 'sources'],
    );
  });

  it('writes through every write route, with an ETag on each commitment write', async () => {
    const cite = { sources: [SOURCE], effectiveOn: '2025-03-01' };
    const written = async (route: string, path: string, body: object, etag: boolean) => {
      const response = await post(route, path, body);
      const answer = expectJson(response, 201);
      expect(keys(answer)).toEqual(WRITE_KEYS);
      if (etag) expect(response.headers.etag).toBe(`"${answer.version}"`);
      else expect(response.headers.etag).toBeUndefined();
      return answer;
    };

    await written('/v1/sources', '/v1/sources', {
      id: 'smoke-source', publisher: 'Smoke', title: 'A smoke test', language: 'en', publishedOn: '2025-03-01', url: null, origin: 'smoke-source',
    }, false);
    await written('/v1/institutions', '/v1/institutions', {
      id: 'smoke-bank', name: 'Smoke bank', kind: 'bank', country: 'FR', aliases: [], ...cite,
    }, false);
    await written('/v1/programmes', '/v1/programmes', {
      id: 'smoke-programme', name: 'Smoke programme', aliases: [], parent: 'investai', owners: ['smoke-bank'], ...cite,
    }, false);
    const quantity = { unit: 'EUR', low: '1000', high: '1000', qualifier: 'exact' };
    await written('/v1/commitments', '/v1/commitments', {
      id: 'smoke-pledge', programme: 'smoke-programme', pledgers: ['smoke-bank'], announcedBy: 'smoke-bank', kind: 'pledge',
      quantity, partOf: null, horizon: null, ...cite,
    }, true);
    await written('/v1/commitments/{id}/corroborations', '/v1/commitments/smoke-pledge/corroborations', { quantity, ...cite }, true);
    const revised = await written('/v1/commitments/{id}/revisions', '/v1/commitments/smoke-pledge/revisions', {
      quantity: { ...quantity, low: '2000', high: '2000' }, reason: 'doubled', sources: [SOURCE], effectiveOn: '2025-04-01',
    }, true);
    await written('/v1/events/{eventId}/reversal', `/v1/events/${revised.eventId as string}/reversal`, { reason: 'entered by mistake' }, true);
    await written('/v1/commitments/{id}/withdrawal', '/v1/commitments/smoke-pledge/withdrawal', {
      reason: 'cancelled', sources: [SOURCE], effectiveOn: '2025-05-01',
    }, true);
    await written('/v1/agreements', '/v1/agreements', {
      id: 'smoke-agreement', kind: 'memorandum-of-understanding', parties: ['smoke-bank'], programmes: ['smoke-programme'], ...cite,
    }, false);
    await written('/v1/discrepancies', '/v1/discrepancies', {
      id: 'smoke-discrepancy', commitment: 'smoke-pledge', field: 'quantity',
      accounts: [{ value: '1000', sources: [SOURCE] }, { value: '2000', sources: [SOURCE] }], note: 'two figures', ...cite,
    }, false);

    const withdrawn = expectJson(await t.http.get('/v1/commitments/smoke-pledge?asOf=2025-06-01'), 200);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', quantity, version: 5 });
  });

  it('looks up any UUID-shaped event id, and refuses anything else before it reaches the store', async () => {
    const unknown = await t.http.post('/v1/events/00000000-0000-0000-0000-000000000001/reversal').set('Authorization', auth()).send({ reason: 'x' });
    expect(unknown.status).toBe(404);
    const malformed = await t.http.post('/v1/events/not-an-event/reversal').set('Authorization', auth()).send({ reason: 'x' });
    expect(malformed.status).toBe(400);
  });

  it('has called every resource route the application serves', () => {
    const served = servedRoutes(t.app).filter((route) => /^(?:GET|POST) \/v1\//.test(route));
    const journal = ['GET /v1/events', 'GET /v1/audit/verify'];
    expect([...hit, ...journal].sort()).toEqual(served);
  });
});
