import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { z } from 'zod';

/**
 * Every failure leaves the API as an RFC 9457 problem. This file is the whole mapping from what
 * went wrong to what the client sees; the filter only renders it. Errors from the libraries are
 * recognised by their `name` and `code` properties, not by class, so the adapter does not depend
 * on which library raised them.
 */

/** Problem types are stable URIs under one base; clients may switch on them. */
export const PROBLEM_BASE = 'https://ledger.example/problems/';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional().describe('the domain rule that refused the request, when one did'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;
export type ProblemField = NonNullable<Problem['errors']>[number];

export interface ProblemClass {
  readonly type: string;
  readonly title: string;
  readonly status: number;
}

const problemClass = (slug: string, title: string, status: number): ProblemClass => ({
  type: `${PROBLEM_BASE}${slug}`,
  title,
  status,
});

/** The problem classes of the adapter itself. Domain refusals get a type per domain code. */
export const Problems = {
  validation: problemClass('validation', 'Invalid request', 400),
  malformedJson: problemClass('malformed-json', 'Malformed JSON', 400),
  badRequest: problemClass('bad-request', 'Bad Request', 400),
  unauthorized: problemClass('unauthorized', 'Unauthorized', 401),
  notFound: problemClass('not-found', 'Not Found', 404),
  alreadyExists: problemClass('already-exists', 'Already exists', 409),
  concurrentWrite: problemClass('concurrent-write', 'Concurrent write', 409),
  idempotencyConflict: problemClass('idempotency-conflict', 'Idempotency key reused', 409),
  staleVersion: problemClass('stale-version', 'Precondition Failed', 412),
  payloadTooLarge: problemClass('payload-too-large', 'Payload Too Large', 413),
  unsupportedMediaType: problemClass('unsupported-media-type', 'Unsupported Media Type', 415),
  internal: problemClass('internal', 'Internal Server Error', 500),
} as const;

/**
 * An error that already knows its problem. The adapter's middleware, guard, pipes and header
 * parsers throw it; it never carries anything the client should not read.
 */
export class ProblemException extends Error {
  override readonly name = 'ProblemException';
  constructor(
    readonly problemClass: ProblemClass,
    readonly detail?: string,
    readonly extra: { errors?: ProblemField[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? problemClass.title);
  }
}

/** What the mapping needs to know about the request that failed. */
export interface FailedRequest {
  /** The route's path parameters: an unknown id there is the missing resource itself (404). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The first path segment after the version, e.g. `commitments` for `/v1/commitments/x/revisions`. */
  readonly resource: string | undefined;
  /** Whether the request carried `If-Match`: a lost race is then a failed precondition (412). */
  readonly hadIfMatch: boolean;
}

export interface MappedProblem {
  readonly problem: Problem;
  readonly headers?: Record<string, string>;
  /** Set for server faults: the filter logs the error, and the client gets no detail. */
  readonly fault?: unknown;
}

/**
 * How a domain code maps to a status, beyond the default 422. `unknown-*` codes are decided per
 * request (see `unknownIdStatus`).
 */
const DOMAIN_STATUS: Readonly<Record<string, number>> = {
  'already-registered': 409,
  'not-found': 404,
};

const DOMAIN_CODE = /^[a-z]+(?:-[a-z0-9]+)*$/;

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly id?: unknown;
  readonly entity?: unknown;
  readonly details?: unknown;
}

function asErrorLike(error: unknown): ErrorLike | undefined {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : undefined;
}

/**
 * A domain error: an Error whose `code` is a lowercase kebab-case word. Driver errors never look
 * like that (PostgreSQL SQLSTATEs are five upper-case characters, Node's are `ERR_*`/`E*`).
 */
function domainCode(error: ErrorLike): string | undefined {
  if (typeof error.code !== 'string' || !DOMAIN_CODE.test(error.code)) return undefined;
  return error.name === 'DomainError' || error.name === 'NotFound' || error instanceof Error ? error.code : undefined;
}

/**
 * An unknown id is a 404 when it is what the path names (`POST /v1/commitments/nope/revisions`), and
 * a 422 when the body refers to it (a source or programme that does not exist): the resource asked
 * for is there, the request about it is what cannot be accepted. The code names the kind of thing
 * (`unknown-commitment`), which must be the path's resource; when the error carries ids (`id`, or
 * the values of `details`), one of them must also be a path parameter.
 */
function unknownIdStatus(code: string, error: ErrorLike, request: FailedRequest): number {
  const paramValues = Object.values(request.params).flat().map(String);
  if (paramValues.length === 0 || request.resource === undefined) return 422;
  const entity = typeof error.entity === 'string' ? error.entity : code.slice('unknown-'.length);
  if (singular(request.resource) !== entity) return 422;
  const ids = idsOf(error);
  return ids.length === 0 || ids.some((id) => paramValues.includes(id)) ? 404 : 422;
}

function idsOf(error: ErrorLike): string[] {
  const ids: string[] = typeof error.id === 'string' ? [error.id] : [];
  const details = error.details;
  if (typeof details === 'object' && details !== null) {
    for (const value of Object.values(details)) {
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') ids.push(item);
    }
  }
  return ids;
}

function singular(resource: string): string {
  if (resource.endsWith('ies')) return `${resource.slice(0, -3)}y`;
  return resource.endsWith('s') ? resource.slice(0, -1) : resource;
}

function humanise(code: string): string {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function messageOf(error: ErrorLike): string | undefined {
  return typeof error.message === 'string' && error.message.length > 0 ? error.message : undefined;
}

function fromClass(problemClass: ProblemClass, detail?: string): Problem {
  return { ...problemClass, ...(detail !== undefined ? { detail } : {}) };
}

/** What the body parser's depth check throws (see app.ts). */
export const JSON_TOO_DEEP = 'the request body is nested deeper than any request of this API';

/** Body-parser failures reach us wrapped in an HttpException whose cause names what happened. */
function fromBodyParser(cause: ErrorLike & { type?: unknown }): Problem | undefined {
  switch (cause.type) {
    case 'entity.parse.failed':
      return fromClass(Problems.malformedJson, 'The request body is not valid JSON.');
    case 'entity.too.deep':
      return fromClass(Problems.malformedJson, 'The request body is nested too deeply (64 levels at most).');
    case 'entity.too.large':
      return fromClass(Problems.payloadTooLarge, 'The request body is larger than 1 MiB.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return fromClass(Problems.unsupportedMediaType, 'The request body must be UTF-8 JSON.');
    case 'request.aborted':
    case 'request.size.invalid':
      return fromClass(Problems.badRequest, 'The request body was cut short.');
    default:
      return undefined;
  }
}

function fromHttpException(exception: HttpException): MappedProblem {
  const status = exception.getStatus();
  const parsed = fromBodyParser(asErrorLike(exception.cause) ?? {});
  if (parsed) return { problem: parsed };
  if (status >= 500) return { problem: fromClass(Problems.internal), fault: exception };
  if (status === 404) return { problem: fromClass(Problems.notFound, 'No route matches this method and path.') };
  if (status === 413) return { problem: fromClass(Problems.payloadTooLarge, 'The request body is larger than 1 MiB.') };
  const response = exception.getResponse();
  const message =
    typeof response === 'string'
      ? response
      : typeof (response as { message?: unknown }).message === 'string'
        ? (response as { message: string }).message
        : undefined;
  const title = STATUS_CODES[status] ?? 'Error';
  return { problem: { type: `${PROBLEM_BASE}${slugOf(title)}`, title, status, ...(message ? { detail: message } : {}) } };
}

function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Maps anything thrown while serving a request to the problem the client receives.
 *
 * | raised | answer |
 * | --- | --- |
 * | ProblemException (adapter: validation, auth, headers, content type) | its own class |
 * | body parser: bad JSON / too large / bad charset | 400 / 413 / 415 |
 * | `ConcurrencyError` | 412 with `If-Match`, otherwise 409 |
 * | `IdempotencyConflict` | 409 |
 * | domain `unknown-*` | 404 when the id is the path's target, otherwise 422 |
 * | domain `already-registered`, `not-found` | 409, 404 |
 * | any other domain code | 422 |
 * | HttpException below 500 | its status |
 * | anything else | 500 without detail, logged |
 */
export function toProblem(error: unknown, request: FailedRequest): MappedProblem {
  if (error instanceof ProblemException) {
    return {
      problem: { ...fromClass(error.problemClass, error.detail), ...(error.extra.errors ? { errors: error.extra.errors } : {}) },
      ...(error.extra.headers ? { headers: error.extra.headers } : {}),
    };
  }
  if (error instanceof HttpException) return fromHttpException(error);

  const like = asErrorLike(error);
  if (!like) return { problem: fromClass(Problems.internal), fault: error };

  if (like.name === 'ConcurrencyError') {
    return request.hadIfMatch
      ? { problem: fromClass(Problems.staleVersion, 'The resource has changed since the version given in If-Match.') }
      : { problem: fromClass(Problems.concurrentWrite, 'Another write changed the resource first; read it again and retry.') };
  }
  if (like.name === 'IdempotencyConflict') {
    return {
      problem: fromClass(Problems.idempotencyConflict, 'This Idempotency-Key was already used for a different request.'),
    };
  }

  const code = domainCode(like);
  if (code !== undefined) {
    const status = code.startsWith('unknown-') ? unknownIdStatus(code, like, request) : (DOMAIN_STATUS[code] ?? 422);
    const detail = messageOf(like);
    const base =
      status === 404 ? Problems.notFound : status === 409 ? Problems.alreadyExists : problemClass(code, humanise(code), status);
    return { problem: { ...fromClass(base, detail), code } };
  }
  return { problem: fromClass(Problems.internal), fault: error };
}
