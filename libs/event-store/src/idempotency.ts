import type { Kysely } from 'kysely';
import type { EventStoreTables } from './schema';
import type { AppendResult } from './types';
import { IdempotencyConflict } from './errors';

/**
 * The result an idempotency key already stands for, when the same request comes again; undefined
 * when the key is new. A caller checks this before deciding, because a repeat would otherwise be
 * refused by its own first effect (an id registered twice); the append itself still enforces the
 * key in the database, so two repeats racing past this check append once.
 *
 * @throws IdempotencyConflict when the key was used for a different request.
 */
export async function findIdempotentResult(
  db: Kysely<EventStoreTables>,
  key: string,
  requestHash: string,
): Promise<AppendResult | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'result'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== requestHash) throw new IdempotencyConflict(key);
  return replayedResult(row.result);
}

/** The result an idempotency key keeps (entries made by ledger_result_entry()), as a repeat returns it. */
export function replayedResult(result: unknown): AppendResult {
  const events = result as { position: number; stream: string; version: number; eventId: string; recordedAt: string; hash: string }[];
  return {
    replayed: true,
    events: events.map((event) => ({ ...event, position: Number(event.position), recordedAt: new Date(event.recordedAt) })),
  };
}
