import 'reflect-metadata';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './support/app';
import { announcement, bearer, exact, expectProblem, journalHead, SOURCE, versionOf } from './support/ledger';

/**
 * Concurrent writers through HTTP. The database decides who wins: of many writes based on the
 * same version exactly one lands; of many retries of one idempotent request exactly one event is
 * appended and every retry hears the same answer.
 */

const statuses = (responses: Response[]) => responses.map((response) => response.status).sort((a, b) => a - b);

describe('concurrent writes', () => {
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    auth = bearer(t.token);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('20 revisions sent with the same If-Match: exactly one 201, nineteen 412', async () => {
    const id = 'e2e-races-if-match';
    const announced = await t.http.post('/v1/commitments').set('Authorization', auth).send(announcement(id)).expect(201);
    const etag = announced.headers.etag as string;
    expect(etag).toBe('"1"');
    const before = await journalHead(t);

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post(`/v1/commitments/${id}/revisions`)
          .set('Authorization', auth)
          .set('If-Match', etag)
          .send({
            quantity: exact('EUR', `${2000000000 + i}`),
            reason: `revision number ${i}`,
            sources: [SOURCE],
            effectiveOn: '2025-04-01',
          }),
      ),
    );

    expect(statuses(responses)).toEqual([201, ...Array<number>(19).fill(412)]);
    for (const response of responses.filter((r) => r.status === 412)) expectProblem(response, 412);
    const winner = responses.find((response) => response.status === 201)!;
    expect(winner.headers.etag).toBe('"2"');
    expect(winner.body).toMatchObject({ stream: `commitment-${id}`, version: 2, position: before + 1 });
    expect(await journalHead(t)).toBe(before + 1);

    const view = await t.http.get(`/v1/commitments/${id}`).query({ asOf: '2025-04-01' }).expect(200);
    expect(versionOf(view)).toBe(2);
    const history = await t.http.get(`/v1/commitments/${id}/history`).expect(200);
    expect(history.body.events).toHaveLength(2);
    // The figure in force is the winner's, whichever of the twenty it was.
    expect(view.body.quantity).toEqual(history.body.events[1].data.quantity);
  });

  it('20 announcements of one new id at once: exactly one 201, nineteen 409', async () => {
    const id = 'e2e-races-same-id';
    const before = await journalHead(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.post('/v1/commitments').set('Authorization', auth).send(announcement(id, { quantity: exact('EUR', `${1000 + i}`) })),
      ),
    );
    expect(statuses(responses)).toEqual([201, ...Array<number>(19).fill(409)]);
    for (const response of responses.filter((r) => r.status === 409)) expectProblem(response, 409);
    expect(await journalHead(t)).toBe(before + 1);
  });

  it('10 identical writes with one Idempotency-Key at once: one event, ten identical answers', async () => {
    const id = 'e2e-races-idempotent';
    const body = announcement(id);
    const before = await journalHead(t);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http.post('/v1/commitments').set('Authorization', auth).set('Idempotency-Key', 'e2e-races-key-1').send(body),
      ),
    );

    expect(await journalHead(t)).toBe(before + 1);
    const first = responses[0]!;
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stream: `commitment-${id}`, version: 1, position: before + 1 });
    for (const response of responses) {
      expect(response.status).toBe(first.status);
      expect(response.body).toEqual(first.body);
      expect(response.headers.etag).toBe('"1"');
    }
    // All but the one that appended say they are replays.
    const replayed = responses.filter((response) => response.headers['idempotent-replayed'] === 'true');
    expect(replayed).toHaveLength(9);

    // Later, the same key and body is answered the same way again, still without appending.
    const again = await t.http.post('/v1/commitments').set('Authorization', auth).set('Idempotency-Key', 'e2e-races-key-1').send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await journalHead(t)).toBe(before + 1);
  });

  it('the same key with another body: 409, nothing appended', async () => {
    const before = await journalHead(t);
    const response = await t.http
      .post('/v1/commitments')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'e2e-races-key-1')
      .send(announcement('e2e-races-idempotent', { quantity: exact('EUR', '7') }));
    expectProblem(response, 409);
    expect(await journalHead(t)).toBe(before);
  });

  it('10 different bodies racing on one new key: exactly one lands, the others are 409', async () => {
    const before = await journalHead(t);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.http
          .post('/v1/commitments')
          .set('Authorization', auth)
          .set('Idempotency-Key', 'e2e-races-key-2')
          .send(announcement(`e2e-races-key-two-${i}`)),
      ),
    );
    expect(statuses(responses)).toEqual([201, ...Array<number>(9).fill(409)]);
    for (const response of responses.filter((r) => r.status === 409)) expectProblem(response, 409);
    expect(await journalHead(t)).toBe(before + 1);
  });

  it('10 retries of one revision with the same key and If-Match: one event, and the retries are not 412', async () => {
    const id = 'e2e-races-retried-revision';
    await t.http.post('/v1/commitments').set('Authorization', auth).send(announcement(id)).expect(201);
    const before = await journalHead(t);
    const revise = () =>
      t.http
        .post(`/v1/commitments/${id}/revisions`)
        .set('Authorization', auth)
        .set('If-Match', '"1"')
        .set('Idempotency-Key', 'e2e-races-key-3')
        .send({ quantity: exact('EUR', '3000000000'), reason: 'raised', sources: [SOURCE], effectiveOn: '2025-04-01' });

    const responses = await Promise.all(Array.from({ length: 10 }, revise));
    expect(await journalHead(t)).toBe(before + 1);
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(response.body).toEqual(responses[0]!.body);
      expect(response.headers.etag).toBe('"2"');
    }
    // A client that lost the answer and retries later, its If-Match now stale, still hears the first answer.
    const late = await revise();
    expect(late.status).toBe(201);
    expect(late.body).toEqual(responses[0]!.body);
    expect(await journalHead(t)).toBe(before + 1);
  });

  it('leaves a chain that still verifies', async () => {
    const verify = await t.http.get('/v1/audit/verify').expect(200);
    expect(verify.body).toMatchObject({ ok: true, events: await journalHead(t) });
  });
});
