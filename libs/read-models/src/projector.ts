import { sql, type Kysely, type Transaction } from 'kysely';
import type { RecordedLedgerEvent } from '@ledger/domain';
import { iterateStreams, readAll, readStreams, type RecordedEvent } from '@ledger/event-store';
import { fromJournal } from './events';
import { journal, OPEN_END, type LedgerTables, type ReadModelTables } from './schema';
import { bitemporalVersions } from './timeline';

/**
 * Where a projection writes: the live tables, or (for a rebuild) a schema of fresh ones beside them.
 * Events are always read from the journal itself.
 */
export interface ProjectionTarget {
  readonly read: Kysely<LedgerTables>;
  readonly write: Kysely<ReadModelTables>;
  /** The schema the read-model tables of `write` live in. */
  readonly schema: string;
}

const COMMITMENT_STREAM = 'commitment-';

/** The events that shape a commitment's versions; corroborations only cite, so they are not read. */
const VERSION_TYPES = ['CommitmentAnnounced', 'CommitmentRevised', 'CommitmentWithdrawn', 'EntryReversed'] as const;

/** The events with effects beyond citations and versions: what a rebuild's first pass reads. */
export const ENTITY_TYPES = [
  'SourceRegistered', 'InstitutionRegistered', 'ProgrammeRegistered', 'CommitmentAnnounced',
  'AgreementSigned', 'DiscrepancyNoted', 'EntryReversed',
] as const;

type Rows<T extends keyof ReadModelTables> = ReadModelTables[T][];

/**
 * Applies journal events to the read models inside the caller's transaction, set by set: one
 * multi-row insert per table per batch. Events at or below the read models' checkpoint are skipped,
 * so applying a batch twice changes nothing; the checkpoint moves in the same transaction as the
 * writes. With `versions: false` (the first pass of a rebuild) commitment versions are left for
 * `projectVersions`, which computes each commitment once from its whole stream.
 */
