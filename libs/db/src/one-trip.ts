import type { CompiledQuery, Kysely } from 'kysely';
import { poolOf, pgTypeParser, statementName } from './database';

// pg's own pieces for what its Query does per statement: turning parameters into protocol values,
// and rows into objects through the same type parsers as every other query of the pool.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };
const PgResult = require('pg/lib/result') as new (rowMode: undefined, types: unknown) => {
  rows: Record<string, unknown>[];
  addFields(fields: unknown[]): void;
  parseRow(values: unknown[]): Record<string, unknown>;
};
const ROW_TYPES = { getTypeParser: pgTypeParser };

/** A database or transaction over any library's tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Runs `queries` one after another as one transaction and answers each one's rows.
 *
 * On PostgreSQL, outside a transaction, they go out in one round trip: each statement's Bind and
 * Execute, then one Sync, so the server runs them in one implicit transaction, starts a statement
 * only once the one before it has finished (a lock the first takes is held before the second takes
 * its snapshot), skips the rest after an error and rolls all of it back. Within a transaction they
 * run in it, one round trip each; on PGlite, which has no round trips, in a transaction of their own.
 * A statement that fails rejects with the driver's error, as Kysely's own queries do.
 */
export async function executeInOneTrip(db: AnyDb, queries: readonly CompiledQuery[]): Promise<Record<string, unknown>[][]> {
  if (db.isTransaction) return inSequence(db, queries);
  const pool = poolOf(db);
  if (pool === undefined) return db.transaction().execute((trx) => inSequence(trx, queries));
  const client = await pool.connect();
  try {
    return await new Promise<Record<string, unknown>[][]>((resolve, reject) => {
      // A Submittable (as pg-cursor is): the client hands it the connection, then the replies.
      void client.query(new OneTrip(queries, resolve, reject) as never);
    });
  } finally {
    client.release();
  }
}

async function inSequence(db: AnyDb, queries: readonly CompiledQuery[]): Promise<Record<string, unknown>[][]> {
  const results: Record<string, unknown>[][] = [];
  for (const query of queries) results.push((await db.executeQuery<Record<string, unknown>>(query)).rows);
  return results;
}

/** The part of pg's Connection a Submittable writes to. */
interface PgConnection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  close(message: { type: 'S'; name: string }): void;
  parse(message: { name: string; text: string; types: unknown[] }): void;
  bind(message: { statement: string; values: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: object): void;
  sync(): void;
}

/**
 * The statements of one trip, prepared under the names every other query of the pool gives the same
 * texts (database.ts), and the replies to them. Replies come in order, a statement's rows before its
 * CommandComplete, so the number of CommandCompletes so far says whose rows are arriving.
 */
class OneTrip {
  private readonly results: InstanceType<typeof PgResult>[];
  /** Statements this trip prepared, which a failed trip may have left unprepared. */
  private readonly parsed: string[] = [];
  private done = 0;
  private settled = false;

  constructor(
    private readonly queries: readonly CompiledQuery[],
    private readonly resolve: (rows: Record<string, unknown>[][]) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.results = queries.map(() => new PgResult(undefined, ROW_TYPES));
  }

  submit(connection: PgConnection): Error | undefined {
    // Every value is made ready before anything is sent: a statement must never go out without the
    // rest of its trip, or the Sync that would commit it alone.
    let values: unknown[][];
    try {
      values = this.queries.map((query) => query.parameters.map((value) => prepareValue(value)));
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    connection.stream.cork?.();
    try {
      this.queries.forEach((query, i) => {
        const name = statementName(query.sql);
        if (connection.parsedStatements[name] !== query.sql) {
          // Not known to be prepared on this connection: one whose Parse went out in a trip that
          // failed may or may not exist, and closing a statement that does not exist is no error.
          connection.close({ type: 'S', name });
          connection.parse({ name, text: query.sql, types: [] });
          connection.parsedStatements[name] = query.sql;
          this.parsed.push(name);
        }
        connection.bind({ statement: name, values: values[i]! });
        connection.describe({ type: 'P', name: '' });
        connection.execute({});
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return undefined;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.results[this.done]?.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.results[this.done];
    if (result !== undefined) result.rows.push(result.parseRow(message.fields));
  }

  handleCommandComplete(): void {
    this.done += 1;
  }

  handleEmptyQuery(): void {
    this.done += 1;
  }

  handleError(error: unknown, connection?: PgConnection): void {
    // Whether a Parse sent in this trip succeeded is not known: the next trip closes and parses again.
    if (connection !== undefined) for (const name of this.parsed) delete connection.parsedStatements[name];
    this.settle(() => this.reject(error));
  }

  handleReadyForQuery(): void {
    this.settle(() => this.resolve(this.results.map((result) => result.rows)));
  }

  // None of these comes to statements executed in full that are not COPY.
  handlePortalSuspended(): void {
    return;
  }
  handleCopyInResponse(): void {
    return;
  }
  handleCopyData(): void {
    return;
  }

  /** pg calls handleError and then handleReadyForQuery for a server error; the first settles. */
  private settle(answer: () => void): void {
    if (this.settled) return;
    this.settled = true;
    answer();
  }
}
