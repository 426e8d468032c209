import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// A programme's balance leaves out a commitment whose whole ("of which") is in effect within the same
// set of programmes. Asking that of every commitment with a partOf was most of a balance's cost, yet
// a whole can only be in the set when some programme holds both in its subtree, which is fixed at
// announcement: a commitment's programme and its wholes never change, nor does the programme tree.
// `whole_level` says how many levels above the commitment's own programme the nearest programme lies
// whose subtree also holds one of its wholes (0: its own programme), null when none does, which is
// most parts as well as every commitment without a whole. A balance over a programme fewer levels up
// need not ask. The index a balance scans carries it, so the scan still never visits the table.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rm_commitment_versions add column whole_level integer`.execute(db);
  await sql`update rm_commitment_versions v set whole_level = w.level
    from (select a.commitment, min(t1.depth) as level
            from rm_commitment_ancestors a
            join rm_commitments c on c.id = a.commitment
            join rm_commitments d on d.id = a.ancestor
            join rm_programme_tree t1 on t1.programme = c.programme
            join rm_programme_tree t2 on t2.programme = d.programme and t2.ancestor = t1.ancestor
           group by a.commitment) w
   where v.commitment = w.commitment`.execute(db);
  await sql`drop index rm_commitment_versions_programme_idx`.execute(db);
  await sql`create index rm_commitment_versions_programme_idx on rm_commitment_versions
    (programme, valid_from, recorded_from) include (valid_to, recorded_to, commitment, part_of, whole_level, unit, qualifier, low, high)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index rm_commitment_versions_programme_idx`.execute(db);
  await sql`create index rm_commitment_versions_programme_idx on rm_commitment_versions
    (programme, valid_from, recorded_from) include (valid_to, recorded_to, commitment, part_of, unit, qualifier, low, high)`.execute(db);
  await sql`alter table rm_commitment_versions drop column whole_level`.execute(db);
}
