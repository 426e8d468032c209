import 'reflect-metadata';
import { expectedBalances, SOURCE_IDS, type ExpectedBalance } from '@ledger/seeds';
import { startTestApp, type TestApp } from './support/app';
import { bearer, exact } from './support/ledger';

/**
 * The two time axes through HTTP. First every hand-worked balance of the seeded history, read at
 * its valid date (and transaction time where the row gives one). Then a correction recorded now
 * for a past date: it changes that past as known from now on, and leaves the past as known before
 * it exactly as it was.
 */

function describeRow(row: ExpectedBalance): string {
  const subject = 'programme' in row.subject ? `programme ${row.subject.programme}` : 'institution' in row.subject ? `institution ${row.subject.institution}` : 'grand total';
  return `${subject} on ${row.asOf}${row.knownAt ? ` known at ${row.knownAt}` : ''}`;
}

const eur = (amount: string) => ({ unit: 'EUR', low: amount, high: amount, commitments: 1, qualifiers: ['exact'] });
const gigafactories = (n: string) => ({ unit: 'ai-gigafactory', low: n, high: n, commitments: 1, qualifiers: ['exact'] });

describe('bitemporal balances over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the seeded history, as worked out by hand', () => {
    it('covers programmes, institutions and the grand total', () => {
      const kinds = new Set(expectedBalances.map((row) => Object.keys(row.subject)[0]));
      expect([...kinds].sort()).toEqual(['grandTotal', 'institution', 'programme']);
      expect(expectedBalances.length).toBeGreaterThanOrEqual(6);
    });

    it.each(expectedBalances.map((row) => [describeRow(row), row] as const))('%s', async (_name, row) => {
      const query = { asOf: row.asOf, ...(row.knownAt ? { knownAt: row.knownAt } : {}) };
      const knownAt = row.knownAt ? new Date(row.knownAt).toISOString() : expect.any(String);
      if ('programme' in row.subject) {
        const id = row.subject.programme;
        const response = await t.http.get(`/v1/programmes/${id}/balance`).query(query).expect(200);
        expect(response.body).toEqual({ programme: id, asOf: row.asOf, knownAt, components: [], ...row.expect });
      } else if ('institution' in row.subject) {
        const id = row.subject.institution;
        const response = await t.http.get(`/v1/institutions/${id}/balance`).query(query).expect(200);
        expect(response.body).toEqual({ institution: id, asOf: row.asOf, knownAt, ...row.expect });
      } else {
        for (const by of ['programme', 'institution']) {
          const response = await t.http.get('/v1/balances').query({ by, ...query }).expect(200);
          expect(response.body).toMatchObject({ by, asOf: row.asOf });
          expect(response.body.knownAt).toEqual(knownAt);
          expect(response.body.grandTotal).toEqual(row.expect);
        }
      }
    });
  });

  describe('a correction recorded now for a past date', () => {
    /** The recording time of the last seeded event: the ledger as known before the correction. */
    let before: string;
    let correctedAt: string;

    beforeAll(async () => {
      const head = (await t.http.get('/health').expect(200)).body.position as number;
      const last = await t.http.get('/v1/events').query({ after: head - 1 }).expect(200);
      before = last.body.events[0].recordedAt as string;
      // The correction must be recorded strictly after `before` for the two readings to differ;
      // wait for the clock to pass that millisecond rather than hoping it already has.
      while (Date.now() <= Date.parse(before)) await new Promise((resolve) => setTimeout(resolve, 1));

      const response = await t.http
        .post('/v1/commitments/investai-mobilisation/revisions')
        .set('Authorization', bearer(t.token))
        .send({
          quantity: exact('EUR', '250000000000'),
          reason: 'A later reading of the launch puts the target at EUR 250bn from March.',
          sources: [SOURCE_IDS.investaiBg],
          effectiveOn: '2025-03-01',
        })
        .expect(201);
      correctedAt = response.body.recordedAt as string;
      expect(Date.parse(correctedAt)).toBeGreaterThan(Date.parse(before));
    });

    const investai = (query: Record<string, string>) =>
      t.http.get('/v1/programmes/investai/balance').query(query).expect(200).then((response) => response.body);

    it('changes the past as known now', async () => {
      const now = await investai({ asOf: '2025-06-01' });
      expect(now.totals).toEqual([eur('250000000000'), gigafactories('4')]);
    });

    it('leaves the past as known before the correction unchanged', async () => {
      const then = await investai({ asOf: '2025-06-01', knownAt: before });
      expect(then).toMatchObject({ asOf: '2025-06-01', knownAt: new Date(before).toISOString() });
      expect(then.totals).toEqual([eur('200000000000'), gigafactories('4')]);
    });

    it('draws the line at the correction\'s own recording time', async () => {
      const justBefore = new Date(Date.parse(correctedAt) - 1).toISOString();
      expect((await investai({ asOf: '2025-06-01', knownAt: justBefore })).totals).toEqual([eur('200000000000'), gigafactories('4')]);
      expect((await investai({ asOf: '2025-06-01', knownAt: correctedAt })).totals).toEqual([eur('250000000000'), gigafactories('4')]);
    });

    it('does not reach before its own effective date, whatever is known', async () => {
      expect((await investai({ asOf: '2025-02-28' })).totals).toEqual([eur('200000000000'), gigafactories('4')]);
    });

    it('shows in the grand total and the commitment the same way', async () => {
      const grand = (knownAt?: string) =>
        t.http
          .get('/v1/balances')
          .query({ by: 'programme', asOf: '2025-06-01', ...(knownAt ? { knownAt } : {}) })
          .expect(200)
          .then((response) => (response.body.grandTotal.totals as Array<{ unit: string }>).find((total) => total.unit === 'EUR'));
      expect(await grand()).toEqual({ unit: 'EUR', low: '369000000000', high: '369000000000', commitments: 3, qualifiers: ['exact'] });
      expect(await grand(before)).toEqual({ unit: 'EUR', low: '319000000000', high: '319000000000', commitments: 3, qualifiers: ['exact'] });

      const view = (knownAt?: string) =>
        t.http
          .get('/v1/commitments/investai-mobilisation')
          .query({ asOf: '2025-06-01', ...(knownAt ? { knownAt } : {}) })
          .expect(200)
          .then((response) => response.body.quantity);
      expect(await view()).toEqual(exact('EUR', '250000000000'));
      expect(await view(before)).toEqual(exact('EUR', '200000000000'));
    });
  });
});
