import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// Revising a commitment checks it against its parts (rule: a whole never falls below a part), which
// reads rm_commitments by part_of; without an index that read scanned every commitment. Most
// commitments are no part, so only parts are indexed. A rebuild copies the index with the others.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index rm_commitments_part_of_idx on rm_commitments (part_of) where part_of is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index rm_commitments_part_of_idx`.execute(db);
}
