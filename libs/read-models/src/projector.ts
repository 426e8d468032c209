import type { Kysely, Transaction } from 'kysely';
import type { RecordedLedgerEvent } from '@ledger/domain';
import { readAll, type RecordedEvent } from '@ledger/event-store';
import { toLedgerEvent } from './events';
import { journal, type LedgerTables, type ReadModelTables } from './schema';
import { bitemporalVersions } from './timeline';

/**
 * Where a projection writes: the live tables, or (for a rebuild) a schema of fresh ones beside them.
 * Events are always read from the journal itself.
 */
export interface ProjectionTarget {
  readonly read: Kysely<LedgerTables>;
  readonly write: Kysely<ReadModelTables>;
}

const COMMITMENT_STREAM = 'commitment-';

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
  options: { versions?: boolean } = {},
): Promise<number> {
  const { write } = target;
  const checkpoint = await write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const pending = events.filter((event) => event.position > Number(checkpoint.position)).map(toLedgerEvent);
  if (pending.length === 0) return 0;

  const rows = {
    rm_sources: [] as Rows<'rm_sources'>, rm_institutions: [] as Rows<'rm_institutions'>,
    rm_programmes: [] as Rows<'rm_programmes'>, rm_programme_tree: [] as Rows<'rm_programme_tree'>,
    rm_commitments: [] as Rows<'rm_commitments'>, rm_commitment_ancestors: [] as Rows<'rm_commitment_ancestors'>,
    rm_agreements: [] as Rows<'rm_agreements'>, rm_discrepancies: [] as Rows<'rm_discrepancies'>,
    rm_citations: [] as Rows<'rm_citations'>,
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
    for (const source of event.metadata.sources ?? []) {
      rows.rm_citations.push({
        source_id: source, position: event.position, event_id: event.eventId, stream: event.stream,
        type: event.type, effective_on: event.metadata.effectiveOn, recorded_at: at.recorded_at,
      });
    }
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
        rows.rm_programme_tree.push({ ancestor: d.id, programme: d.id, depth: 0 });
        above.forEach((ancestor, index) => rows.rm_programme_tree.push({ ancestor, programme: d.id, depth: index + 1 }));
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
    await insertAll(write, table, list);
  }
  // Reversals come after the inserts: an agreement may be signed and reversed within one batch.
  for (const { id, at } of reversedAgreements) await write.updateTable('rm_agreements').set({ reversed_at: at }).where('id', '=', id).execute();
  for (const { id, at } of reversedDiscrepancies) await write.updateTable('rm_discrepancies').set({ reversed_at: at }).where('id', '=', id).execute();
  for (const { id, at } of reversedCommitments) await write.updateTable('rm_commitments').set({ reversed_at: at }).where('id', '=', id).execute();
  if ((options.versions ?? true) && touched.size > 0) await rewriteVersions(target, [...touched], pending.at(-1)!.position);
  await write.updateTable('rm_checkpoint').set({ position: pending.at(-1)!.position }).where('id', '=', 1).execute();
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

/** Multi-row inserts, in chunks that stay under PostgreSQL's 65,535 bind parameters. */
async function insertAll<T extends keyof ReadModelTables>(write: Kysely<ReadModelTables>, table: T, list: readonly ReadModelTables[T][]): Promise<void> {
  if (list.length === 0) return;
  const perRow = Object.keys(list[0] as object).length;
  const size = Math.max(1, Math.floor(60_000 / perRow));
  for (let index = 0; index < list.length; index += size) {
    await write.insertInto(table).values(list.slice(index, index + size) as never).execute();
  }
}

/** Version and pledge rows of one commitment from its whole stream (see timeline.ts). */
function versionRows(events: readonly RecordedLedgerEvent[]): { versions: Rows<'rm_commitment_versions'>; pledges: Rows<'rm_pledges'> } {
  const versions: Rows<'rm_commitment_versions'> = [];
  const pledges: Rows<'rm_pledges'> = [];
  const announcement = events.find((event) => event.type === 'CommitmentAnnounced');
  if (!announcement || announcement.type !== 'CommitmentAnnounced') return { versions, pledges };
  const commitment = announcement.data.id;
  for (const version of bitemporalVersions(events)) {
    const quantity = version.quantity;
    const span = {
      valid_from: version.validFrom, valid_to: version.validTo,
      recorded_from: new Date(version.recordedFrom), recorded_to: version.recordedTo === null ? null : new Date(version.recordedTo),
      unit: quantity.unit, qualifier: quantity.qualifier,
      low: quantity.qualifier === 'unquantified' ? null : quantity.low,
      high: quantity.qualifier === 'unquantified' ? null : quantity.high,
    };
    versions.push({
      commitment, programme: announcement.data.programme, ...span, pledgers: [...version.pledgers],
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
  for (let index = 0; index < streams.length; index += 1000) {
    const chunk = streams.slice(index, index + 1000);
    const rows = await read.selectFrom('events').selectAll()
      .where('stream', 'in', chunk).where('position', '<=', upTo).orderBy('position').execute();
    for (const row of rows) {
      const event = toLedgerEvent({
        position: Number(row.position), eventId: row.event_id, stream: row.stream, version: row.version,
        type: row.type, data: row.data, metadata: row.metadata, recordedAt: row.recorded_at,
        prevHash: row.prev_hash, hash: row.hash,
      });
      byStream.set(row.stream, [...(byStream.get(row.stream) ?? []), event]);
    }
  }
  const ids = streams.map((stream) => stream.slice(COMMITMENT_STREAM.length));
  for (let index = 0; index < ids.length; index += 1000) {
    const chunk = ids.slice(index, index + 1000);
    await write.deleteFrom('rm_commitment_versions').where('commitment', 'in', chunk).execute();
    await write.deleteFrom('rm_pledges').where('commitment', 'in', chunk).execute();
  }
  const versions: Rows<'rm_commitment_versions'> = [];
  const pledges: Rows<'rm_pledges'> = [];
  for (const events of byStream.values()) {
    const rows = versionRows(events);
    versions.push(...rows.versions);
    pledges.push(...rows.pledges);
  }
  await insertAll(write, 'rm_commitment_versions', versions);
  await insertAll(write, 'rm_pledges', pledges);
}

/**
 * The second pass of a rebuild: every commitment's versions computed once from its whole stream
 * (up to `upTo`), reading commitment streams in stream order, a page at a time.
 */
export async function projectVersions(
  db: Kysely<LedgerTables>,
  schema: string | undefined,
  upTo: number,
  onPage?: (events: number) => void,
): Promise<number> {
  const pageSize = 20_000;
  let after: { stream: string; version: number } | undefined;
  let carried: RecordedLedgerEvent[] = [];
  let seen = 0;
  for (;;) {
    let query = db.selectFrom('events').selectAll()
      .where('stream', '>=', COMMITMENT_STREAM).where('stream', '<', 'commitment.')
      .where('position', '<=', upTo)
      .orderBy('stream').orderBy('version').limit(pageSize);
    if (after) {
      const { stream, version } = after;
      query = query.where((eb) => eb.or([eb('stream', '>', stream), eb.and([eb('stream', '=', stream), eb('version', '>', version)])]));
    }
    const rows = await query.execute();
    const events = [...carried, ...rows.map((row) => toLedgerEvent({
      position: Number(row.position), eventId: row.event_id, stream: row.stream, version: row.version, type: row.type,
      data: row.data, metadata: row.metadata, recordedAt: row.recorded_at, prevHash: row.prev_hash, hash: row.hash,
    }))];
    const last = rows.at(-1);
    const done = rows.length < pageSize;
    // The last stream of a page may continue on the next one; carry it over unless this is the end.
    const complete = done ? events : events.filter((event) => event.stream !== last!.stream);
    carried = done ? [] : events.filter((event) => event.stream === last!.stream);
    const versions: Rows<'rm_commitment_versions'> = [];
    const pledges: Rows<'rm_pledges'> = [];
    let from = 0;
    for (let index = 1; index <= complete.length; index += 1) {
      if (index === complete.length || complete[index]!.stream !== complete[from]!.stream) {
        // Stream order is version order; position order is the same within a stream.
        const rows = versionRows(complete.slice(from, index));
        versions.push(...rows.versions);
        pledges.push(...rows.pledges);
        from = index;
      }
    }
    await db.transaction().execute(async (trx) => {
      const write = targetFor(trx, schema).write;
      await insertAll(write, 'rm_commitment_versions', versions);
      await insertAll(write, 'rm_pledges', pledges);
    });
    seen += rows.length;
    onPage?.(seen);
    if (done) return seen;
    after = { stream: last!.stream, version: last!.version };
  }
}

/** Projects every event after the read models' checkpoint, in batches, each in its own transaction. */
export async function catchUpReadModels(
  db: Kysely<LedgerTables>,
  options: { batchSize?: number; schema?: string; versions?: boolean; until?: number; onBatch?: (position: number, applied: number) => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 2000;
  let applied = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const target = targetFor(trx, options.schema);
      const checkpoint = await target.write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
      const page = await readAll(journal(trx), { after: Number(checkpoint.position), limit: batchSize });
      const events = options.until === undefined ? page.events : page.events.filter((event) => event.position <= options.until!);
      const count = await projectEvents(target, events, { versions: options.versions ?? true });
      return { count, position: events.at(-1)?.position ?? Number(checkpoint.position), more: events.length === batchSize };
    });
    applied += step.count;
    if (step.count > 0) options.onBatch?.(step.position, applied);
    if (!step.more) return applied;
  }
}

/**
 * Projects, inside the caller's transaction, every event after the checkpoint: normally just what
 * the caller appended, but also anything an earlier writer left unprojected.
 */
export async function projectPending(target: ProjectionTarget, batchSize = 5000): Promise<number> {
  let applied = 0;
  for (;;) {
    const checkpoint = await target.write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
    const page = await readAll(journal(target.read), { after: Number(checkpoint.position), limit: batchSize });
    applied += await projectEvents(target, page.events);
    if (page.next === null) return applied;
  }
}

export function targetFor(trx: Transaction<LedgerTables> | Kysely<LedgerTables>, schema?: string): ProjectionTarget {
  const write = (schema ? trx.withSchema(schema) : trx) as unknown as Kysely<ReadModelTables>;
  return { read: trx, write };
}

function json<T>(value: T): T {
  // jsonb columns take JSON text; the pg driver would send a JS array as a PostgreSQL array.
  return JSON.stringify(value) as unknown as T;
}

