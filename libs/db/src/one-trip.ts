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
 * Whether executeInOneTrip() can take `db`: a PostgreSQL database as openDatabase() made it, not a
 * transaction over it (another object, which statements could not share a round trip in) nor PGlite
 * (which has no round trips).
 */
export const sendsInOneTrip = (db: AnyDb): boolean => poolOf(db) !== undefined;

/**
 * Runs `queries` one after another as one transaction, sent to PostgreSQL in one round trip, and
 * answers each one's rows: each statement's Bind and Execute, then one Sync, so the server runs them
 * in one implicit transaction, starts a statement only once the one before it has finished (a lock
 * the first takes is held before the second takes its snapshot), skips the rest after an error and
 * rolls all of it back. A statement that fails rejects with the driver's error, as Kysely's own
 * queries do. Only for a `db` that sendsInOneTrip() accepts.
 */
export async function executeInOneTrip(db: AnyDb, queries: readonly CompiledQuery[]): Promise<Record<string, unknown>[][]> {
  const pool = poolOf(db);
  if (pool === undefined) throw new TypeError('executeInOneTrip needs a PostgreSQL database outside a transaction (sendsInOneTrip)');
  const client = await pool.connect();
  // A socket that fails mid-trip reaches the trip through pg; unheard, the client's own 'error' event
  // would end the process (the pool listens only while the client is idle).
  client.on('error', ignoreError);
  let trip: OneTrip | undefined;
  try {
    return await new Promise<Record<string, unknown>[][]>((resolve, reject) => {
      trip = new OneTrip(queries, resolve, reject);
      // A Submittable (as pg-cursor is): the client hands it the connection, then the replies.
      void client.query(trip as never);
    });
  } finally {
    client.off('error', ignoreError);
    // A connection that sent part of a trip is closed, so the server rolls the part back.
    client.release(trip?.broken);
  }
}

const ignoreError = (): void => undefined;

/** The part of pg's Connection a Submittable writes to. */
interface PgConnection {
  stream: { cork?: () => void; uncork?: () => void };
  close(message: { type: 'S'; name: string }): void;
  parse(message: { name: string; text: string; types: unknown[] }): void;
  bind(message: { statement: string; values: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: object): void;
  sync(): void;
}

/**
 * The statements each connection holds prepared for trips, by name. Trips name their statements
 * apart from the pool's other queries (database.ts), whose bookkeeping pg keeps: a trip that fails
 * may leave a statement prepared that it cannot know of, and only trips meet the doubt.
 */
const preparedForTrips = new WeakMap<PgConnection, Set<string>>();

/** A trip's name for a statement: the pool's name for its text, marked as a trip's. */
const tripStatementName = (text: string): string => `trip_${statementName(text)}`;

/**
 * The statements of one trip and the replies to them. Replies come in order, a statement's rows
 * before its CommandComplete, so the number of CommandCompletes so far says whose rows are arriving.
 * After a server error pg hands the error over and no more: the statements after it were skipped.
 */
class OneTrip {
  private readonly results: InstanceType<typeof PgResult>[];
  /** Statements this trip prepared, which a failed trip may or may not have left prepared. */
  private readonly parsed: string[] = [];
  private done = 0;
  private settled = false;
  /** A row the type parsers refused: the trip answers with it once the server is done. */
  private refused: unknown;
  /** Set when sending failed part way: the connection must not be used again. */
  broken: Error | undefined;

  constructor(
    private readonly queries: readonly CompiledQuery[],
    private readonly resolve: (rows: Record<string, unknown>[][]) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.results = queries.map(() => new PgResult(undefined, ROW_TYPES));
  }

  submit(connection: PgConnection): Error | undefined {
    // Every value is made ready before anything is sent: a statement must never go out without the
    // rest of its trip and the Sync that ends it.
    let values: unknown[][];
    try {
      values = this.queries.map((query) => query.parameters.map((value) => prepareValue(value)));
    } catch (error) {
      return asError(error);
    }
    let prepared = preparedForTrips.get(connection);
    if (prepared === undefined) preparedForTrips.set(connection, (prepared = new Set()));
    connection.stream.cork?.();
    try {
      this.queries.forEach((query, i) => {
        const name = tripStatementName(query.sql);
        if (!prepared.has(name)) {
          // Closing a statement that does not exist is no error.
          connection.close({ type: 'S', name });
          connection.parse({ name, text: query.sql, types: [] });
          prepared.add(name);
          this.parsed.push(name);
        }
        connection.bind({ statement: name, values: values[i]! });
        connection.describe({ type: 'P', name: '' });
        connection.execute({});
      });
      connection.sync();
    } catch (error) {
      this.broken = asError(error);
      return this.broken;
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
    if (result === undefined || this.refused !== undefined) return;
    try {
      result.rows.push(result.parseRow(message.fields));
    } catch (error) {
      this.refused = error;
    }
  }

  handleCommandComplete(): void {
    this.done += 1;
  }

  handleEmptyQuery(): void {
    this.done += 1;
  }

  handleError(error: unknown, connection?: PgConnection): void {
    // The next trip on this connection closes and prepares again what this one prepared.
    const prepared = connection === undefined ? undefined : preparedForTrips.get(connection);
    for (const name of this.parsed) prepared?.delete(name);
    this.settle(() => this.reject(error));
  }

  handleReadyForQuery(): void {
    if (this.refused !== undefined) this.settle(() => this.reject(this.refused));
    else this.settle(() => this.resolve(this.results.map((result) => result.rows)));
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

  private settle(answer: () => void): void {
    if (this.settled) return;
    this.settled = true;
    answer();
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
