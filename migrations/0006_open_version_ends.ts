import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// A version still open at one end kept NULL there, so "holds at the point" read `valid_to is null or
// valid_to > asOf`, which an index cannot check: every version a balance's scan passed was taken
// whole out of the index before the ends were compared, and four in five were then thrown away. An
// open end is now 'infinity' (which every date and instant precedes), and both ends are index keys,
// so the scan compares them inside the index and takes out only the versions that hold.
//
// The update leaves every page of the two tables to be vacuumed before index-only scans pay again;
// a rebuild (npm run rebuild) or autovacuum does that.

const TABLES = [
  { table: 'rm_commitment_versions', index: 'rm_commitment_versions_programme_idx', by: 'programme', carried: 'commitment, part_of, whole_level, unit, qualifier, low, high' },
  { table: 'rm_pledges', index: 'rm_pledges_institution_idx', by: 'institution', carried: 'commitment, part_of, joint, unit, qualifier, low, high' },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, index, by, carried } of TABLES) {
    await sql`update ${sql.table(table)} set valid_to = coalesce(valid_to, 'infinity'), recorded_to = coalesce(recorded_to, 'infinity')
      where valid_to is null or recorded_to is null`.execute(db);
    await sql`alter table ${sql.table(table)} alter column valid_to set not null, alter column recorded_to set not null`.execute(db);
    await sql`drop index ${sql.raw(index)}`.execute(db);
    await sql`create index ${sql.raw(index)} on ${sql.table(table)}
      (${sql.raw(by)}, valid_from, recorded_from, valid_to, recorded_to) include (${sql.raw(carried)})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table, index, by, carried } of TABLES) {
    await sql`drop index ${sql.raw(index)}`.execute(db);
    await sql`create index ${sql.raw(index)} on ${sql.table(table)}
      (${sql.raw(by)}, valid_from, recorded_from) include (valid_to, recorded_to, ${sql.raw(carried)})`.execute(db);
    await sql`alter table ${sql.table(table)} alter column valid_to drop not null, alter column recorded_to drop not null`.execute(db);
    await sql`update ${sql.table(table)} set valid_to = nullif(valid_to, 'infinity'), recorded_to = nullif(recorded_to, 'infinity')
      where valid_to = 'infinity' or recorded_to = 'infinity'`.execute(db);
  }
}
