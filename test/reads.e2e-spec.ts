import 'reflect-metadata';
import { expectedBalances, seedHistory, SOURCE_IDS, type SeedStep } from '@ledger/seeds';
import { startTestApp, type TestApp } from './support/app';
import { expectProblem, expectValidationProblem } from './support/ledger';

/**
 * Every read endpoint on the seeded ledger: the shapes of /tmp/api-shapes.md, the registry read
 * back exactly as the seeds wrote it, cursor paging that visits every item once, and a 404
 * problem for an id that was never registered on every route that names one.
 */

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;
const DATE = /^\d{4}-\d\d(?:-\d\d)?$/;

type Body = Record<string, unknown>;
const seeded = (write: SeedStep['write']): Body[] =>
  seedHistory.filter((step) => step.write === write).map((step) => step.body as Body);

/** The registry fields of a seeded registration: its body without the citation and valid time. */
function registryFields(body: Body): Body {
  const { sources: _sources, effectiveOn: _effectiveOn, ...fields } = body;
  return fields;
}

function expectedRow(subject: 'programme' | 'institution', id: string, asOf: string) {
  const row = expectedBalances.find(
    (candidate) => subject in candidate.subject && (candidate.subject as Record<string, string>)[subject] === id && candidate.asOf === asOf && !candidate.knownAt,
  );
  if (!row) throw new Error(`no expected balance for ${subject} ${id} on ${asOf}`);
  return row.expect;
}

function expectedGrandTotal(asOf: string) {
  const row = expectedBalances.find((candidate) => 'grandTotal' in candidate.subject && candidate.asOf === asOf && !candidate.knownAt);
  if (!row) throw new Error(`no expected grand total on ${asOf}`);
  return row.expect;
}

