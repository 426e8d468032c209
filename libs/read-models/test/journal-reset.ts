import { sql, type Kysely } from 'kysely';
import { READ_MODEL_TABLES, type LedgerTables } from '../src';

/**
 * Empties the journal and the read models between property-test runs. Only a test may do this:
 * it disables the append-only triggers as the table owner, which the runtime role cannot.
 */
export async function resetLedger(db: Kysely<LedgerTables>): Promise<void> {
  await sql`alter table events disable trigger user`.execute(db);
  await sql`truncate events, idempotency_keys, subscription_checkpoints`.execute(db);
  await sql`alter table events enable trigger user`.execute(db);
  const tables = READ_MODEL_TABLES.filter((table) => table !== 'rm_checkpoint').map((table) => sql.raw(table));
  await sql`truncate ${sql.join(tables)}`.execute(db);
  await sql`update rm_checkpoint set position = 0`.execute(db);
}
