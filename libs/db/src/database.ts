import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { createHash } from 'node:crypto';
import { Pool, types as pgTypes, type PoolClient } from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: one Kysely instance over either PostgreSQL or embedded PGlite. */
export interface LedgerDatabase {
  // Each library declares the tables it owns and narrows this handle to them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the embedded PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite's folder, or `memory://` to keep nothing. */
  readonly dataDir?: string;
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
}

const INT8 = 20;
const DATE = 1082;

/**
 * Both drivers must return the same JavaScript types for the same SQL, or code that passes on one
 * database breaks on the other: int8 becomes a number (positions and counts stay far below 2^53,
 * and a larger one is refused rather than rounded), `date` stays the ISO string it is (the pg
 * default turns it into a local-time Date), numeric stays an exact decimal string.
 */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(`int8 value ${value} is beyond the safe integer range`);
  }
  return parsed;
}
const identity = (value: string): string => value;

export function pgTypeParser(oid: number, format?: string): unknown {
  if (oid === INT8) return parseInt8;
  if (oid === DATE) return identity;
  return format === undefined ? pgTypes.getTypeParser(oid) : pgTypes.getTypeParser(oid, format as 'text');
}

/** How many distinct statements one connection keeps prepared; later ones run unnamed. */
const PREPARED_PER_CONNECTION = 500;

/**
 * Sends every parameterised statement as a named, prepared one, so PostgreSQL plans it once per
 * connection instead of on every call: planning a balance query took about half as long as running
 * it. Names come from a hash of the text; a connection prepares at most PREPARED_PER_CONNECTION
 * texts (statements with long IN lists vary in text, and prepared statements live as long as the
 * connection).
 */
function prepareStatements(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const prepared = new Set<string>();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) return query(text, values, ...rest);
    const name = statementName(text);
    if (!prepared.has(name)) {
      if (prepared.size >= PREPARED_PER_CONNECTION) return query(text, values, ...rest);
      prepared.add(name);
    }
    return query({ name, text, values }, ...rest);
  };
}

/** Names of the statement texts seen so far, shared by all connections: hashing a long text on every call showed in profiles. */
const statementNames = new Map<string, string>();

export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `ledger_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // Texts that vary (long IN lists) are hashed each time rather than kept.
    if (statementNames.size < PREPARED_PER_CONNECTION) statementNames.set(text, name);
  }
  return name;
}

/** The pool under each PostgreSQL database this process opened, for what Kysely does not offer (one-trip.ts). */
const pools = new WeakMap<object, Pool>();

/** The pg pool under `db`, when openDatabase() made it over PostgreSQL. */
export const poolOf = (db: object): Pool | undefined => pools.get(db);

export async function openDatabase(options: DatabaseOptions = {}): Promise<LedgerDatabase> {
  if (options.databaseUrl) {
    const pool = new Pool({
      connectionString: options.databaseUrl,
      // The balance queries' estimated costs cross PostgreSQL's JIT threshold, and compiling them
      // took longer (15-20 ms) than running them; they are short index probes, not analytics.
      options: '-c jit=off',
      max: options.poolSize ?? 10,
      types: { getTypeParser: pgTypeParser as typeof pgTypes.getTypeParser },
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => prepareStatements(client));
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // One options object: given a first argument that is not a folder's name (undefined, in memory),
  // PGlite takes that as its options and drops the second, parsers and all.
  const pglite = new PGlite({
    dataDir: dataDir.startsWith('memory://') ? undefined : dataDir,
    parsers: { [INT8]: parseInt8, [DATE]: identity },
  });
  await pglite.waitReady;
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
