import 'reflect-metadata';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './support/app';
import { bearer, exact, expectNoLeak, journalHead, SOURCE } from './support/ledger';

/**
 * Every write endpoint on its success path, one after another on a small world of its own built on
 * top of the seeds: a source, an institution, a programme, and one commitment that is corroborated,
 * revised, withdrawn and partly reversed. After each write the effect is read back through the
 * read endpoints, so a write that answers 201 but changes nothing fails here.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

const SRC = 'e2e-writes-gazette-2025-03-02';
const INSTITUTION = 'e2e-writes-foundation';
const PROGRAMME = 'e2e-writes-compute';
const COMMITMENT = 'e2e-writes-compute-pledge';
const AGREEMENT = 'e2e-writes-compute-mou';
const DISCREPANCY = 'e2e-writes-compute-figure';

const eur = (amount: string) => ({ unit: 'EUR', low: amount, high: amount, commitments: 1, qualifiers: ['exact'] });

describe('writes over HTTP, each read back', () => {
  let t: TestApp;
  let auth: string;
  let lastPosition: number;
  let revisionEventId: string;
  let discrepancyEventId: string;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    auth = bearer(t.token);
    lastPosition = await journalHead(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The 201 body every write answers, at the next journal position. */
  function expectAccepted(response: Response, stream: string, version: number): { eventId: string; position: number } {
    if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${response.text}`);
    expectNoLeak(response.text);
    expect(response.body).toEqual({
      eventId: expect.stringMatching(UUID),
      position: lastPosition + 1,
      stream,
      version,
      recordedAt: expect.stringMatching(INSTANT),
    });
    lastPosition = response.body.position;
    // An ETag always means a commitment's stream version; other writes carry none.
    if (!stream.startsWith('commitment-')) expect(response.headers.etag).toBeUndefined();
    return response.body;
  }

  async function programmeBalance(asOf: string) {
    const response = await t.http.get(`/v1/programmes/${PROGRAMME}/balance`).query({ asOf }).expect(200);
    return response.body;
  }

  it('POST /v1/sources registers a source that can then be read', async () => {
    const body = {
      id: SRC,
      publisher: 'E2E Gazette',
      title: 'A compute pledge is announced',
      language: 'en',
      publishedOn: '2025-03-02',
      url: 'https://example.org/e2e/compute',
      origin: 'e2e-gazette-2025-03-02',
    };
    const response = await t.http.post('/v1/sources').set('Authorization', auth).send(body);
    const accepted = expectAccepted(response, `source-${SRC}`, 1);

    const read = await t.http.get(`/v1/sources/${SRC}`).expect(200);
    expect(read.body).toEqual({
      ...body,
      citations: [
        {
          position: accepted.position,
          eventId: accepted.eventId,
          stream: `source-${SRC}`,
          type: 'SourceRegistered',
          effectiveOn: '2025-03-02',
          recordedAt: response.body.recordedAt,
        },
      ],
    });
    const list = await t.http.get('/v1/sources').query({ limit: 1000 }).expect(200);
    expect(list.body.sources).toContainEqual(body);
  });

  it('POST /v1/institutions registers an institution that can then be read', async () => {
    const body = {
      id: INSTITUTION,
      name: 'E2E Foundation',
      kind: 'investment-fund',
      country: 'FR',
      aliases: ['Fondation E2E'],
      sources: [SRC],
      effectiveOn: '2025-03-02',
    };
    const response = await t.http.post('/v1/institutions').set('Authorization', auth).send(body);
    expectAccepted(response, `institution-${INSTITUTION}`, 1);

    const read = await t.http.get(`/v1/institutions/${INSTITUTION}`).expect(200);
    expect(read.body).toEqual({ id: INSTITUTION, name: 'E2E Foundation', kind: 'investment-fund', country: 'FR', aliases: ['Fondation E2E'] });
    const balance = await t.http.get(`/v1/institutions/${INSTITUTION}/balance`).expect(200);
    expect(balance.body).toMatchObject({ institution: INSTITUTION, alone: [], jointly: [], unquantified: 0 });
  });

  it('POST /v1/programmes registers a component programme, listed under its parent', async () => {
    const body = {
      id: PROGRAMME,
      name: 'E2E compute',
      aliases: ['E2E Compute Programme'],
      parent: 'investai',
      owners: [INSTITUTION],
      sources: [SRC],
      effectiveOn: '2025-03-02',
    };
    const response = await t.http.post('/v1/programmes').set('Authorization', auth).send(body);
    expectAccepted(response, `programme-${PROGRAMME}`, 1);

    const read = await t.http.get(`/v1/programmes/${PROGRAMME}`).expect(200);
    expect(read.body).toEqual({
      id: PROGRAMME,
      name: 'E2E compute',
      aliases: ['E2E Compute Programme'],
      parent: 'investai',
      owners: [INSTITUTION],
      components: [],
    });
    const parent = await t.http.get('/v1/programmes/investai').expect(200);
    expect(parent.body.components).toEqual(expect.arrayContaining(['ai-gigafactories', PROGRAMME]));
    expect(await programmeBalance('2025-12-31')).toMatchObject({ programme: PROGRAMME, totals: [], unquantified: 0, components: [] });
  });

  it('POST /v1/commitments announces a commitment: 201 with ETag "1", and the balances count it', async () => {
    const body = {
      id: COMMITMENT,
      programme: PROGRAMME,
      pledgers: [INSTITUTION],
      announcedBy: INSTITUTION,
      kind: 'pledge',
      quantity: exact('EUR', '1000000000'),
      partOf: null,
      horizon: 'by 2027',
      sources: [SRC],
      effectiveOn: '2025-03-02',
    };
    const response = await t.http.post('/v1/commitments').set('Authorization', auth).send(body);
    expectAccepted(response, `commitment-${COMMITMENT}`, 1);
    expect(response.headers.etag).toBe('"1"');

    expect(await programmeBalance('2025-03-01')).toMatchObject({ totals: [], unquantified: 0 });
    expect(await programmeBalance('2025-03-02')).toMatchObject({
      programme: PROGRAMME,
      asOf: '2025-03-02',
      totals: [eur('1000000000')],
      unquantified: 0,
    });
    const institution = await t.http.get(`/v1/institutions/${INSTITUTION}/balance`).query({ asOf: '2025-03-02' }).expect(200);
    expect(institution.body).toMatchObject({ alone: [eur('1000000000')], jointly: [], unquantified: 0 });
    // The parent's balance takes in the component's new root commitment (EUR 200bn + 1bn).
    const investai = await t.http.get('/v1/programmes/investai/balance').query({ asOf: '2025-03-02' }).expect(200);
    expect(investai.body.totals).toContainEqual({
      unit: 'EUR',
      low: '201000000000',
      high: '201000000000',
      commitments: 2,
      qualifiers: ['exact'],
    });

    const view = await t.http.get(`/v1/commitments/${COMMITMENT}`).expect(200);
    expect(view.headers.etag).toBe('"1"');
    expect(view.body).toEqual({
      id: COMMITMENT,
      programme: PROGRAMME,
      pledgers: [INSTITUTION],
      announcedBy: INSTITUTION,
      kind: 'pledge',
      quantity: exact('EUR', '1000000000'),
      partOf: null,
      horizon: 'by 2027',
      status: 'active',
      effectiveOn: '2025-03-02',
      announcedOn: '2025-03-02',
      version: 1,
    });
  });

  it('POST /v1/commitments/{id}/corroborations records a citation with no balance change', async () => {
    const body = { quantity: exact('EUR', '1000000000'), sources: [SOURCE], effectiveOn: '2025-03-05' };
    const response = await t.http
      .post(`/v1/commitments/${COMMITMENT}/corroborations`)
      .set('Authorization', auth)
      .set('If-Match', '"1"')
      .send(body);
    const accepted = expectAccepted(response, `commitment-${COMMITMENT}`, 2);
    expect(response.headers.etag).toBe('"2"');

    expect(await programmeBalance('2025-03-05')).toMatchObject({ totals: [eur('1000000000')], unquantified: 0 });
    const cited = await t.http.get(`/v1/sources/${SOURCE}`).expect(200);
    expect(cited.body.citations).toContainEqual({
      position: accepted.position,
      eventId: accepted.eventId,
      stream: `commitment-${COMMITMENT}`,
      type: 'CommitmentCorroborated',
      effectiveOn: '2025-03-05',
      recordedAt: response.body.recordedAt,
    });
  });

  it('POST /v1/commitments/{id}/revisions changes the level from its effective date on', async () => {
    const body = {
      quantity: exact('EUR', '1500000000'),
      pledgers: [INSTITUTION, 'european-commission'],
      reason: 'The second announcement raises the pledge and adds the Commission.',
      sources: [SRC],
      effectiveOn: '2025-04-01',
    };
    const response = await t.http
      .post(`/v1/commitments/${COMMITMENT}/revisions`)
      .set('Authorization', auth)
      .set('If-Match', '"2"')
      .send(body);
    revisionEventId = expectAccepted(response, `commitment-${COMMITMENT}`, 3).eventId;
    expect(response.headers.etag).toBe('"3"');

    expect(await programmeBalance('2025-03-31')).toMatchObject({ totals: [eur('1000000000')] });
    expect(await programmeBalance('2025-04-01')).toMatchObject({ totals: [eur('1500000000')] });
    const institution = await t.http.get(`/v1/institutions/${INSTITUTION}/balance`).query({ asOf: '2025-04-01' }).expect(200);
    expect(institution.body).toMatchObject({ alone: [], jointly: [eur('1500000000')], unquantified: 0 });
  });

  it('POST /v1/commitments/{id}/withdrawal ends the commitment from its effective date on', async () => {
    const body = { reason: 'The foundation cancelled the pledge.', sources: [SRC], effectiveOn: '2025-06-01' };
    const response = await t.http
      .post(`/v1/commitments/${COMMITMENT}/withdrawal`)
      .set('Authorization', auth)
      .set('If-Match', '"3"')
      .send(body);
    expectAccepted(response, `commitment-${COMMITMENT}`, 4);
    expect(response.headers.etag).toBe('"4"');

    expect(await programmeBalance('2025-05-31')).toMatchObject({ totals: [eur('1500000000')] });
    expect(await programmeBalance('2025-06-01')).toMatchObject({ totals: [], unquantified: 0 });
    const view = await t.http.get(`/v1/commitments/${COMMITMENT}`).query({ asOf: '2025-06-01' }).expect(200);
    expect(view.body).toMatchObject({ status: 'withdrawn', version: 4 });
    const listed = await t.http.get('/v1/commitments').query({ programme: PROGRAMME, asOf: '2025-06-01' }).expect(200);
    expect(listed.body.commitments).toEqual([]);
  });

  it('POST /v1/agreements records an agreement in the journal, by the writer', async () => {
    const body = {
      id: AGREEMENT,
      kind: 'memorandum-of-understanding',
      parties: [INSTITUTION, 'european-commission'],
      programmes: [PROGRAMME],
      sources: [SRC],
      effectiveOn: '2025-04-01',
    };
    const response = await t.http.post('/v1/agreements').set('Authorization', auth).send(body);
    const accepted = expectAccepted(response, `agreement-${AGREEMENT}`, 1);

    const journal = await t.http.get('/v1/events').query({ after: accepted.position - 1, limit: 1 }).expect(200);
    expect(journal.body.events[0]).toMatchObject({
      eventId: accepted.eventId,
      type: 'AgreementSigned',
      stream: `agreement-${AGREEMENT}`,
      recordedBy: t.writer,
      sources: [SRC],
      effectiveOn: '2025-04-01',
      data: { id: AGREEMENT, kind: 'memorandum-of-understanding', parties: [INSTITUTION, 'european-commission'], programmes: [PROGRAMME] },
    });
  });

  it('POST /v1/discrepancies notes a disagreement, listed with both accounts', async () => {
    const body = {
      id: DISCREPANCY,
      commitment: COMMITMENT,
      field: 'quantity',
      accounts: [
        { value: '1000000000', sources: [SRC] },
        { value: 'about 1.2 billion', sources: [SOURCE] },
      ],
      note: 'The two reports give different figures for the first pledge.',
      sources: [SRC, SOURCE],
      effectiveOn: '2025-03-05',
    };
    const response = await t.http.post('/v1/discrepancies').set('Authorization', auth).send(body);
    const accepted = expectAccepted(response, `discrepancy-${DISCREPANCY}`, 1);
    discrepancyEventId = accepted.eventId;

    const list = await t.http.get('/v1/discrepancies').query({ limit: 1000 }).expect(200);
    const noted = (list.body.discrepancies as Array<{ id: string }>).find((item) => item.id === DISCREPANCY);
    expect(noted).toEqual({
      id: DISCREPANCY,
      commitment: COMMITMENT,
      field: 'quantity',
      accounts: body.accounts,
      note: body.note,
      effectiveOn: '2025-03-05',
      sources: [SRC, SOURCE],
      recordedAt: response.body.recordedAt,
      reversedAt: null,
    });
  });

  it('POST /v1/events/{eventId}/reversal undoes a revision: ETag on the commitment, the old level back', async () => {
    const response = await t.http
      .post(`/v1/events/${revisionEventId}/reversal`)
      .set('Authorization', auth)
      .set('If-Match', '"4"')
      .send({ reason: 'The revision was entered against the wrong commitment.' });
    expectAccepted(response, `commitment-${COMMITMENT}`, 5);
    expect(response.headers.etag).toBe('"5"');

    expect(await programmeBalance('2025-04-01')).toMatchObject({ totals: [eur('1000000000')] });
    const institution = await t.http.get(`/v1/institutions/${INSTITUTION}/balance`).query({ asOf: '2025-04-01' }).expect(200);
    expect(institution.body).toMatchObject({ alone: [eur('1000000000')], jointly: [] });
  });

  it('POST /v1/events/{eventId}/reversal of a discrepancy marks it reversed in the list', async () => {
    const response = await t.http
      .post(`/v1/events/${discrepancyEventId}/reversal`)
      .set('Authorization', auth)
      .send({ reason: 'Both reports were later found to agree.' });
    expectAccepted(response, `discrepancy-${DISCREPANCY}`, 2);

    const list = await t.http.get('/v1/discrepancies').query({ limit: 1000 }).expect(200);
    const noted = (list.body.discrepancies as Array<{ id: string; reversedAt: string | null }>).find((item) => item.id === DISCREPANCY);
    expect(noted?.reversedAt).toBe(response.body.recordedAt);
  });

  it('shows the whole story in the history, each step recorded by the writer with its quantities', async () => {
    const history = await t.http.get(`/v1/commitments/${COMMITMENT}/history`).expect(200);
    expect(history.body.commitment).toBe(COMMITMENT);
    const events = history.body.events as Array<Record<string, unknown>>;
    expect(events.map((event) => [event.type, event.version])).toEqual([
      ['CommitmentAnnounced', 1],
      ['CommitmentCorroborated', 2],
      ['CommitmentRevised', 3],
      ['CommitmentWithdrawn', 4],
      ['EntryReversed', 5],
    ]);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(
        ['data', 'effectiveOn', 'eventId', 'position', 'quantityAfter', 'quantityBefore', 'recordedAt', 'recordedBy', 'sources', 'type', 'version'],
      );
      expect(event).toMatchObject({
        position: expect.any(Number),
        eventId: expect.stringMatching(UUID),
        recordedAt: expect.stringMatching(INSTANT),
        recordedBy: t.writer,
        sources: expect.any(Array),
        data: expect.any(Object),
      });
    }
    const positions = events.map((event) => event.position as number);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(events[0]).toMatchObject({ effectiveOn: '2025-03-02', sources: [SRC], quantityBefore: null, quantityAfter: exact('EUR', '1000000000') });
    expect(events[2]).toMatchObject({
      effectiveOn: '2025-04-01',
      data: { quantity: exact('EUR', '1500000000'), pledgers: [INSTITUTION, 'european-commission'] },
      quantityBefore: exact('EUR', '1000000000'),
      quantityAfter: exact('EUR', '1500000000'),
    });
    // A reversal carries the effective date and sources of the event it undoes.
    expect(events[4]).toMatchObject({ effectiveOn: '2025-04-01', sources: [SRC], data: { eventId: revisionEventId } });
    expect(await journalHead(t)).toBe(lastPosition);
  });
});
