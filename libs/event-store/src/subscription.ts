import type { Kysely, Transaction } from 'kysely';
import type { EventStoreTables } from './schema';
import type { RecordedEvent } from './types';
import { readAll } from './event-store';

export interface Subscription<DB extends EventStoreTables = EventStoreTables> {
  /** Names the checkpoint; one row per subscription. */
  readonly name: string;
  readonly batchSize?: number;
  /**
   * Applies one batch. It runs inside the transaction that also moves the checkpoint, so its writes
   * and the new position commit together or not at all: after a crash the subscription resumes
   * exactly after the last batch that committed, and no event is applied twice.
   */
  handle(trx: Transaction<DB>, events: readonly RecordedEvent[]): Promise<void>;
}

export interface CatchUpResult {
  readonly applied: number;
  readonly position: number;
}

/** The position a subscription has committed up to; 0 before its first batch. */
export async function checkpointOf(db: Kysely<EventStoreTables>, name: string): Promise<number> {
  const row = await db
    .selectFrom('subscription_checkpoints')
    .select('position')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/**
 * Runs a subscription until it reaches the journal's head, batch by batch. The checkpoint row is
 * locked for each batch, so two runners of one subscription take turns instead of applying the
 * same events twice.
 */
export async function catchUp<DB extends EventStoreTables>(
  db: Kysely<DB>,
  subscription: Subscription<DB>,
  options: { onBatch?: (progress: CatchUpResult) => void } = {},
): Promise<CatchUpResult> {
  const storeDb = db as unknown as Kysely<EventStoreTables>;
  const batchSize = subscription.batchSize ?? 1000;
  await storeDb
    .insertInto('subscription_checkpoints')
    .values({ name: subscription.name, position: 0, updated_at: new Date() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  let applied = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const store = trx as unknown as Kysely<EventStoreTables>;
      const checkpoint = await store
        .selectFrom('subscription_checkpoints')
        .select('position')
        .where('name', '=', subscription.name)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const page = await readAll(store, { after: Number(checkpoint.position), limit: batchSize });
      if (page.events.length === 0) return { count: 0, position: Number(checkpoint.position) };
      await subscription.handle(trx, page.events);
      const position = page.events[page.events.length - 1]!.position;
      await store
        .updateTable('subscription_checkpoints')
        .set({ position, updated_at: new Date() })
        .where('name', '=', subscription.name)
        .execute();
      return { count: page.events.length, position };
    });
    applied += step.count;
    if (step.count > 0) options.onBatch?.({ applied, position: step.position });
    if (step.count < batchSize) return { applied, position: step.position };
  }
}
