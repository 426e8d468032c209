import 'reflect-metadata';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { z } from 'zod';
import type { WriteContext } from '@ledger/commitments';
import { configureHttp } from '../app';
import { createLogger } from './logger';
import type { HttpResponse } from './http-types';
import { answerWrite, WriteRequest, WriteRoute } from './write-route';
import { resolveWriters, WRITERS, WriterGuard } from './writers';

/**
 * The HTTP layers (middleware order, guard, validation, problem mapping) exercised through a probe
 * controller that exists only in this spec, so every mapping row is reached without a database.
 */
const ProbeBody = z.strictObject({
  name: z.string().min(1),
  amount: z.string().regex(/^[0-9]+$/, 'must be a decimal string'),
  items: z.array(z.strictObject({ value: z.string() })).optional(),
});

const Failure = z.strictObject({
  name: z.string(),
  code: z.string().optional(),
  message: z.string().optional(),
  id: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});

function raise(failure: z.infer<typeof Failure>): never {
  const error = new Error(failure.message ?? 'failure') as Error & { code?: string; id?: string; details?: object };
  error.name = failure.name;
  if (failure.code !== undefined) error.code = failure.code;
  if (failure.id !== undefined) error.id = failure.id;
  if (failure.details !== undefined) error.details = failure.details;
  throw error;
}

@Controller('v1')
class ProbeController {
  @Post('probes/:id')
  @WriteRoute({ ifMatch: true })
  write(@Param('id') id: string, @Body({ schema: ProbeBody }) body: z.infer<typeof ProbeBody>, @WriteRequest() context: WriteContext) {
    return { id, body, context };
  }

  @Post('probes/:id/appended')
  @WriteRoute({ ifMatch: true })
  appended(
    @Param('id') id: string,
    @Body({ schema: z.strictObject({ replayed: z.boolean() }) }) body: { replayed: boolean },
    @Res({ passthrough: true }) response: HttpResponse,
  ) {
    const recordedAt = '2026-01-02T03:04:05.678Z';
    return answerWrite(response, { eventId: 'e-1', position: 7, stream: id, version: 4, recordedAt, replayed: body.replayed });
  }

  @Post('probes/:id/failures')
  @WriteRoute()
  failOnTarget(@Body({ schema: Failure }) failure: z.infer<typeof Failure>): never {
    raise(failure);
  }

  @Post('failures')
  @WriteRoute()
  fail(@Body({ schema: Failure }) failure: z.infer<typeof Failure>): never {
    raise(failure);
  }
}

const WRITER_LIST = [
  { name: 'alice', token: 'alice-token-0123456789' },
  { name: 'bob', token: 'bob-token-0123456789abcdef' },
];
const LEAKS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|select |insert |duplicate key|constraint|password/i;

