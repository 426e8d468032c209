import { sql } from 'kysely';
import type { NewEvent, StoreDb } from '@ledger/event-store';

/** A small event whose amount travels as a decimal string, as every amount in the ledger does. */
export function deposit(amount: string, note = 'test'): NewEvent {
  return { type: 'Deposited', data: { amount, note } };
}

export async function countEvents(db: StoreDb): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db);
  return rows[0]!.n;
}

/** The error a promise rejects with, for assertions on its class and fields. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * Opens `connections` pooled connections at once and returns them to the pool, so that a race
 * started next really runs in parallel on PostgreSQL instead of being staggered by connection setup.
 */
export async function warmPool(db: StoreDb, connections: number): Promise<void> {
  await Promise.all(Array.from({ length: connections }, () => sql`select pg_sleep(0.05)`.execute(db)));
}
