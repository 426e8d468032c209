import { sql, type Kysely, type Selectable } from 'kysely';
import type { Quantity } from '@ledger/domain';
import { holdsAt, type At } from './balances';
import type { LedgerTables } from './schema';

export interface ProgrammeView {
  readonly id: string;
  readonly name: string;
  readonly aliases: string[];
  readonly parent: string | null;
  readonly owners: string[];
}

export interface InstitutionView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly country: string | null;
  readonly aliases: string[];
}

export interface SourceView {
  readonly id: string;
  readonly publisher: string;
  readonly title: string;
  readonly language: string;
  readonly publishedOn: string;
  readonly url: string | null;
  readonly origin: string;
}

export interface Citation {
  readonly position: number;
  readonly eventId: string;
  readonly stream: string;
  readonly type: string;
  readonly effectiveOn: string;
  readonly recordedAt: string;
}

export interface CommitmentListItem {
  readonly id: string;
  readonly programme: string;
  readonly pledgers: string[];
  readonly announcedBy: string;
  readonly kind: string;
  readonly quantity: Quantity;
  readonly partOf: string | null;
  readonly horizon: string | null;
  readonly effectiveOn: string;
}

export interface DiscrepancyView {
  readonly id: string;
  readonly commitment: string | null;
  readonly field: string;
  readonly accounts: unknown;
  readonly note: string;
  readonly effectiveOn: string;
  readonly sources: string[];
  readonly recordedAt: string;
  readonly reversedAt: string | null;
}

/** A page of a list in id order: `after` is the last id of the previous page. */
export interface ListPage {
  readonly after?: string;
  readonly limit: number;
}

/** One page and the id to continue after, or null when the list ends here. */
export interface Paged<T> {
  readonly items: T[];
  readonly next: string | null;
}

/** Rows fetched with `limit + 1`: the extra row only tells whether another page follows. */
function toPaged<T extends { readonly id: string }>(rows: T[], limit: number): Paged<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

export async function programmesPage(db: Kysely<LedgerTables>, page: ListPage): Promise<Paged<ProgrammeView>> {
  const rows = await db.selectFrom('rm_programmes').select(['id', 'name', 'aliases', 'parent', 'owners'])
    .$if(page.after !== undefined, (query) => query.where('id', '>', page.after!))
    .orderBy('id').limit(page.limit + 1).execute();
  return toPaged(rows, page.limit);
}

export async function findProgramme(db: Kysely<LedgerTables>, id: string): Promise<(ProgrammeView & { components: string[] }) | undefined> {
  return db.selectFrom('rm_programmes as p').select(['p.id', 'p.name', 'p.aliases', 'p.parent', 'p.owners'])
    .select(sql<string[]>`array(select c.id from rm_programmes c where c.parent = p.id order by c.id collate "C")`.as('components'))
    .where('p.id', '=', id).executeTakeFirst();
}

export async function institutionsPage(db: Kysely<LedgerTables>, page: ListPage): Promise<Paged<InstitutionView>> {
  const rows = await db.selectFrom('rm_institutions').select(['id', 'name', 'kind', 'country', 'aliases'])
    .$if(page.after !== undefined, (query) => query.where('id', '>', page.after!))
    .orderBy('id').limit(page.limit + 1).execute();
  return toPaged(rows, page.limit);
}

export async function findInstitution(db: Kysely<LedgerTables>, id: string): Promise<InstitutionView | undefined> {
  return db.selectFrom('rm_institutions').select(['id', 'name', 'kind', 'country', 'aliases']).where('id', '=', id).executeTakeFirst();
}

const sourceColumns = ['id', 'publisher', 'title', 'language', 'published_on', 'url', 'origin'] as const;
function toSource(row: { id: string; publisher: string; title: string; language: string; published_on: string; url: string | null; origin: string }): SourceView {
  return { id: row.id, publisher: row.publisher, title: row.title, language: row.language, publishedOn: row.published_on, url: row.url, origin: row.origin };
}