describe('reads over HTTP on the seeded ledger', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Walks a list one item per page with `after=next` and checks it meets the whole list in the
   * same order, each item once, and that the walk ends with `next: null`.
   */
  async function walk(path: string, key: string, query: Record<string, string> = {}): Promise<Body[]> {
    const whole = await t.http.get(path).query({ ...query, limit: 1000 }).expect(200);
    expect(whole.body.next).toBeNull();
    const all = whole.body[key] as Body[];

    const walked: Body[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages += 1) {
      if (pages > all.length + 1) throw new Error(`paging ${path} does not end`);
      const page = await t.http
        .get(path)
        .query({ ...query, limit: 1, ...(after !== undefined ? { after } : {}) })
        .expect(200);
      const items = page.body[key] as Body[];
      expect(items.length).toBeLessThanOrEqual(1);
      walked.push(...items);
      if (page.body.next === null) break;
      expect(page.body.next).toBe(items[items.length - 1]!.id);
      after = page.body.next as string;
    }
    expect(walked).toEqual(all);
    const ids = walked.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    return all;
  }

  describe('programmes', () => {
    it('lists every seeded programme exactly as registered, paging one at a time', async () => {
      const all = await walk('/v1/programmes', 'programmes');
      const expected = seeded('programme').map(registryFields);
      expect(all).toHaveLength(expected.length);
      expect(all).toEqual(expect.arrayContaining(expected));
      for (const item of all) expect(Object.keys(item).sort()).toEqual(['aliases', 'id', 'name', 'owners', 'parent']);
    });

    it('reads one programme with its components', async () => {
      for (const body of seeded('programme')) {
        const id = body.id as string;
        const response = await t.http.get(`/v1/programmes/${id}`).expect(200);
        const components = seeded('programme')
          .filter((other) => other.parent === id)
          .map((other) => other.id as string);
        const { components: got, ...rest } = response.body as Body & { components: string[] };
        expect(rest).toEqual(registryFields(body));
        expect([...got].sort()).toEqual(components.sort());
      }
      const investai = await t.http.get('/v1/programmes/investai').expect(200);
      expect(investai.body.components).toEqual(['ai-gigafactories']);
    });

    it('answers a programme balance with its echoed point and components', async () => {
      const response = await t.http.get('/v1/programmes/investai/balance').query({ asOf: '2025-12-05' }).expect(200);
      expect(response.body).toEqual({
        programme: 'investai',
        asOf: '2025-12-05',
        knownAt: expect.stringMatching(INSTANT),
        ...expectedRow('programme', 'investai', '2025-12-05'),
      });
    });

    it('defaults asOf to today and knownAt to now, and echoes a given knownAt as an ISO instant', async () => {
      const before = Date.now();
      const defaults = await t.http.get('/v1/programmes/investai/balance').expect(200);
      const after = Date.now();
      expect(defaults.body.asOf).toBe(new Date().toISOString().slice(0, 10));
      const knownAt = Date.parse(defaults.body.knownAt as string);
      expect(knownAt).toBeGreaterThanOrEqual(before - 1000);
      expect(knownAt).toBeLessThanOrEqual(after + 1000);

      const given = await t.http
        .get('/v1/programmes/investai/balance')
        .query({ asOf: '2025-12-05', knownAt: '2026-01-01T01:00:00+01:00' })
        .expect(200);
      expect(given.body.knownAt).toBe('2026-01-01T00:00:00.000Z');
    });
  });

  describe('institutions', () => {
    it('lists every seeded institution exactly as registered, paging one at a time', async () => {
      const all = await walk('/v1/institutions', 'institutions');
      const expected = seeded('institution').map(registryFields);
      expect(all).toHaveLength(expected.length);
      expect(all).toEqual(expect.arrayContaining(expected));
      for (const item of all) expect(Object.keys(item).sort()).toEqual(['aliases', 'country', 'id', 'kind', 'name']);
    });

    it('reads one institution', async () => {
      for (const body of seeded('institution')) {
        const response = await t.http.get(`/v1/institutions/${body.id as string}`).expect(200);
        expect(response.body).toEqual(registryFields(body));
      }
    });

    it('answers an institution balance with alone and jointly', async () => {
      const response = await t.http.get('/v1/institutions/eib-group/balance').query({ asOf: '2025-12-05' }).expect(200);
      expect(response.body).toEqual({
        institution: 'eib-group',
        asOf: '2025-12-05',
        knownAt: expect.stringMatching(INSTANT),
        ...expectedRow('institution', 'eib-group', '2025-12-05'),
      });
    });
  });

  describe('balances of everything at once', () => {
    it('by programme: one balance per programme and the grand total', async () => {
      const response = await t.http.get('/v1/balances').query({ by: 'programme', asOf: '2025-12-05' }).expect(200);
      expect(response.body).toEqual({
        by: 'programme',
        asOf: '2025-12-05',
        knownAt: expect.stringMatching(INSTANT),
        balances: expect.any(Array),
        grandTotal: expectedGrandTotal('2025-12-05'),
      });
      const balances = response.body.balances as Array<Body & { programme: string }>;
      expect(balances.map((balance) => balance.programme).sort()).toEqual(seeded('programme').map((body) => body.id as string).sort());
      expect(balances.find((balance) => balance.programme === 'investai')).toEqual({
        programme: 'investai',
        ...expectedRow('programme', 'investai', '2025-12-05'),
      });
      expect(balances.find((balance) => balance.programme === 'techeu')).toEqual({
        programme: 'techeu',
        components: [],
        ...expectedRow('programme', 'techeu', '2025-12-05'),
      });
    });

    it('by institution: one balance per institution and the same grand total', async () => {
      const response = await t.http.get('/v1/balances').query({ by: 'institution', asOf: '2025-12-05' }).expect(200);
      expect(response.body).toMatchObject({ by: 'institution', asOf: '2025-12-05', grandTotal: expectedGrandTotal('2025-12-05') });
      const balances = response.body.balances as Array<Body & { institution: string }>;
      expect(balances.map((balance) => balance.institution).sort()).toEqual(
        seeded('institution').map((body) => body.id as string).sort(),
      );
      expect(balances.find((balance) => balance.institution === 'eib-group')).toEqual({
        institution: 'eib-group',
        ...expectedRow('institution', 'eib-group', '2025-12-05'),
      });
    });

    it('needs by', async () => {
      expectValidationProblem(await t.http.get('/v1/balances'), 'by');
      expectValidationProblem(await t.http.get('/v1/balances').query({ by: 'country' }), 'by');
    });
  });

  describe('commitments', () => {
    const ITEM_KEYS = ['announcedBy', 'effectiveOn', 'horizon', 'id', 'kind', 'partOf', 'pledgers', 'programme', 'quantity'];

    it('lists the commitments in effect at a point, paging one at a time', async () => {
      const all = await walk('/v1/commitments', 'commitments', { asOf: '2025-12-05' });
      const announced = seeded('commitment').map((body) => body.id as string);
      // Every seeded commitment is in effect on 5 December 2025; none is withdrawn.
      expect(all.map((item) => item.id).sort()).toEqual(announced.sort());
      for (const item of all) expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      expect(all.find((item) => item.id === 'investai-gigafactory-count')).toEqual({
        id: 'investai-gigafactory-count',
        programme: 'ai-gigafactories',
        pledgers: ['european-commission', 'eib-group'],
        announcedBy: 'european-commission',
        kind: 'capacity',
        quantity: { unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' },
        partOf: null,
        horizon: null,
        effectiveOn: '2025-12-04',
      });
    });

    it('echoes the point and leaves out what was not yet in effect', async () => {
      const response = await t.http.get('/v1/commitments').query({ asOf: '2024-12-31' }).expect(200);
      expect(response.body).toEqual({
        commitments: [expect.objectContaining({ id: 'eurohpc-ai-factory-count', quantity: { unit: 'ai-factory', low: '7', high: '7', qualifier: 'exact' } })],
        next: null,
        asOf: '2024-12-31',
        knownAt: expect.stringMatching(INSTANT),
      });
    });

    it('filters by programme (components included) and by institution', async () => {
      const investai = await t.http.get('/v1/commitments').query({ programme: 'investai', asOf: '2025-12-05' }).expect(200);
      expect((investai.body.commitments as Body[]).map((item) => item.id).sort()).toEqual([
        'investai-gigafactory-count',
        'investai-gigafactory-fund',
        'investai-mobilisation',
      ]);
      const eib = await t.http.get('/v1/commitments').query({ institution: 'eib-group', asOf: '2025-12-05' }).expect(200);
      expect((eib.body.commitments as Body[]).map((item) => item.id).sort()).toEqual(['investai-gigafactory-count', 'techeu-mobilisation']);
      expectProblem(await t.http.get('/v1/commitments').query({ programme: 'no-such-programme' }), 404);
      expectProblem(await t.http.get('/v1/commitments').query({ institution: 'no-such-institution' }), 404);
    });

    it('reads one commitment as it stood then, with its stream version as ETag', async () => {
      const history = await t.http.get('/v1/commitments/investai-gigafactory-count/history').expect(200);
      const current = (history.body.events as Array<{ version: number }>).at(-1)!.version;

      const february = await t.http.get('/v1/commitments/investai-gigafactory-count').query({ asOf: '2025-03-01' }).expect(200);
      expect(february.headers.etag).toBe(`"${current}"`);
      expect(february.body).toEqual({
        id: 'investai-gigafactory-count',
        programme: 'ai-gigafactories',
        pledgers: ['european-commission'],
        announcedBy: 'european-commission',
        kind: 'capacity',
        quantity: { unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' },
        partOf: null,
        horizon: null,
        status: 'active',
        effectiveOn: '2025-02-11',
        announcedOn: '2025-02-11',
        version: expect.any(Number),
      });
      const december = await t.http.get('/v1/commitments/investai-gigafactory-count').query({ asOf: '2025-12-05' }).expect(200);
      expect(december.headers.etag).toBe(`"${current}"`);
      expect(december.body).toMatchObject({
        pledgers: ['european-commission', 'eib-group'],
        quantity: { unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' },
        effectiveOn: '2025-12-04',
        announcedOn: '2025-02-11',
        version: current,
      });
    });

    it('answers 404 for a commitment not yet announced, or not yet known, at the point asked', async () => {
      const never = expectProblem(await t.http.get('/v1/commitments/never-announced'), 404);
      const early = expectProblem(await t.http.get('/v1/commitments/investai-mobilisation').query({ asOf: '2025-02-10' }), 404);
      const unknown = expectProblem(
        await t.http.get('/v1/commitments/investai-mobilisation').query({ knownAt: '2020-01-01T00:00:00Z' }),
        404,
      );
      // The detail tells a client why: the commitment exists, just not at that point.
      expect(early.detail).not.toBe(never.detail);
      expect(unknown.detail).not.toBe(never.detail);
    });

    it('tells the history of a commitment: every event in order, recorded by the seed, with quantities', async () => {
      const response = await t.http.get('/v1/commitments/eurohpc-ai-factory-count/history').expect(200);
      expect(response.body.commitment).toBe('eurohpc-ai-factory-count');
      const events = response.body.events as Body[];
      expect(events.map((event) => event.type)).toEqual([
        'CommitmentAnnounced',
        'CommitmentRevised',
        'CommitmentCorroborated',
        'CommitmentRevised',
      ]);
      expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4]);
      for (const event of events) {
        expect(Object.keys(event).sort()).toEqual(
          ['data', 'effectiveOn', 'eventId', 'position', 'quantityAfter', 'quantityBefore', 'recordedAt', 'recordedBy', 'sources', 'type', 'version'],
        );
        expect(event).toMatchObject({ recordedBy: 'seed', recordedAt: expect.stringMatching(INSTANT), effectiveOn: expect.stringMatching(DATE) });
        expect((event.sources as string[]).length).toBeGreaterThan(0);
      }
      const factories = (n: string) => ({ unit: 'ai-factory', low: n, high: n, qualifier: 'exact' });
      expect(events[0]).toMatchObject({ effectiveOn: '2024-12', quantityBefore: null, quantityAfter: factories('7') });
      expect(events[1]).toMatchObject({ effectiveOn: '2025-02-11', quantityBefore: factories('7'), quantityAfter: factories('12') });
      expect(events[3]).toMatchObject({ effectiveOn: '2025-12-04', quantityBefore: factories('12'), quantityAfter: factories('19') });
    });
  });

  describe('sources', () => {
    it('lists every seeded source exactly as registered, paging one at a time', async () => {
      const all = await walk('/v1/sources', 'sources');
      const expected = seeded('source').map(registryFields);
      expect(all).toHaveLength(expected.length);
      expect(all).toEqual(expect.arrayContaining(expected));
    });

    it('reads one source with every journal event that cites it, in journal order', async () => {
      const journal = await t.http.get('/v1/events').query({ limit: 1000 }).expect(200);
      const events = journal.body.events as Array<Body & { sources: string[] }>;
      for (const body of seeded('source')) {
        const id = body.id as string;
        const response = await t.http.get(`/v1/sources/${id}`).expect(200);
        const { citations, ...fields } = response.body as Body & { citations: Body[] };
        expect(fields).toEqual(registryFields(body));
        expect(citations).toEqual(
          events
            .filter((event) => event.sources.includes(id))
            .map((event) => ({
              position: event.position,
              eventId: event.eventId,
              stream: event.stream,
              type: event.type,
              effectiveOn: event.effectiveOn,
              recordedAt: event.recordedAt,
            })),
        );
      }
      const december = await t.http.get(`/v1/sources/${SOURCE_IDS.gigafactoryMouVi}`).expect(200);
      expect(december.body.citations).toContainEqual(
        expect.objectContaining({ type: 'CommitmentRevised', stream: 'commitment-investai-gigafactory-count', effectiveOn: '2025-12-04' }),
      );
    });
  });

  describe('discrepancies', () => {
    it('lists every discrepancy with both accounts, paging one at a time', async () => {
      const all = await walk('/v1/discrepancies', 'discrepancies');
      const noted = seeded('discrepancy');
      expect(all).toHaveLength(noted.length);
      const seededBody = noted.find((body) => body.id === 'gigafactory-count-feb-2025')!;
      expect(all.find((item) => item.id === 'gigafactory-count-feb-2025')).toEqual({
        id: 'gigafactory-count-feb-2025',
        commitment: 'investai-gigafactory-count',
        field: 'quantity',
        accounts: seededBody.accounts,
        note: seededBody.note,
        effectiveOn: '2025-12-04',
        sources: seededBody.sources,
        recordedAt: expect.stringMatching(INSTANT),
        reversedAt: null,
      });
    });
  });

  describe('an id that was never registered', () => {
    it.each([
      '/v1/programmes/no-such-programme',
      '/v1/programmes/no-such-programme/balance',
      '/v1/institutions/no-such-institution',
      '/v1/institutions/no-such-institution/balance',
      '/v1/sources/no-such-source',
      '/v1/commitments/no-such-commitment',
      '/v1/commitments/no-such-commitment/history',
    ])('GET %s is a 404 problem', async (path) => {
      const body = expectProblem(await t.http.get(path), 404);
      expect(body.type).toBe('https://ledger.example/problems/not-found');
    });
  });
});
