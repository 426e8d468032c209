// What the event store's benchmarks share: the event they append, the raw baseline's table, and
// how they print.
import { sql, type Kysely } from 'kysely';
import { canonicalJson, type NewEvent } from '@ledger/event-store';

/** The event every benchmark appends, the i-th of its stream. */
export function event(i: number): NewEvent {
  return {
    type: 'FundsDeposited',
    data: { accountId: 'acc-0001', amount: `${i}.25`, currency: 'EUR', reference: `bench-${i}` },
    metadata: { correlationId: 'bench', actor: 'bench' },
  };
}

// The raw baseline: the same columns, keys and JSON as the journal, none of the store's checks,
// hashing or triggers, a constant in place of both hashes.
export const RAW_COLUMNS = 'position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash';
export const HASH = 'ab'.repeat(32);

/** event(i)'s columns as the raw baseline inserts them. */
export function rawBody(i: number): { type: string; data: string; metadata: string } {
  const { type, data, metadata } = event(i);
  return { type, data: canonicalJson(data), metadata: canonicalJson(metadata ?? {}) };
}

/**
 * For statements run inside the database (a DO block, a pgbench script), which make their own random
 * ids (PostgreSQL 15 has no version 7 generator): an SQL expression for the body the store hashes for
 * event(1), with a fresh id.
 */
export const bodyWithRandomIdSql = () => `replace(${literal(canonicalJson({ ...event(1), eventId: 'ID' }))}, 'ID', gen_random_uuid()::text)`;

/** The raw baseline's row for event(1) as an SQL VALUES list, on the stream the SQL expression `stream` gives. */
export function rawValuesSql(stream: string): string {
  const { type, data, metadata } = rawBody(1);
  return (
    `nextval('bench_raw_position'), gen_random_uuid(), ${stream}, 1, ${literal(type)}, ${literal(data)}::jsonb, ` +
    `${literal(metadata)}::jsonb, clock_timestamp(), ${literal(HASH)}, ${literal(HASH)}`
  );
}

/** The raw baseline's locked INSERT (the lock taken by the statement itself), as SQL text. */
export const lockedRawInsertSql = (stream: string) =>
  `with l as (select pg_advisory_xact_lock(1)) insert into bench_raw (${RAW_COLUMNS}) select ${rawValuesSql(stream)} from l`;

/** The raw baseline's table, shaped as the journal, and the sequence its positions come from. */
export async function createRawTable<Tables>(db: Kysely<Tables>): Promise<void> {
  await sql`create table bench_raw (like events including defaults including constraints including indexes)`.execute(db);
  await sql`create sequence bench_raw_position`.execute(db);
}

/** A number of events or rows, rounded and grouped: 12,345. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A text as an SQL string literal, for statements built into a DO block or a pgbench script. */
export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The median of some values (the mean of the middle two when their number is even). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
}