export async function projectEvents(
  target: ProjectionTarget,
  events: readonly RecordedEvent[],
  options: { versions?: boolean; through?: number; checkpoint?: number } = {},
): Promise<number> {
  const { write } = target;
  // A caller that already holds the checkpoint row locked passes the position it read.
  const checkpoint = options.checkpoint ?? (await lockCheckpoint(write));
  const pending = events.filter((event) => event.position > checkpoint).map(fromJournal);
  // The positions this call accounts for: its events, or more when the caller passed only some of
  // them (a rebuild's first pass) and says how far the batch reaches.
  const upTo = Math.max(options.through ?? 0, pending.at(-1)?.position ?? 0);
  if (upTo <= checkpoint) return 0;

  const rows = {
    rm_sources: [] as Rows<'rm_sources'>, rm_institutions: [] as Rows<'rm_institutions'>,
    rm_programmes: [] as Rows<'rm_programmes'>, rm_programme_tree: [] as Rows<'rm_programme_tree'>,
    rm_commitments: [] as Rows<'rm_commitments'>, rm_commitment_ancestors: [] as Rows<'rm_commitment_ancestors'>,
    rm_agreements: [] as Rows<'rm_agreements'>, rm_discrepancies: [] as Rows<'rm_discrepancies'>,
  };
  const reversedAgreements: { id: string; at: Date }[] = [];
  const reversedDiscrepancies: { id: string; at: Date }[] = [];
  const reversedCommitments: { id: string; at: Date }[] = [];
  const touched = new Set<string>();

  // Parents are registered before their children, but may sit in an earlier batch: their ancestry
  // comes from the tables, the batch's own from what this batch adds.
  const programmeAncestry = await ancestry(write, 'programme', pending.flatMap((e) => (e.type === 'ProgrammeRegistered' && e.data.parent ? [e.data.parent] : [])));
  const commitmentAncestry = await ancestry(write, 'commitment', pending.flatMap((e) => (e.type === 'CommitmentAnnounced' && e.data.partOf ? [e.data.partOf] : [])));

  for (const event of pending) {
    const at = { position: event.position, recorded_at: new Date(event.recordedAt) };
    if (event.stream.startsWith(COMMITMENT_STREAM)) touched.add(event.stream);
    switch (event.type) {
      case 'SourceRegistered': {
        const d = event.data;
        rows.rm_sources.push({ id: d.id, publisher: d.publisher, title: d.title, language: d.language, published_on: d.publishedOn, url: d.url, origin: d.origin, ...at });
        break;
      }
      case 'InstitutionRegistered': {
        const d = event.data;
        rows.rm_institutions.push({ id: d.id, name: d.name, kind: d.kind, country: d.country, aliases: json(d.aliases), ...at });
        break;
      }
      case 'ProgrammeRegistered': {
        const d = event.data;
        rows.rm_programmes.push({ id: d.id, name: d.name, aliases: json(d.aliases), parent: d.parent, owners: json(d.owners), ...at });
        const above = d.parent === null ? [] : [d.parent, ...(programmeAncestry.get(d.parent) ?? [])];
        programmeAncestry.set(d.id, above);
        rows.rm_programme_tree.push({ ancestor: d.id, programme: d.id, depth: 0, programme_position: event.position });
        above.forEach((ancestor, index) => rows.rm_programme_tree.push({ ancestor, programme: d.id, depth: index + 1, programme_position: event.position }));
        break;
      }
      case 'CommitmentAnnounced': {
        const d = event.data;
        rows.rm_commitments.push({
          id: d.id, programme: d.programme, announced_by: d.announcedBy, kind: d.kind, part_of: d.partOf,
          horizon: d.horizon, effective_on: event.metadata.effectiveOn, ...at, reversed_at: null,
        });
        const above = d.partOf === null ? [] : [d.partOf, ...(commitmentAncestry.get(d.partOf) ?? [])];
        commitmentAncestry.set(d.id, above);
        above.forEach((ancestor, index) => rows.rm_commitment_ancestors.push({ commitment: d.id, ancestor, depth: index + 1 }));
        break;
      }
      case 'AgreementSigned': {
        const d = event.data;
        rows.rm_agreements.push({
          id: d.id, kind: d.kind, parties: json(d.parties), programmes: json(d.programmes), effective_on: event.metadata.effectiveOn,
          sources: json(event.metadata.sources), ...at, reversed_at: null,
        });
        break;
      }
      case 'DiscrepancyNoted': {
        const d = event.data;
        rows.rm_discrepancies.push({
          id: d.id, commitment: d.commitment, field: d.field, accounts: json(d.accounts), note: d.note,
          effective_on: event.metadata.effectiveOn, sources: json(event.metadata.sources), ...at, reversed_at: null,
        });
        break;
      }
      case 'EntryReversed': {
        // A reversed agreement or discrepancy stays listed, marked with when it was reversed.
        const id = event.stream.slice(event.stream.indexOf('-') + 1);
        if (event.stream.startsWith('agreement-')) reversedAgreements.push({ id, at: at.recorded_at });
        if (event.stream.startsWith('discrepancy-')) reversedDiscrepancies.push({ id, at: at.recorded_at });
        if (event.data.reversedType === 'CommitmentAnnounced') reversedCommitments.push({ id, at: at.recorded_at });
        break;
      }
      case 'CommitmentCorroborated':
      case 'CommitmentRevised':
      case 'CommitmentWithdrawn':
        break;
      default: {
        const unhandled: never = event;
        throw new Error(`no projection for ${(unhandled as { type: string }).type}`);
      }
    }
  }

  for (const [table, list] of Object.entries(rows) as [keyof typeof rows, ReadModelTables[keyof typeof rows][]][]) {
    await insertAll(target, table, list);
  }
  // Every event cites its sources; the database copies them straight from the journal, for every
  // position the batch covers (a rebuild's batches hold only the events with entity effects).
  await sql`insert into ${sql.table(`${target.schema}.rm_citations`)} (source_id, position, event_id, stream, type, effective_on, recorded_at)
    select source.id, e.position, e.event_id, e.stream, e.type, e.metadata->>'effectiveOn', e.recorded_at
      from events e cross join lateral jsonb_array_elements_text(coalesce(e.metadata->'sources', '[]'::jsonb)) as source(id)
     where e.position > ${checkpoint} and e.position <= ${upTo}`.execute(target.read);
  // Reversals come after the inserts: an agreement may be signed and reversed within one batch.
  for (const { id, at } of reversedAgreements) await write.updateTable('rm_agreements').set({ reversed_at: at }).where('id', '=', id).execute();
  for (const { id, at } of reversedDiscrepancies) await write.updateTable('rm_discrepancies').set({ reversed_at: at }).where('id', '=', id).execute();
  for (const { id, at } of reversedCommitments) await write.updateTable('rm_commitments').set({ reversed_at: at }).where('id', '=', id).execute();
  if ((options.versions ?? true) && touched.size > 0) await rewriteVersions(target, [...touched], upTo);
  await write.updateTable('rm_checkpoint').set({ position: upTo }).where('id', '=', 1).execute();
  return pending.length;
}

