import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// A programme's balance scans, for each programme of its subtree, the versions of that programme
// in the index. Keyed by the programme's id (text), every entry the scan passed was compared as text
// and its date keys found by walking past it; keyed by the programme's registration position (a
// fixed-width number, as fixed as the id), both are cheap. The subtree carries the same number, and
// an index it can be read from alone.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rm_programme_tree add column programme_position bigint`.execute(db);
  await sql`update rm_programme_tree t set programme_position = p.position from rm_programmes p where p.id = t.programme`.execute(db);
  await sql`alter table rm_programme_tree alter column programme_position set not null`.execute(db);
  await sql`create index rm_programme_tree_subtree_idx on rm_programme_tree (ancestor) include (programme, depth, programme_position)`.execute(db);

  await sql`alter table rm_commitment_versions add column programme_position bigint`.execute(db);
  await sql`update rm_commitment_versions v set programme_position = p.position from rm_programmes p where p.id = v.programme`.execute(db);
  await sql`alter table rm_commitment_versions alter column programme_position set not null`.execute(db);
  await sql`drop index rm_commitment_versions_programme_idx`.execute(db);
  await sql`create index rm_commitment_versions_programme_idx on rm_commitment_versions
    (programme_position, valid_from, recorded_from, valid_to, recorded_to) include (commitment, part_of, whole_level, unit, qualifier, low, high)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index rm_commitment_versions_programme_idx`.execute(db);
  await sql`create index rm_commitment_versions_programme_idx on rm_commitment_versions
    (programme, valid_from, recorded_from, valid_to, recorded_to) include (commitment, part_of, whole_level, unit, qualifier, low, high)`.execute(db);
  await sql`alter table rm_commitment_versions drop column programme_position`.execute(db);
  await sql`drop index rm_programme_tree_subtree_idx`.execute(db);
  await sql`alter table rm_programme_tree drop column programme_position`.execute(db);
}
