import { sql, type Kysely } from 'kysely';

// Frozen in time. The read models are projections of the journal: everything here can be dropped and
// rebuilt from the events (npm run rebuild), so none of it is a source of truth.
//
// Bitemporal commitment versions: a row holds what the ledger believed, from `recorded_from` until
// `recorded_to` (transaction time, null = still believed), about the commitment's state from
// `valid_from` until `valid_to` (valid time, null = open ended). A balance at (asOf, knownAt) reads
// exactly the rows whose two intervals contain the point; nothing is replayed per request.

const READ_MODEL_TABLES = [
  'rm_sources',
  'rm_citations',
  'rm_institutions',
  'rm_programmes',
  'rm_programme_tree',
  'rm_commitments',
  'rm_commitment_ancestors',
  'rm_commitment_versions',
  'rm_pledges',
  'rm_agreements',
  'rm_discrepancies',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table rm_sources (
    id text primary key, publisher text not null, title text not null, language text not null,
    published_on text not null, url text, origin text not null,
    position bigint not null, recorded_at timestamptz not null)`.execute(db);

  // Every event that cites a source, for "a source and every event that cites it".
  await sql`create table rm_citations (
    source_id text not null, position bigint not null, event_id uuid not null, stream text not null,
    type text not null, effective_on text not null, recorded_at timestamptz not null,
    primary key (source_id, position))`.execute(db);

  await sql`create table rm_institutions (
    id text primary key, name text not null, kind text not null, country text,
    aliases jsonb not null, position bigint not null, recorded_at timestamptz not null)`.execute(db);

  await sql`create table rm_programmes (
    id text primary key, name text not null, aliases jsonb not null, parent text,
    owners jsonb not null, position bigint not null, recorded_at timestamptz not null)`.execute(db);
  await sql`create index rm_programmes_parent_idx on rm_programmes (parent)`.execute(db);

  // The programme tree as a closure: (ancestor, programme) for every ancestor including itself.
  await sql`create table rm_programme_tree (
    ancestor text not null, programme text not null, depth integer not null,
    primary key (ancestor, programme))`.execute(db);
  await sql`create index rm_programme_tree_programme_idx on rm_programme_tree (programme)`.execute(db);

  // What is fixed at announcement. The row stays when the announcement is later reversed;
  // `reversed_at` says from when the ledger no longer holds it, which cuts the partOf chain through
  // it for points known from then on.
  await sql`create table rm_commitments (
    id text primary key, programme text not null, announced_by text not null, kind text not null,
    part_of text, horizon text, effective_on text not null,
    position bigint not null, recorded_at timestamptz not null, reversed_at timestamptz)`.execute(db);
  await sql`create index rm_commitments_programme_idx on rm_commitments (programme, id)`.execute(db);

  // partOf is fixed at announcement, so the ancestry of a commitment never changes.
  await sql`create table rm_commitment_ancestors (
    commitment text not null, ancestor text not null, depth integer not null,
    primary key (commitment, ancestor))`.execute(db);

  await sql`create table rm_commitment_versions (
    commitment text not null, programme text not null,
    valid_from date not null, valid_to date,
    recorded_from timestamptz not null, recorded_to timestamptz,
    unit text not null, qualifier text not null, low numeric, high numeric,
    pledgers text[] not null, effective_on text not null, source_position bigint not null,
    part_of text,
    primary key (commitment, recorded_from, valid_from))`.execute(db);
  // `part_of` repeats the commitment's (fixed) whole on each version, so a balance skips the ancestor
  // check for the commitments that have none, most of them.
  // A programme's balance probes this index once per programme of its subtree; it covers every column
  // the balance reads, so the probe never visits the table (rows sit in stream order, not by programme).
  await sql`create index rm_commitment_versions_programme_idx on rm_commitment_versions
    (programme, valid_from, recorded_from) include (valid_to, recorded_to, commitment, part_of, unit, qualifier, low, high)`.execute(db);

  // One row per version and pledger, so an institution's balance is an index range too.
  await sql`create table rm_pledges (
    institution text not null, commitment text not null,
    valid_from date not null, valid_to date,
    recorded_from timestamptz not null, recorded_to timestamptz,
    unit text not null, qualifier text not null, low numeric, high numeric, joint boolean not null,
    part_of text,
    primary key (institution, commitment, recorded_from, valid_from))`.execute(db);
  await sql`create index rm_pledges_commitment_idx on rm_pledges (commitment, institution)`.execute(db);
  await sql`create index rm_pledges_institution_idx on rm_pledges
    (institution, valid_from, recorded_from) include (valid_to, recorded_to, commitment, part_of, joint, unit, qualifier, low, high)`.execute(db);

  await sql`create table rm_agreements (
    id text primary key, kind text not null, parties jsonb not null, programmes jsonb not null,
    effective_on text not null, sources jsonb not null, position bigint not null,
    recorded_at timestamptz not null, reversed_at timestamptz)`.execute(db);

  await sql`create table rm_discrepancies (
    id text primary key, commitment text, field text not null, accounts jsonb not null, note text not null,
    effective_on text not null, sources jsonb not null, position bigint not null,
    recorded_at timestamptz not null, reversed_at timestamptz)`.execute(db);

  await sql`create table rm_checkpoint (id integer primary key check (id = 1), position bigint not null)`.execute(db);
  await sql`insert into rm_checkpoint (id, position) values (1, 0)`.execute(db);
  for (const table of [...READ_MODEL_TABLES, 'rm_checkpoint']) {
    await sql`grant select, insert, update, delete on ${sql.raw(table)} to ledger_app`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('read models are rebuilt, not migrated down');
}