/** The stored ancestry (nearest first) of programmes or commitments, for those not registered in this batch. */
async function ancestry(write: Kysely<ReadModelTables>, kind: 'programme' | 'commitment', ids: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const unique = [...new Set(ids)];
  for (const id of unique) result.set(id, []);
  if (unique.length === 0) return result;
  const rows = kind === 'programme'
    ? await write.selectFrom('rm_programme_tree').select(['programme as id', 'ancestor', 'depth'])
      .where('programme', 'in', unique).where('depth', '>', 0).orderBy('depth').execute()
    : await write.selectFrom('rm_commitment_ancestors').select(['commitment as id', 'ancestor', 'depth'])
      .where('commitment', 'in', unique).orderBy('depth').execute();
  for (const row of rows) result.get(row.id)!.push(row.ancestor);
  return result;
}

const columnTypes = new Map<string, Promise<Map<string, string>>>();

/** The SQL type of each column of a live read-model table, read once from the catalogue. */
function typesOf(read: Kysely<LedgerTables>, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`
      select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
       where attrelid = ${`public.${table}`}::regclass and attnum > 0 and not attisdropped`
      .execute(read)
      .then((result) => new Map(result.rows.map((row) => [row.name, row.type])));
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

/** A value as the text PostgreSQL reads for its column type; arrays become array literals. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((item) => `"${String(item).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  return String(value);
}

/**
 * Inserts rows as one array per column, unnested by the database: a handful of parameters however
 * many rows, which PostgreSQL parses three times faster than a long VALUES list.
 */
async function insertAll<T extends keyof ReadModelTables>(target: ProjectionTarget, table: T, list: readonly ReadModelTables[T][]): Promise<void> {
  if (list.length === 0) return;
  const types = await typesOf(target.read, table);
  const columns = Object.keys(list[0] as object);
  for (let index = 0; index < list.length; index += 10_000) {
    const chunk = list.slice(index, index + 10_000) as Record<string, unknown>[];
    const arrays = columns.map((column) => sql`${chunk.map((row) => asText(row[column]))}::text[]`);
    const casts = columns.map((column, position) => sql`${sql.ref(`t.c${position}`)}::${sql.raw(types.get(column)!)}`);
    const aliases = columns.map((_, position) => sql.raw(`c${position}`));
    await sql`insert into ${sql.table(`${target.schema}.${table}`)} (${sql.join(columns.map((column) => sql.ref(column)))})
      select ${sql.join(casts)} from unnest(${sql.join(arrays)}) as t(${sql.join(aliases)})`.execute(target.read);
  }
}

/** What a commitment's versions are indexed and filtered by, fixed once it is announced. */
interface VersionKeys {
  /** Its programme's registration position (migrations/0007). */
  readonly programme_position: number;
  /** How many levels above its programme a subtree first holds one of its wholes too, or null (migrations/0005). */
  readonly whole_level: number | null;
}

/**
 * The VersionKeys of every commitment announced in `events`, from the tables: a whole is announced
 * before its parts and a programme registered before its children, so both are there by the time a
 * commitment's versions are written.
 */
async function versionKeys(target: ProjectionTarget, events: readonly RecordedEvent[]): Promise<Map<string, VersionKeys>> {
  const ids = events.flatMap((event) => (event.type === 'CommitmentAnnounced' ? [(event.data as { id: string }).id] : []));
  if (ids.length === 0) return new Map();
  const table = (name: string) => sql.table(`${target.schema}.${name}`);
  const rows = await sql<{ id: string; programme_position: number | string; whole_level: number | null }>`
    select c.id, p.position as programme_position,
           (select min(t1.depth)
              from ${table('rm_commitment_ancestors')} a
              join ${table('rm_commitments')} d on d.id = a.ancestor
              join ${table('rm_programme_tree')} t1 on t1.programme = c.programme
              join ${table('rm_programme_tree')} t2 on t2.programme = d.programme and t2.ancestor = t1.ancestor
             where a.commitment = c.id) as whole_level
      from ${table('rm_commitments')} c join ${table('rm_programmes')} p on p.id = c.programme
     where c.id = any(${ids}::text[])`.execute(target.read);
  return new Map(rows.rows.map((row) => [row.id, { programme_position: Number(row.programme_position), whole_level: row.whole_level }]));
}

/** Version and pledge rows of one commitment from its whole stream (see timeline.ts); `keys` holds its VersionKeys. */
function versionRows(events: readonly RecordedLedgerEvent[], keys: ReadonlyMap<string, VersionKeys>): { versions: Rows<'rm_commitment_versions'>; pledges: Rows<'rm_pledges'> } {
  const versions: Rows<'rm_commitment_versions'> = [];
  const pledges: Rows<'rm_pledges'> = [];
  const announcement = events.find((event) => event.type === 'CommitmentAnnounced');
  if (!announcement || announcement.type !== 'CommitmentAnnounced') return { versions, pledges };
  const commitment = announcement.data.id;
  const indexed = keys.get(commitment);
  if (indexed === undefined) throw new Error(`commitment ${commitment} or its programme ${announcement.data.programme} is not in the read models`);
  for (const version of bitemporalVersions(events)) {
    const quantity = version.quantity;
    const span = {
      valid_from: version.validFrom, valid_to: version.validTo ?? OPEN_END,
      recorded_from: new Date(version.recordedFrom), recorded_to: version.recordedTo === null ? OPEN_END : new Date(version.recordedTo),
      unit: quantity.unit, qualifier: quantity.qualifier,
      low: quantity.qualifier === 'unquantified' ? null : quantity.low,
      high: quantity.qualifier === 'unquantified' ? null : quantity.high,
      part_of: announcement.data.partOf,
    };
    versions.push({
      commitment, programme: announcement.data.programme, ...indexed, ...span, pledgers: [...version.pledgers],
      effective_on: version.effectiveOn, source_position: version.sourcePosition,
    });
    for (const institution of version.pledgers) pledges.push({ institution, commitment, ...span, joint: version.pledgers.length > 1 });
  }
  return { versions, pledges };
}

/**
 * Recomputes the bitemporal versions of the commitments a batch touched from their whole streams
 * (streams are short; the computation is pure) and replaces their rows.
 */
async function rewriteVersions(target: ProjectionTarget, streams: string[], upTo: number): Promise<void> {
  const { read, write } = target;
  const byStream = new Map<string, RecordedLedgerEvent[]>();
  const events = await readStreams(journal(read), streams, { until: upTo, types: VERSION_TYPES });
  for (const event of events) {
    byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), fromJournal(event)]);
  }
  const keys = await versionKeys(target, events);
  const ids = streams.map((stream) => stream.slice(COMMITMENT_STREAM.length));
  for (let index = 0; index < ids.length; index += 1000) {
    const chunk = ids.slice(index, index + 1000);
    await write.deleteFrom('rm_commitment_versions').where('commitment', 'in', chunk).execute();
    await write.deleteFrom('rm_pledges').where('commitment', 'in', chunk).execute();
  }
  const versions: Rows<'rm_commitment_versions'> = [];
  const pledges: Rows<'rm_pledges'> = [];
  for (const stream of byStream.values()) {
    const rows = versionRows(stream, keys);
    versions.push(...rows.versions);
    pledges.push(...rows.pledges);
  }
  await insertAll(target, 'rm_commitment_versions', versions);
  await insertAll(target, 'rm_pledges', pledges);
}

