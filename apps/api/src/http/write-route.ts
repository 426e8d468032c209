import { applyDecorators, createParamDecorator, HttpCode, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { WriteContext, WriteResult } from '@ledger/commitments';
import { streams } from '@ledger/domain';
import { canonicalJson, sha256Hex } from '@ledger/event-store';
import { z } from 'zod';
import type { HttpRequest, HttpResponse } from './http-types';
import { ProblemException, Problems } from './problems';
import { WriterGuard } from './writers';

/** The answer to every write (api.md): where the first new event landed. */
export const WriteAcceptedSchema = z
  .object({
    eventId: z.string(),
    position: z.number().int(),
    stream: z.string(),
    version: z.number().int(),
    recordedAt: z.string().describe('RFC 3339 UTC'),
  })
  .meta({ id: 'WriteAccepted' });
export type WriteAccepted = z.infer<typeof WriteAcceptedSchema>;

/**
 * Declares a write endpoint: bearer-token guard, 201, and the OpenAPI description of the token,
 * the `Idempotency-Key` header, the optional `If-Match` header (for writes to an existing
 * commitment) and the answer.
 */
export function WriteRoute(options: { ifMatch?: boolean } = {}): MethodDecorator & ClassDecorator {
  const decorators = [
    UseGuards(WriterGuard),
    HttpCode(201),
    ApiBearerAuth('writer'),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Repeating a write with the same key and body returns the first answer and appends nothing.',
    }),
    ApiResponse({ status: 201, description: 'Recorded.', standardSchema: WriteAcceptedSchema }),
  ];
  if (options.ifMatch) {
    decorators.push(
      ApiHeader({
        name: 'If-Match',
        required: false,
        description: 'The commitment version (its ETag, e.g. "3") the write was based on; a moved version answers 412.',
      }),
    );
  }
  return applyDecorators(...decorators) as MethodDecorator & ClassDecorator;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const ENTITY_TAG = /^(?:W\/)?"(0|[1-9][0-9]{0,14})"$/;

function singleHeader(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) {
    throw new ProblemException(Problems.badRequest, `Send at most one ${name} header.`);
  }
  return value;
}

export function parseIdempotencyKey(request: HttpRequest): string | undefined {
  const key = singleHeader(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ProblemException(Problems.badRequest, 'Idempotency-Key must be 1 to 200 visible ASCII characters.');
  }
  return key;
}

/** `If-Match: "3"` gives 3; the header absent gives undefined; anything else is a 400. */
export function parseIfMatch(request: HttpRequest): number | undefined {
  const value = singleHeader(request, 'if-match');
  if (value === undefined) return undefined;
  const match = ENTITY_TAG.exec(value.trim());
  if (!match) {
    throw new ProblemException(Problems.badRequest, 'If-Match must be one version as an entity tag, such as "3".');
  }
  return Number(match[1]);
}

/** The ETag of a stream version, as writes and reads of a commitment answer it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Every commitment's stream starts with this; only those streams' versions are ETags (api.md). */
const COMMITMENT_STREAM_PREFIX = streams.commitment('');

/**
 * The 201 answer of a write: the contract's body, an `ETag` when the write went to a commitment's
 * stream (a reversal does when the event it reverses was a commitment's), and
 * `Idempotent-Replayed: true` when an Idempotency-Key repeat returned the first answer without
 * appending.
 */
export function answerWrite(response: HttpResponse, result: WriteResult): WriteAccepted {
  if (result.stream.startsWith(COMMITMENT_STREAM_PREFIX)) response.setHeader('ETag', etagOf(result.version));
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return {
    eventId: result.eventId,
    position: result.position,
    stream: result.stream,
    version: result.version,
    recordedAt: result.recordedAt,
  };
}

/**
 * The write context of the current request: writer, If-Match version, and with an
 * `Idempotency-Key` the key and the hash that tells a repeat from another request (only a key
 * needs the hash, so a write without one skips hashing its body). Use on routes declared with
 * `@WriteRoute()`.
 */
export const WriteRequest = createParamDecorator((_data: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<HttpRequest>();
  if (request.writer === undefined) throw new Error('@WriteRequest() used on a route without WriterGuard');
  const idempotencyKey = parseIdempotencyKey(request);
  const expectedVersion = parseIfMatch(request);
  return {
    recordedBy: request.writer,
    ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash: requestHashOf(request) } : {}),
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
});

/** "The same request" for an idempotency key: method, path and body, whatever the key order. */
function requestHashOf(request: HttpRequest): string {
  const path = (request.originalUrl ?? request.url).split('?')[0];
  return sha256Hex(canonicalJson({ method: request.method, path, body: request.body ?? null }));
}
