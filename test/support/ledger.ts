import type { Response } from 'supertest';
import type { TestApp } from './app';
import { SOURCE_IDS } from '@ledger/seeds';

/**
 * Helpers the issue-4 end-to-end specs share: the journal head, the checks every problem answer
 * must pass, and request bodies built on the seeded registry so each spec can write without first
 * registering its own world.
 */

/** The journal head, as `/health` reports it. Writes that are refused must leave it where it was. */
export async function journalHead(t: TestApp): Promise<number> {
  const response = await t.http.get('/health').expect(200);
  return response.body.position as number;
}

/**
 * Things that only reach a client when an internal failure leaks: stack frames, source file
 * names, installed package paths, and the words a SQL driver puts in its messages.
 */
const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  // A frame as V8 prints it, raw or escaped inside a JSON string: "    at fn (file.ts:1:2)".
  ['a stack frame', /(?:\n|\\n)\s*at \S|\bat [\w$.<>[\] ]+ \([^)]*:\d+:\d+\)/],
  ['a source file name', /\.(?:ts|js|cjs|mjs):\d/],
  ['a TypeScript file name', /\.ts:/],
  ['node_modules', /node_modules/],
  ['a SQL statement', /\b(?:select|insert into|update|delete from)\b[^"]*\b(?:from|values|set|where)\b/i],
  ['a driver message', /\b(?:syntax error at or near|duplicate key value|violates (?:unique|foreign key|check) constraint|relation "[^"]+"|column "[^"]+"|SQLSTATE|pg_|PGlite|kysely)\b/i],
];

/** Fails when the text of an answer carries anything from inside the server. */
export function expectNoLeak(text: string): void {
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(text)) throw new Error(`the answer leaks ${what}: ${text.slice(0, 500)}`);
  }
}

/**
 * The checks every error answer must pass: RFC 9457 media type, the four required members with
 * the status repeated, and nothing from inside the server.
 */
export function expectProblem(response: Response, status: number): Record<string, unknown> {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.body as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect((body.detail as string).length).toBeGreaterThan(0);
  expectNoLeak(response.text);
  return body;
}

/** A validation problem also says which fields were wrong. */
export function expectValidationProblem(response: Response, ...paths: string[]): Record<string, unknown> {
  const body = expectProblem(response, 400);
  const errors = body.errors as Array<{ path: string; message: string }> | undefined;
  expect(Array.isArray(errors)).toBe(true);
  expect(errors!.length).toBeGreaterThan(0);
  for (const error of errors!) {
    expect(typeof error.path).toBe('string');
    expect(typeof error.message).toBe('string');
  }
  const seen = errors!.map((error) => error.path);
  for (const path of paths) {
    // A path may be reported as `quantity.low` or `quantity/low`; either names the field.
    expect(seen.map((p) => p.replace(/\//g, '.').replace(/^\./, ''))).toEqual(expect.arrayContaining([expect.stringContaining(path)]));
  }
  return body;
}

let counter = 0;
/** A slug nobody else in this run has used, so specs never collide with the seeds or each other. */
export function freshId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** An independent seeded source (Profit.bg) that any write may cite. */
export const SOURCE = SOURCE_IDS.investaiBg;
/** The December source, for writes effective in December 2025. */
export const DECEMBER_SOURCE = SOURCE_IDS.gigafactoryMouVi;

export const exact = (unit: string, amount: string) => ({ unit, low: amount, high: amount, qualifier: 'exact' as const });

/** A valid announcement on the seeded registry: a EUR pledge by the Commission to InvestAI. */
export function announcement(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    programme: 'investai',
    pledgers: ['european-commission'],
    announcedBy: 'european-commission',
    kind: 'pledge',
    quantity: exact('EUR', '1000000000'),
    partOf: null,
    horizon: null,
    sources: [SOURCE],
    effectiveOn: '2025-03-01',
    ...overrides,
  };
}

/** Authorisation header for a writer's token. */
export const bearer = (token: string): string => `Bearer ${token}`;

/** The `ETag` header as the stream version it names. */
export function versionOf(response: Response): number {
  const etag = response.headers.etag as string | undefined;
  expect(etag).toMatch(/^"\d+"$/);
  return Number(etag!.slice(1, -1));
}
