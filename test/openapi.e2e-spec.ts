import 'reflect-metadata';
import { servedRoutes } from './support/routes';
import { startTestApp, type TestApp } from './support/app';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The document and its page are served by Swagger's own routes, which the document does not describe. */
const DOCUMENTATION_ROUTES = /^GET \/(?:docs(?:\/.*)?|openapi\.json)$/;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  security?: unknown[];
  parameters?: { name: string; in: string }[];
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    t = await startTestApp();
    const response = await t.http.get('/openapi.json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.body;
  });
  afterAll(async () => {
    await t?.close();
  });

  const documented = (): string[] =>
    Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();

  it('is OpenAPI 3', () => {
    expect(document.openapi).toMatch(/^3\./);
  });

  it('describes every route the application serves, and nothing else', () => {
    const served = servedRoutes(t.app).filter((route) => !DOCUMENTATION_ROUTES.test(route));
    expect(served).toContain('GET /health');
    expect(served).toContain('GET /v1/events');
    expect(documented()).toEqual(served);
  });

  it('serves its own document and page at the documented places', () => {
    const served = servedRoutes(t.app);
    expect(served).toContain('GET /openapi.json');
    expect(served).toContain('GET /docs');
  });

  it('resolves every schema reference', () => {
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of new Set(refs)) expect(document.components.schemas).toHaveProperty([name]);
  });

  it('gives every operation a success answer with a schema and a problem+json default', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const success = Object.entries(operation.responses).find(([status]) => /^2\d\d$/.test(status));
        expect([path, method, success && Object.values(success[1].content ?? {})[0]?.schema !== undefined]).toEqual([path, method, true]);
        expect(operation.responses['default']?.content?.['application/problem+json']).toBeDefined();
      }
    }
  });

  it('documents bodies of writes with their zod schemas and marks writes as needing the bearer token', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ['post', 'put', 'patch', 'delete']) {
        const operation = item[method];
        if (!operation) continue;
        expect([path, method, operation.security]).toEqual([path, method, [{ writer: [] }]]);
        const headers = (operation.parameters ?? []).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
        expect([path, method, headers]).toEqual([path, method, expect.arrayContaining(['Idempotency-Key'])]);
      }
    }
  });

  it('documents the paging parameters of the journal from the query schema', () => {
    const parameters = document.paths['/v1/events']!['get']!.parameters ?? [];
    expect(parameters.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual(['query:after', 'query:limit']);
  });
});
