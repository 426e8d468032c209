import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// rm_commitments is read by id and, when a commitment is revised, by the whole it is part of (a
// whole never falls below a part); it was indexed by programme, which no query reads it by. The
// part_of read scanned every commitment on each revision. Most commitments are no part, so only
// parts are indexed. A rebuild copies the indexes the live table has.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index rm_commitments_part_of_idx on rm_commitments (part_of) where part_of is not null`.execute(db);
  await sql`drop index rm_commitments_programme_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index rm_commitments_programme_idx on rm_commitments (programme, id)`.execute(db);
  await sql`drop index rm_commitments_part_of_idx`.execute(db);
}