/** Locks the read models' checkpoint row for the caller's transaction and returns its position. */
async function lockCheckpoint(write: ProjectionTarget['write']): Promise<number> {
  const row = await write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  return Number(row.position);
}

/**
 * The second pass of a rebuild: every commitment's versions computed once from its whole stream
 * (up to `upTo`), reading commitment streams in stream order, a page at a time.
 */
export async function projectVersions(
  db: Kysely<LedgerTables>,
  schema: string,
  upTo: number,
  onPage?: (events: number) => void,
): Promise<void> {
  let seen = 0;
  let writing: Promise<void> = Promise.resolve();
  for await (const page of iterateStreams(journal(db), { prefix: COMMITMENT_STREAM, until: upTo, types: VERSION_TYPES, pageSize: 10_000 })) {
    const versions: Rows<'rm_commitment_versions'> = [];
    const pledges: Rows<'rm_pledges'> = [];
    const keys = await versionKeys(targetFor(db, schema), page);
    let from = 0;
    for (let index = 1; index <= page.length; index += 1) {
      if (index === page.length || page[index]!.stream !== page[from]!.stream) {
        const stream = versionRows(page.slice(from, index).map(fromJournal), keys);
        versions.push(...stream.versions);
        pledges.push(...stream.pledges);
        from = index;
      }
    }
    // The previous page's rows are written while this one was computed; pages still land in order.
    await writing;
    writing = db.transaction().execute(async (trx) => {
      const target = targetFor(trx, schema);
      await insertAll(target, 'rm_commitment_versions', versions);
      await insertAll(target, 'rm_pledges', pledges);
    });
    writing.catch(() => undefined);
    seen += page.length;
    onPage?.(seen);
  }
  await writing;
}

