import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of Express's request and response this adapter touches. The project has no Express
 * type package, and these few fields are all the infrastructure needs.
 */
export interface HttpRequest extends IncomingMessage {
  method: string;
  url: string;
  originalUrl: string;
  path: string;
  params: Record<string, string | string[]>;
  query: Record<string, unknown>;
  body?: unknown;
  /** Set by the request-id middleware before anything else runs. */
  id?: string;
  /** Set by the writer guard on write routes. */
  writer?: string;
}

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  setHeader(name: string, value: string | number | readonly string[]): this;
}

export type NextFunction = (error?: unknown) => void;
export type Middleware = (request: HttpRequest, response: HttpResponse, next: NextFunction) => void;
