import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import type { HttpRequest, HttpResponse } from './http-types';
import { toProblem, type FailedRequest } from './problems';

/**
 * The one place a failure becomes a response: `application/problem+json`, built by `toProblem`.
 * Server faults are logged with the request id and answered without detail, so no stack trace,
 * SQL or driver message ever reaches a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const mapped = toProblem(exception, failedRequest(request));
    const { problem, headers } = mapped;
    if ('fault' in mapped) {
      this.logger.error(
        { requestId: request.id, method: request.method, path: request.path, err: mapped.fault },
        'request failed',
      );
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const instance = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const body = problem.status >= 500 ? { type: problem.type, title: problem.title, status: problem.status } : { ...problem, instance };
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(problem.status);
    response.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    response.end(JSON.stringify(body));
  }
}

function failedRequest(request: HttpRequest): FailedRequest {
  const path = (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '';
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const resource = segments[0] === 'v1' ? segments[1] : segments[0];
  return {
    params: request.params ?? {},
    resource,
    hadIfMatch: request.headers['if-match'] !== undefined,
  };
}
