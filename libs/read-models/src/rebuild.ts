import { sql, type Kysely } from 'kysely';
import { head, iterateAll, lockAppends, type RecordedEvent } from '@ledger/event-store';
import { ENTITY_TYPES, projectEvents, projectPending, projectVersions, targetFor } from './projector';
import { journal, type LedgerTables } from './schema';

/** Every read-model table, in the order a rebuild swaps them. */
export const READ_MODEL_TABLES = [
  'rm_sources', 'rm_citations', 'rm_institutions', 'rm_programmes', 'rm_programme_tree', 'rm_commitments',
  'rm_commitment_ancestors', 'rm_commitment_versions', 'rm_pledges', 'rm_agreements', 'rm_discrepancies', 'rm_checkpoint',
] as const;

const REBUILD_SCHEMA = 'rm_rebuild';

/** Tables filled in bulk by a rebuild and never read while it runs. */
const BULK_TABLES: readonly string[] = ['rm_citations', 'rm_commitment_versions', 'rm_pledges'];

/**
 * Gives tables in `schema` the primary keys, unique constraints and indexes their live namesakes
 * have, read from the catalogue, so the migrations stay the one place that declares them.
 */
async function copyIndexes(db: Kysely<LedgerTables>, schema: string, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const constraints = await sql<{ name: string; definition: string }>`
      select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
       where conrelid = ${`public.${table}`}::regclass and contype in ('p', 'u')`.execute(db);
    for (const { name, definition } of constraints.rows) {
      await sql`alter table ${sql.raw(`${schema}.${table}`)} add constraint ${sql.ref(name)} ${sql.raw(definition)}`.execute(db);
    }
    const indexes = await sql<{ definition: string }>`
      select pg_get_indexdef(i.indexrelid) as definition from pg_index i
       where i.indrelid = ${`public.${table}`}::regclass
         and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
    for (const { definition } of indexes.rows) {
      // The definition names the live table, schema-qualified or not depending on the server.
      const onRebuilt = definition.replace(new RegExp(` ON (?:public\\.)?${table} `), ` ON ${schema}.${table} `);
      if (onRebuilt === definition) throw new Error(`cannot place index on ${schema}.${table}: ${definition}`);
      await sql.raw(onRebuilt).execute(db);
    }
  }
}

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
  // Fresh statistics for the journal: without them (a journal just loaded, before autovacuum gets to
  // it) the planner reads every remaining row for each stream-ordered page.
  await sql`analyze events`.execute(db);
  await sql`drop schema if exists ${schema} cascade`.execute(db);
  await sql`create schema ${schema}`.execute(db);
  // Indexes are copied by name, so a later migration finds them under the names it gave them. The
  // big tables get theirs after they are filled: building an index once is much cheaper than keeping
  // it up to date row by row. The others get theirs now, as the first pass reads them.
  for (const table of READ_MODEL_TABLES) {
    await sql`create table ${schema}.${sql.raw(table)} (like ${sql.raw(table)} including defaults including generated including constraints)`.execute(db);
  }
  await copyIndexes(db, REBUILD_SCHEMA, READ_MODEL_TABLES.filter((table) => !BULK_TABLES.includes(table)));
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
  await copyIndexes(db, REBUILD_SCHEMA, BULK_TABLES);
  report(target, target);
  // Fresh tables have no statistics and no visibility map: without them the planner guesses and the
  // covering indexes cannot answer without visiting the table.
  for (const table of READ_MODEL_TABLES) await sql`vacuum analyze ${schema}.${sql.raw(table)}`.execute(db);

  await db.transaction().execute(async (trx) => {
    await lockAppends(journal(trx));
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
