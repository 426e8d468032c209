import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { LedgerConfig, Writer } from '@ledger/config';
import type { LedgerDatabase } from '@ledger/db';
import { AppModule } from './app.module';
import { createLogger, PinoNestLogger } from './http/logger';
import { DOCS_PATH, serveOpenApi } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';
import { JSON_TOO_DEEP } from './http/problems';
import { requestContext } from './http/request-context';
import { BODY_LIMIT, requireJsonBodies, securityHeaders } from './http/security';
import { createValidationPipe } from './http/validation';
import { resolveWriters } from './http/writers';

export interface AppOptions {
  readonly config: LedgerConfig;
  /** An already-open, migrated database (tests). Without it the application opens the configured one. */
  readonly database?: LedgerDatabase;
  /** Overrides the configured writers (tests). */
  readonly writers?: readonly Writer[];
  readonly logger?: Logger;
  /** Where a generated writer token is announced; stdout by default. */
  readonly announce?: (line: string) => void;
}

/**
 * The HTTP layers around the routes, shared by the application and by specs that mount their own
 * controllers. Call before `app.init()`, so Nest's routes and its not-found handler come after them.
 * The order of the layers is the order of refusals: every request gets its id and security headers
 * first, then a write's content type is checked (415), then its body is parsed (400 malformed, 413
 * too large), then Nest routes it (401 from the writer guard, 400 from validation, 404 when nothing
 * matches).
 */
export function configureHttp(app: NestExpressApplication, logger: Logger): void {
  app.disable('x-powered-by');
  // An ETag here always means a commitment's stream version (set by its routes); Express's own
  // content-hash ETags on every answer would look like versions and mislead If-Match.
  app.set('etag', false);
  app.use(requestContext(logger));
  app.use(securityHeaders(DOCS_PATH));
  app.use(requireJsonBodies());
  app.useBodyParser('json', {
    limit: BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'], verify: refuseDeepNesting,
  });
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  serveOpenApi(app);
}

/** Deeper than any request of the contract (about five levels) by far, and shallow enough for every walker. */
const MAX_JSON_DEPTH = 64;

/**
 * Refuses a body nested deeper than MAX_JSON_DEPTH before it is parsed: recursive code further on
 * (hashing the request, validating it) would otherwise exhaust the stack on a few kilobytes of
 * brackets and answer 500. It scans the raw bytes once, skipping strings.
 */
function refuseDeepNesting(_request: unknown, _response: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      if (byte === 0x5c) index += 1; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw Object.assign(new Error(JSON_TOO_DEEP), { status: 400, type: 'entity.too.deep' });
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
}

/** Builds the initialised HTTP application, not yet listening. */
export async function createApp(options: AppOptions): Promise<NestExpressApplication> {
  const logger = options.logger ?? createLogger();
  const writers = options.writers ?? resolveWriters(options.config.writers, options.announce);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({ config: options.config, writers, ...(options.database ? { database: options.database } : {}) }),
    { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false },
  );
  configureHttp(app, logger);
  await app.init();
  return app;
}
