import 'reflect-metadata';
import { startTestApp, type TestApp } from './support/app';

describe('health, request ids, security headers and logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers health with the database kind and the journal head', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: process.env['DATABASE_URL'] ? 'postgres' : 'pglite',
      position: 0,
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('echoes a sane X-Request-Id and logs one line for the request under it', async () => {
    const response = await t.http.get('/health').set('X-Request-Id', 'abc.DEF-123_x').expect(200);
    expect(response.headers['x-request-id']).toBe('abc.DEF-123_x');
    const lines = t.logs.filter((line) => line['requestId'] === 'abc.DEF-123_x');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/health', status: 200, msg: 'request' });
    expect(typeof lines[0]!['ms']).toBe('number');
  });

  it('replaces an X-Request-Id that is too long or has odd characters with a generated one', async () => {
    for (const offered of ['a'.repeat(129), 'has space', 'semi;colon', 'new\tline']) {
      const response = await t.http.get('/health').set('X-Request-Id', offered).expect(200);
      expect(response.headers['x-request-id']).not.toBe(offered);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('generates a request id when none is given, also on errors', async () => {
    const response = await t.http.get('/no/such/route').expect(404);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.logs.some((line) => line['requestId'] === response.headers['x-request-id'] && line['status'] === 404)).toBe(true);
  });

  it('sets security headers and no X-Powered-By', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no content-hash ETag, since an ETag means a stream version here', async () => {
    const response = await t.http.get('/v1/events').expect(200);
    expect(response.headers['etag']).toBeUndefined();
  });

  it('serves the docs page with a policy that lets Swagger UI load its own assets', async () => {
    const page = await t.http.get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    const script = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(script.text).toContain('/v1/events');
  });
});