/**
 * Projects, inside the caller's transaction, every event after the checkpoint: normally just what
 * the caller appended, but also anything an earlier writer left unprojected.
 *
 * The read models keep their checkpoint in their own table (rm_checkpoint), not in the event
 * store's subscription checkpoints: a rebuild fills a fresh set of tables, checkpoint included, and
 * swaps them in together.
 */
export async function projectPending(target: ProjectionTarget, batchSize = 5000): Promise<number> {
  let applied = 0;
  // Locked once for the whole catch-up: a concurrent projector waits here, then starts after us.
  let checkpoint = await lockCheckpoint(target.write);
  for (;;) {
    const page = await readAll(journal(target.read), { after: checkpoint, limit: batchSize });
    applied += await projectEvents(target, page.events, { checkpoint });
    checkpoint = page.events.at(-1)?.position ?? checkpoint;
    if (page.next === null) return applied;
  }
}

export function targetFor(trx: Transaction<LedgerTables> | Kysely<LedgerTables>, schema?: string): ProjectionTarget {
  const write = (schema ? trx.withSchema(schema) : trx) as unknown as Kysely<ReadModelTables>;
  return { read: trx, write, schema: schema ?? 'public' };
}

function json<T>(value: T): T {
  // jsonb columns take JSON text; the pg driver would send a JS array as a PostgreSQL array.
  return JSON.stringify(value) as unknown as T;
}