export async function sourcesPage(db: Kysely<LedgerTables>, page: ListPage): Promise<Paged<SourceView>> {
  const rows = await db.selectFrom('rm_sources').select(sourceColumns)
    .$if(page.after !== undefined, (query) => query.where('id', '>', page.after!))
    .orderBy('id').limit(page.limit + 1).execute();
  return toPaged(rows.map(toSource), page.limit);
}

/** One source and every event that cites it, in journal order. */
export async function findSource(db: Kysely<LedgerTables>, id: string): Promise<(SourceView & { citations: Citation[] }) | undefined> {
  const row = await db.selectFrom('rm_sources').select(sourceColumns).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const citations = await db.selectFrom('rm_citations')
    .select(['position', 'event_id', 'stream', 'type', 'effective_on', 'recorded_at'])
    .where('source_id', '=', id).orderBy('position').execute();
  return {
    ...toSource(row),
    citations: citations.map((citation) => ({
      position: Number(citation.position), eventId: citation.event_id, stream: citation.stream, type: citation.type,
      effectiveOn: citation.effective_on, recordedAt: citation.recorded_at.toISOString(),
    })),
  };
}

function toDiscrepancy(row: Selectable<LedgerTables['rm_discrepancies']>): DiscrepancyView {
  return {
    id: row.id, commitment: row.commitment, field: row.field, accounts: row.accounts, note: row.note,
    effectiveOn: row.effective_on, sources: row.sources, recordedAt: row.recorded_at.toISOString(),
    reversedAt: row.reversed_at?.toISOString() ?? null,
  };
}

/** Discrepancies in id order, like every other paged list. */
export async function discrepanciesPage(db: Kysely<LedgerTables>, page: ListPage): Promise<Paged<DiscrepancyView>> {
  const rows = await db.selectFrom('rm_discrepancies').selectAll()
    .$if(page.after !== undefined, (query) => query.where('id', '>', page.after!))
    .orderBy('id').limit(page.limit + 1).execute();
  return toPaged(rows.map(toDiscrepancy), page.limit);
}

/** Which commitments a list holds: those within a programme's subtree, or pledged by an institution. */
export interface CommitmentFilter {
  readonly programme?: string;
  readonly institution?: string;
}

/**
 * Commitments in effect at the point, in id order, optionally within a programme's subtree or
 * pledged by an institution. `after` is the last id of the previous page.
 */
export async function listCommitments(
  db: Kysely<LedgerTables>,
  at: At,
  filter: CommitmentFilter & ListPage,
): Promise<Paged<CommitmentListItem>> {
  const rows = await sql<{
    id: string; programme: string; pledgers: string[]; announced_by: string; kind: string; unit: string;
    qualifier: string; low: string | null; high: string | null; part_of: string | null; horizon: string | null; effective_on: string;
  }>`
    select c.id, c.programme, v.pledgers, c.announced_by, c.kind, v.unit, v.qualifier, v.low::text as low, v.high::text as high,
           c.part_of, c.horizon, v.effective_on
      from rm_commitment_versions v
      join rm_commitments c on c.id = v.commitment
     where ${holdsAt('v', at)}
       ${filter.programme ? sql`and v.programme_position in (select programme_position from rm_programme_tree where ancestor = ${filter.programme})` : sql``}
       ${filter.institution ? sql`and ${filter.institution} = any(v.pledgers)` : sql``}
       ${filter.after ? sql`and c.id > ${filter.after}` : sql``}
     order by c.id
     limit ${filter.limit + 1}`.execute(db);
  const items = rows.rows.map((row) => ({
    id: row.id, programme: row.programme, pledgers: row.pledgers, announcedBy: row.announced_by, kind: row.kind,
    quantity: (row.qualifier === 'unquantified'
      ? { unit: row.unit, qualifier: 'unquantified' }
      : { unit: row.unit, low: row.low!, high: row.high!, qualifier: row.qualifier }) as Quantity,
    partOf: row.part_of, horizon: row.horizon, effectiveOn: row.effective_on,
  }));
  return toPaged(items, filter.limit);
}
