import helmet from 'helmet';
import type { HttpRequest, HttpResponse, Middleware, NextFunction } from './http-types';
import { ProblemException, Problems } from './problems';

/** The JSON body limit; the parser answers 413 above it. */
export const BODY_LIMIT = '1mb';

/**
 * Security headers. The API's own answers are JSON and never need to load anything, so they get a
 * policy that allows nothing; the `/docs` page is Swagger UI, which loads its own scripts and
 * styles from this origin and uses inline styles and data: images.
 */
export function securityHeaders(docsPath: string): Middleware {
  const api = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  const docs = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // The API is often served over plain http on a developer's machine; upgrading the page's
        // requests to https would break it there.
        upgradeInsecureRequests: null,
      },
    },
  });
  const prefix = `/${docsPath}`;
  return (request: HttpRequest, response: HttpResponse, next: NextFunction) => {
    const onDocs = request.path === prefix || request.path.startsWith(`${prefix}/`);
    (onDocs ? docs : api)(request as never, response as never, next);
  };
}

const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json[ \t]*(?:;|$)/i;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: HttpRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A write that carries a body must say it is JSON; anything else is refused with 415 before the
 * body is read, instead of being silently ignored by the JSON parser and then failing validation.
 */
export function requireJsonBodies(): Middleware {
  return (request: HttpRequest, _response: HttpResponse, next: NextFunction) => {
    if (METHODS_WITH_BODY.has(request.method) && hasBody(request)) {
      const type = request.headers['content-type'];
      if (typeof type !== 'string' || !JSON_MEDIA_TYPE.test(type)) {
        next(new ProblemException(Problems.unsupportedMediaType, 'Send the request body as application/json.'));
        return;
      }
    }
    next();
  };
}