describe('HTTP layer: auth, validation and problem+json mapping', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const logs: Record<string, unknown>[] = [];
  const alice = { Authorization: `Bearer ${WRITER_LIST[0]!.token}` };

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [ProbeController],
      providers: [{ provide: WRITERS, useValue: WRITER_LIST }, WriterGuard],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureHttp(app, createLogger({ destination: { write: (line: string) => void logs.push(JSON.parse(line)) } }));
    await app.init();
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
  });

  const valid = { name: 'x', amount: '200000000000' };

  describe('writer tokens', () => {
    it('refuses a write without a token: 401, WWW-Authenticate: Bearer, problem+json', async () => {
      const response = await http.post('/v1/probes/a').send(valid).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: 'https://ledger.example/problems/unauthorized', status: 401, title: 'Unauthorized' });
    });

    it.each([
      ['a wrong token', 'Bearer not-a-writer-token-at-all'],
      ['a prefix of a real token', `Bearer ${WRITER_LIST[0]!.token.slice(0, -1)}`],
      ['a real token under another scheme', `Basic ${WRITER_LIST[0]!.token}`],
      ['an empty bearer', 'Bearer '],
    ])('refuses %s with 401', async (_label, header) => {
      const response = await http.post('/v1/probes/a').set('Authorization', header).send(valid).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('lets each writer in under its own name, which becomes recordedBy', async () => {
      const first = await http.post('/v1/probes/a').set(alice).send(valid).expect(201);
      expect(first.body.context.recordedBy).toBe('alice');
      const second = await http
        .post('/v1/probes/a')
        .set('Authorization', `bearer ${WRITER_LIST[1]!.token}`)
        .send(valid)
        .expect(201);
      expect(second.body.context.recordedBy).toBe('bob');
    });

    it('generates a long random token for writer local when none is configured, announced once', () => {
      const lines: string[] = [];
      const writers = resolveWriters(undefined, (line) => lines.push(line));
      expect(writers).toHaveLength(1);
      expect(writers[0]!.name).toBe('local');
      expect(writers[0]!.token.length).toBeGreaterThanOrEqual(32);
      expect(lines).toEqual([`writer token for "local": ${writers[0]!.token}`]);
      expect(resolveWriters(undefined, () => undefined)[0]!.token).not.toBe(writers[0]!.token);
      expect(resolveWriters(WRITER_LIST, () => lines.push('again'))).toBe(WRITER_LIST);
      expect(lines).toHaveLength(1);
    });
  });

  describe('bodies', () => {
    it('lists every bad path, unknown fields included', async () => {
      const response = await http
        .post('/v1/probes/a')
        .set(alice)
        .send({ name: '', amount: 200000000000, extra: true, items: [{ value: 'ok' }, { value: 1, more: 2 }] })
        .expect(400);
      expect(response.body).toMatchObject({ type: 'https://ledger.example/problems/validation', status: 400 });
      const paths = (response.body.errors as { path: string; message: string }[]).map((error) => error.path).sort();
      expect(paths).toEqual(['amount', 'extra', 'items[1].more', 'items[1].value', 'name']);
      for (const error of response.body.errors) expect(error.message.length).toBeGreaterThan(0);
    });

    it('refuses a missing body as invalid input', async () => {
      const response = await http.post('/v1/probes/a').set(alice).expect(400);
      expect(response.body.type).toBe('https://ledger.example/problems/validation');
    });

    it('refuses broken JSON with 400 and no parser internals', async () => {
      const response = await http
        .post('/v1/probes/a')
        .set(alice)
        .set('Content-Type', 'application/json')
        .send('{"name": "x", ')
        .expect(400);
      expect(response.body).toEqual({
        type: 'https://ledger.example/problems/malformed-json',
        title: 'Malformed JSON',
        status: 400,
        detail: 'The request body is not valid JSON.',
        instance: '/v1/probes/a',
      });
    });

    it('refuses a JSON scalar at the top level (strict parser)', async () => {
      await http.post('/v1/probes/a').set(alice).set('Content-Type', 'application/json').send('"just a string"').expect(400);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const body = JSON.stringify({ name: 'x', amount: '1', pad: 'a'.repeat(2 * 1024 * 1024) });
      const response = await http.post('/v1/probes/a').set(alice).set('Content-Type', 'application/json').send(body).expect(413);
      expect(response.body).toMatchObject({ type: 'https://ledger.example/problems/payload-too-large', status: 413 });
    });

    it('refuses a body that is not JSON with 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
        const response = await http.post('/v1/probes/a').set(alice).set('Content-Type', type).send('name=x').expect(415);
        expect(response.body).toMatchObject({ type: 'https://ledger.example/problems/unsupported-media-type', status: 415 });
      }
    });

    it('accepts application/json with a charset', async () => {
      await http
        .post('/v1/probes/a')
        .set(alice)
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify(valid))
        .expect(201);
    });
  });

  describe('write headers', () => {
    it('passes the idempotency key and the If-Match version to the handler', async () => {
      const response = await http
        .post('/v1/probes/a')
        .set(alice)
        .set('Idempotency-Key', 'key-1')
        .set('If-Match', '"3"')
        .send(valid)
        .expect(201);
      expect(response.body.context).toMatchObject({ recordedBy: 'alice', idempotencyKey: 'key-1', requestHash: expect.stringMatching(/^[0-9a-f]{64}$/), expectedVersion: 3 });
    });

    it('leaves both out, and hashes nothing, when the headers are absent', async () => {
      const response = await http.post('/v1/probes/a').set(alice).send(valid).expect(201);
      expect(response.body.context).not.toHaveProperty('idempotencyKey');
      expect(response.body.context).not.toHaveProperty('expectedVersion');
      expect(response.body.context).not.toHaveProperty('requestHash');
    });

    it.each([
      ['If-Match', '3x'],
      ['If-Match', '"-1"'],
      ['If-Match', '"1", "2"'],
      ['Idempotency-Key', 'x'.repeat(201)],
      ['Idempotency-Key', 'with space'],
    ])('refuses %s: %s with 400', async (header, value) => {
      const response = await http.post('/v1/probes/a').set(alice).set(header, value).send(valid).expect(400);
      expect(response.body.type).toBe('https://ledger.example/problems/bad-request');
    });

    it('hashes the request by method, path and body, whatever the key order', async () => {
      const hashOf = async (path: string, body: object) =>
        (await http.post(path).set(alice).set('Idempotency-Key', 'k-1').send(body).expect(201)).body.context.requestHash as string;
      const a = await hashOf('/v1/probes/a', { name: 'x', amount: '1' });
      expect(await hashOf('/v1/probes/a', { amount: '1', name: 'x' })).toBe(a);
      expect(await hashOf('/v1/probes/b', { name: 'x', amount: '1' })).not.toBe(a);
      expect(await hashOf('/v1/probes/a', { name: 'x', amount: '2' })).not.toBe(a);
    });
  });

  describe('write answers', () => {
    it('answers 201 with the contract body and, for a commitment, the stream version as ETag', async () => {
      const response = await http.post('/v1/probes/commitment-a/appended').set(alice).send({ replayed: false }).expect(201);
      expect(response.body).toEqual({ eventId: 'e-1', position: 7, stream: 'commitment-a', version: 4, recordedAt: '2026-01-02T03:04:05.678Z' });
      expect(response.headers['etag']).toBe('"4"');
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    });

    it('answers no ETag for a write to any other stream', async () => {
      const response = await http.post('/v1/probes/agreement-a/appended').set(alice).send({ replayed: false }).expect(201);
      expect(response.body.stream).toBe('agreement-a');
      expect(response.headers['etag']).toBeUndefined();
    });

    it('marks an idempotent repeat, with the same body', async () => {
      const response = await http.post('/v1/probes/commitment-a/appended').set(alice).send({ replayed: true }).expect(201);
      expect(response.body.version).toBe(4);
      expect(response.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('error mapping', () => {
    it.each([
      ['/v1/probes/nope/failures', { name: 'DomainError', code: 'unknown-probe', id: 'nope' }, {}, 404, 'not-found'],
      ['/v1/probes/nope/failures', { name: 'DomainError', code: 'unknown-probe' }, {}, 404, 'not-found'],
      ['/v1/probes/nope/failures', { name: 'DomainError', code: 'unknown-probe', details: { probe: 'nope' } }, {}, 404, 'not-found'],
      ['/v1/probes/real/failures', { name: 'DomainError', code: 'unknown-probe', details: { probe: 'other' } }, {}, 422, 'unknown-probe'],
      ['/v1/probes/real/failures', { name: 'DomainError', code: 'unknown-source', id: 'ghost' }, {}, 422, 'unknown-source'],
      ['/v1/probes/real/failures', { name: 'DomainError', code: 'unknown-source', details: { sources: ['real'] } }, {}, 422, 'unknown-source'],
      ['/v1/failures', { name: 'DomainError', code: 'unknown-programme', id: 'ghost' }, {}, 422, 'unknown-programme'],
      ['/v1/failures', { name: 'DomainError', code: 'already-registered', id: 'x' }, {}, 409, 'already-exists'],
      ['/v1/failures', { name: 'DomainError', code: 'commitment-withdrawn' }, {}, 422, 'commitment-withdrawn'],
      ['/v1/failures', { name: 'NotFound', code: 'not-found' }, {}, 404, 'not-found'],
      ['/v1/failures', { name: 'ConcurrencyError' }, {}, 409, 'concurrent-write'],
      ['/v1/failures', { name: 'ConcurrencyError' }, { 'If-Match': '"2"' }, 412, 'stale-version'],
      ['/v1/failures', { name: 'IdempotencyConflict' }, {}, 409, 'idempotency-conflict'],
    ])('%s throwing %j (%j) answers %i %s', async (path, failure, headers, status, type) => {
      const response = await http.post(path).set(alice).set(headers).send(failure).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: `https://ledger.example/problems/${type}`, status, instance: path });
      expect(typeof response.body.title).toBe('string');
      if ('code' in failure && failure.name === 'DomainError') expect(response.body.code).toBe(failure.code);
    });

    it('gives a domain refusal its message as detail and a title from its code', async () => {
      const response = await http
        .post('/v1/failures')
        .set(alice)
        .send({ name: 'DomainError', code: 'part-larger-than-whole', message: 'the part exceeds its whole' })
        .expect(422);
      expect(response.body).toMatchObject({ title: 'Part larger than whole', detail: 'the part exceeds its whole', code: 'part-larger-than-whole' });
    });

    it.each([
      ['a plain error', { name: 'Error', message: 'select * from events where password = 1\n    at Foo (/app/src/x.ts:10:3)' }],
      ['a driver error', { name: 'error', code: '23505', message: 'duplicate key value violates unique constraint "events_pkey"' }],
      ['an upper-case code', { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    ])('answers %s as a bare 500 and logs it with the request id', async (label, failure) => {
      const requestId = `crash-${label.replace(/ /g, '-')}`;
      const response = await http.post('/v1/failures').set(alice).set('X-Request-Id', requestId).send(failure).expect(500);
      expect(response.body).toEqual({ type: 'https://ledger.example/problems/internal', title: 'Internal Server Error', status: 500 });
      const logged = logs.find((line) => line['requestId'] === requestId && line['msg'] === 'request failed');
      expect((logged?.['err'] as { message?: string } | undefined)?.message).toBe(failure.message);
      expect(logs.find((line) => line['requestId'] === requestId && line['msg'] === 'request')).toMatchObject({ status: 500 });
    });

    it('answers an unknown route with a 404 problem', async () => {
      for (const [method, path] of [['get', '/nope'], ['post', '/v1/nothing'], ['delete', '/v1/probes/a']] as const) {
        const response = await http[method](path).expect(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ type: 'https://ledger.example/problems/not-found', status: 404, instance: path });
      }
    });

    it('never shows a stack trace, SQL or driver text in any error body', async () => {
      const bodies = await Promise.all([
        http.post('/v1/failures').set(alice).send({ name: 'Error', message: 'insert into events at Foo (x.ts:1:1)' }),
        http.post('/v1/failures').set(alice).send({ name: 'x', code: '42P01', message: 'relation "events" does not exist' }),
        http.post('/v1/probes/a').set(alice).set('Content-Type', 'application/json').send('{'),
        http.post('/v1/probes/a').set(alice).send({ amount: 5 }),
        http.get('/v1/nothing/at/all'),
        http.post('/v1/probes/a').send(valid),
      ]);
      for (const response of bodies) {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.text).not.toMatch(LEAKS);
        expect(response.text).not.toContain('stack');
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });
});
