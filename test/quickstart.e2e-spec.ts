import 'reflect-metadata';
import { SOURCE_IDS } from '@ledger/seeds';
import { startTestApp, type TestApp } from './support/app';

/**
 * What a new user does after `npm start` with nothing configured: read the seeded balance from the
 * README, take the writer token the server printed, record a commitment with it, and find it in the
 * balance and in its own history.
 */
describe('the README quickstart', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ writers: null, seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('announces one generated writer token, once, for a writer called local', () => {
    const lines = t.announced.filter((line) => line.startsWith('writer token'));
    expect(lines).toEqual([`writer token for "local": ${t.token}`]);
    expect(t.token.length).toBeGreaterThanOrEqual(16);
    expect(t.writer).toBe('local');
  });

  it('reads the health, a seeded balance and a seeded history without a token', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', position: expect.any(Number) });
    const balance = await t.http.get('/v1/programmes/investai/balance?asOf=2025-03-01').expect(200);
    expect(balance.body.totals).toContainEqual({ unit: 'EUR', low: '200000000000', high: '200000000000', commitments: 1, qualifiers: ['exact'] });
    const history = await t.http.get('/v1/commitments/investai-gigafactory-count/history').expect(200);
    expect(history.body.events.length).toBeGreaterThan(0);
  });

  it('refuses a write without the token, and records it with the token', async () => {
    const body = {
      id: 'my-first-commitment',
      programme: 'ai-gigafactories',
      pledgers: ['eib-group'],
      announcedBy: 'eib-group',
      kind: 'pledge',
      quantity: { unit: 'EUR', low: '5000000000', high: '5000000000', qualifier: 'exact' },
      partOf: null,
      horizon: null,
      sources: [SOURCE_IDS.gigafactoryMouVi],
      effectiveOn: '2025-12-04',
    };
    const refused = await t.http.post('/v1/commitments').send(body);
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);

    const recorded = await t.http.post('/v1/commitments').set('Authorization', `Bearer ${t.token}`).send(body).expect(201);
    expect(recorded.headers.etag).toBe('"1"');
    expect(recorded.body).toMatchObject({ stream: 'commitment-my-first-commitment', version: 1 });

    // InvestAI counts it as a new root commitment on top of its EUR 200bn.
    const balance = await t.http.get('/v1/programmes/investai/balance?asOf=2025-12-05').expect(200);
    expect(balance.body.totals).toContainEqual({ unit: 'EUR', low: '205000000000', high: '205000000000', commitments: 2, qualifiers: ['exact'] });
    const eib = await t.http.get('/v1/institutions/eib-group/balance?asOf=2025-12-05').expect(200);
    expect(eib.body.alone).toContainEqual({ unit: 'EUR', low: '255000000000', high: '255000000000', commitments: 2, qualifiers: ['exact'] });

    const history = await t.http.get('/v1/commitments/my-first-commitment/history').expect(200);
    expect(history.body).toEqual({
      commitment: 'my-first-commitment',
      events: [
        expect.objectContaining({
          position: recorded.body.position,
          eventId: recorded.body.eventId,
          type: 'CommitmentAnnounced',
          version: 1,
          effectiveOn: '2025-12-04',
          recordedAt: recorded.body.recordedAt,
          recordedBy: 'local',
          sources: [SOURCE_IDS.gigafactoryMouVi],
          quantityBefore: null,
          quantityAfter: body.quantity,
        }),
      ],
    });
  });
});
