import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Writer as ConfiguredWriter } from '@ledger/config';
import type { HttpRequest } from './http-types';
import { ProblemException, Problems } from './problems';

/** The injection token of the writers allowed to append (`readonly Writer[]` of @ledger/config). */
export const WRITERS = Symbol('WRITERS');

/**
 * The writers from configuration or, when none are configured, one writer `local` with a fresh
 * random token, announced once so whoever started the server can use it.
 */
export function resolveWriters(
  configured: readonly ConfiguredWriter[] | undefined,
  announce: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): readonly ConfiguredWriter[] {
  if (configured && configured.length > 0) return configured;
  const token = randomBytes(24).toString('base64url');
  announce(`writer token for "local": ${token}`);
  return [{ name: 'local', token }];
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Lets a request through when its `Authorization: Bearer <token>` names a configured writer, and
 * records the writer's name on the request for `recordedBy`. Tokens are compared as sha256 digests
 * with `timingSafeEqual`, against every writer without stopping early, so neither a token's content
 * nor its length shows in the time taken.
 */
@Injectable()
export class WriterGuard implements CanActivate {
  private readonly digests: readonly { name: string; digest: Buffer }[];

  constructor(@Inject(WRITERS) writers: readonly ConfiguredWriter[]) {
    this.digests = writers.map((writer) => ({ name: writer.name, digest: digest(writer.token) }));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header) : null;
    if (!match) {
      throw new ProblemException(Problems.unauthorized, 'This write needs an Authorization: Bearer <token> header.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="ledger"' },
      });
    }
    const presented = digest(match[1]!);
    let writer: string | undefined;
    for (const candidate of this.digests) {
      if (timingSafeEqual(presented, candidate.digest) && writer === undefined) writer = candidate.name;
    }
    if (writer === undefined) {
      throw new ProblemException(Problems.unauthorized, 'The bearer token is not one of a writer.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="ledger", error="invalid_token"' },
      });
    }
    request.writer = writer;
    return true;
  }
}
