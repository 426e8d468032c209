import 'reflect-metadata';
import { startTestApp, type TestApp } from './support/app';

describe('an application started with LEDGER_SEED=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has loaded the seed history before answering its first request', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body.position).toBeGreaterThan(0);
  });

  it('pages through every seeded event once, each recorded by the seed writer with its sources', async () => {
    const head = (await t.http.get('/health').expect(200)).body.position as number;
    const positions: number[] = [];
    let after = 0;
    for (;;) {
      const page = await t.http.get('/v1/events').query({ after, limit: 25 }).expect(200);
      for (const event of page.body.events) {
        positions.push(event.position);
        expect(event.recordedBy).toBe('seed');
        expect(event.sources.length).toBeGreaterThan(0);
        expect(event.effectiveOn).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      }
      if (page.body.next === null) break;
      after = page.body.next;
    }
    expect(positions).toEqual(Array.from({ length: head }, (_, index) => index + 1));
  });

  it('verifies the seeded chain up to the head', async () => {
    const head = (await t.http.get('/health').expect(200)).body.position as number;
    const last = (await t.http.get('/v1/events').query({ after: head - 1 }).expect(200)).body.events[0];
    const verify = await t.http.get('/v1/audit/verify').expect(200);
    expect(verify.body).toEqual({ ok: true, events: head, head: last.hash });
  });
});
