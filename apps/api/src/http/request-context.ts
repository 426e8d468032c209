import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { HttpRequest, HttpResponse, Middleware, NextFunction } from './http-types';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is short and plain, so it cannot
 * inject anything into logs, otherwise a fresh UUID), echoes it in the response, and writes one log
 * line when the response is finished. It runs first, so even a body the parser refuses is logged
 * under its id.
 */
export function requestContext(logger: Logger): Middleware {
  return (request: HttpRequest, response: HttpResponse, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    request.id = requestId;
    response.setHeader('X-Request-Id', requestId);
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId,
          method: request.method,
          path: (request.originalUrl ?? request.url).split('?')[0],
          status: response.statusCode,
          ms: Math.round(ms * 10) / 10,
          ...(request.writer ? { writer: request.writer } : {}),
        },
        'request',
      );
    });
    next();
  };
}
