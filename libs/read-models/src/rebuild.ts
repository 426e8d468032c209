import { sql, type Kysely } from 'kysely';
import { head, iterateAll, type RecordedEvent } from '@ledger/event-store';
import { ENTITY_TYPES, projectEvents, projectPending, projectVersions, targetFor } from './projector';
import { journal, type LedgerTables } from './schema';

/** Every read-model table, in the order a rebuild swaps them. */
export const READ_MODEL_TABLES = [
  'rm_sources', 'rm_citations', 'rm_institutions', 'rm_programmes', 'rm_programme_tree', 'rm_commitments',
  'rm_commitment_ancestors', 'rm_commitment_versions', 'rm_pledges', 'rm_agreements', 'rm_discrepancies', 'rm_checkpoint',
] as const;

const REBUILD_SCHEMA = 'rm_rebuild';

export interface RebuildProgress {
  readonly position: number;
  readonly head: number;
  readonly applied: number;
  readonly elapsedMs: number;
}

/**
 * Replays the whole journal into fresh tables beside the live ones, then swaps them in. The live
 * tables keep serving reads (and writers keep appending and projecting into them) until the final
 * step, which takes the append lock, projects what arrived meanwhile and swaps in one transaction,
 * so no event is missed and readers see either the old tables or the new ones.
 */
export async function rebuildReadModels(
  db: Kysely<LedgerTables>,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<{ events: number; elapsedMs: number }> {
  const started = Date.now();
  const schema = sql.raw(REBUILD_SCHEMA);
  await sql`drop schema if exists ${schema} cascade`.execute(db);
  await sql`create schema ${schema}`.execute(db);
  for (const table of READ_MODEL_TABLES) {
    await sql`create table ${schema}.${sql.raw(table)} (like ${sql.raw(table)} including all)`.execute(db);
  }
  await sql`insert into ${schema}.rm_checkpoint (id, position) values (1, 0)`.execute(db);

  // Two passes over the journal up to its head at the start: entities and citations in global
  // order, then each commitment's versions once, from its whole stream. Checking the result against
  // the live, event-by-event projection is what the rebuild test does.
  const target = (await head(journal(db))).position;
  const batchSize = options.batchSize ?? 5_000;
  const report = (position: number, applied: number) =>
    options.onProgress?.({ position, head: target, applied, elapsedMs: Date.now() - started });
  let batch: RecordedEvent[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  // Batches are applied one after the other (a batch finds its parents' ancestry in the tables),
  // but the next one is read and gathered while the previous one is written.
  const flush = async (through: number) => {
    const events = batch;
    batch = [];
    await writing;
    writing = db.transaction().execute((trx) => projectEvents(targetFor(trx, REBUILD_SCHEMA), events, { versions: false, through }));
    writing.catch(() => undefined);
    report(Math.floor(through / 2), through);
  };
  // Only events with entity effects travel; citations are copied by the database for every position.
  // The iterator reads the next page while a batch is being projected.
  for await (const event of iterateAll(journal(db), { until: target, batchSize, types: ENTITY_TYPES })) {
    batch.push(event);
    if (batch.length >= batchSize) await flush(event.position);
  }
  await flush(target);
  await writing;
  let applied = target;
  await projectVersions(db, REBUILD_SCHEMA, target, (seen) => report(Math.floor(target / 2 + Math.min(seen, target) / 2), target));
  report(target, target);
  // Fresh tables have no statistics and no visibility map: without them the planner guesses and the
  // covering indexes cannot answer without visiting the table.
  for (const table of READ_MODEL_TABLES) await sql`vacuum analyze ${schema}.${sql.raw(table)}`.execute(db);

  await db.transaction().execute(async (trx) => {
    await sql`select ledger_lock_appends()`.execute(trx);
    applied += await projectPending(targetFor(trx, REBUILD_SCHEMA));
    for (const table of READ_MODEL_TABLES) {
      await sql`drop table ${sql.raw(table)}`.execute(trx);
      await sql`alter table ${schema}.${sql.raw(table)} set schema ${sql.raw('public')}`.execute(trx);
      await sql`grant select, insert, update, delete on ${sql.raw(table)} to ledger_app`.execute(trx);
    }
    await sql`drop schema ${schema}`.execute(trx);
  });
  return { events: applied, elapsedMs: Date.now() - started };
}
