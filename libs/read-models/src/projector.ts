import { sql, type Kysely, type Transaction } from 'kysely';
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

/**
 * Applies journal events to the read models inside the caller's transaction. Events at or below the
 * read models' checkpoint are skipped, so applying a batch twice changes nothing; the checkpoint
 * moves in the same transaction as the writes.
 */
export async function projectEvents(target: ProjectionTarget, events: readonly RecordedEvent[]): Promise<number> {
  const { write } = target;
  const checkpoint = await write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const pending = events.filter((event) => event.position > Number(checkpoint.position));
  if (pending.length === 0) return 0;

  const touched = new Set<string>();
  const citations: ReadModelTables['rm_citations'][] = [];
  for (const raw of pending) {
    const event = toLedgerEvent(raw);
    for (const source of event.metadata.sources ?? []) {
      citations.push({
        source_id: source, position: event.position, event_id: event.eventId, stream: event.stream,
        type: event.type, effective_on: event.metadata.effectiveOn, recorded_at: raw.recordedAt,
      });
    }
    if (event.stream.startsWith(COMMITMENT_STREAM)) touched.add(event.stream);
    await applyEntity(write, event, raw.recordedAt);
  }
  if (citations.length > 0) {
    for (const chunk of chunks(citations, 2000)) await write.insertInto('rm_citations').values(chunk).execute();
  }
  if (touched.size > 0) await rewriteVersions(target, [...touched], pending[pending.length - 1]!.position);
  await write.updateTable('rm_checkpoint').set({ position: pending[pending.length - 1]!.position }).where('id', '=', 1).execute();
  return pending.length;
}

/** Registrations and other entity rows: one small write per event, in position order. */
async function applyEntity(write: Kysely<ReadModelTables>, event: RecordedLedgerEvent, recordedAt: Date): Promise<void> {
  const at = { position: event.position, recorded_at: recordedAt };
  switch (event.type) {
    case 'SourceRegistered': {
      const d = event.data;
      await write.insertInto('rm_sources').values({
        id: d.id, publisher: d.publisher, title: d.title, language: d.language, published_on: d.publishedOn,
        url: d.url, origin: d.origin, ...at,
      }).execute();
      return;
    }
    case 'InstitutionRegistered': {
      const d = event.data;
      await write.insertInto('rm_institutions').values({
        id: d.id, name: d.name, kind: d.kind, country: d.country, aliases: json(d.aliases), ...at,
      }).execute();
      return;
    }
    case 'ProgrammeRegistered': {
      const d = event.data;
      await write.insertInto('rm_programmes').values({
        id: d.id, name: d.name, aliases: json(d.aliases), parent: d.parent, owners: json(d.owners), ...at,
      }).execute();
      await write.insertInto('rm_programme_tree').values({ ancestor: d.id, programme: d.id, depth: 0 }).execute();
      if (d.parent !== null) {
        await write.insertInto('rm_programme_tree')
          .columns(['ancestor', 'programme', 'depth'])
          .expression((eb) => eb.selectFrom('rm_programme_tree')
            .select(['ancestor', eb.val(d.id).as('programme'), sql<number>`depth + 1`.as('depth')])
            .where('programme', '=', d.parent!))
          .execute();
      }
      return;
    }
    case 'CommitmentAnnounced': {
      const d = event.data;
      await write.insertInto('rm_commitments').values({
        id: d.id, programme: d.programme, announced_by: d.announcedBy, kind: d.kind, part_of: d.partOf,
        horizon: d.horizon, effective_on: event.metadata.effectiveOn, ...at,
      }).execute();
      if (d.partOf !== null) {
        await write.insertInto('rm_commitment_ancestors').values({ commitment: d.id, ancestor: d.partOf, depth: 1 }).execute();
        await write.insertInto('rm_commitment_ancestors')
          .columns(['commitment', 'ancestor', 'depth'])
          .expression((eb) => eb.selectFrom('rm_commitment_ancestors')
            .select([eb.val(d.id).as('commitment'), 'ancestor', sql<number>`depth + 1`.as('depth')])
            .where('commitment', '=', d.partOf!))
          .execute();
      }
      return;
    }
    case 'AgreementSigned': {
      const d = event.data;
      await write.insertInto('rm_agreements').values({
        id: d.id, kind: d.kind, parties: json(d.parties), programmes: json(d.programmes),
        effective_on: event.metadata.effectiveOn, sources: json(event.metadata.sources), ...at, reversed_at: null,
      }).execute();
      return;
    }
    case 'DiscrepancyNoted': {
      const d = event.data;
      await write.insertInto('rm_discrepancies').values({
        id: d.id, commitment: d.commitment, field: d.field, accounts: json(d.accounts), note: d.note,
        effective_on: event.metadata.effectiveOn, sources: json(event.metadata.sources), ...at, reversed_at: null,
      }).execute();
      return;
    }
    case 'EntryReversed': {
      // A reversed agreement or discrepancy stays listed, marked with when it was reversed.
      const id = event.stream.slice(event.stream.indexOf('-') + 1);
      if (event.stream.startsWith('agreement-')) {
        await write.updateTable('rm_agreements').set({ reversed_at: recordedAt }).where('id', '=', id).execute();
      } else if (event.stream.startsWith('discrepancy-')) {
        await write.updateTable('rm_discrepancies').set({ reversed_at: recordedAt }).where('id', '=', id).execute();
      }
      return;
    }
    case 'CommitmentCorroborated':
    case 'CommitmentRevised':
    case 'CommitmentWithdrawn':
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`no projection for ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * Recomputes the bitemporal versions of the commitments a batch touched from their whole streams
 * (streams are short; the computation is pure, see timeline.ts) and replaces their rows.
 */
async function rewriteVersions(target: ProjectionTarget, streams: string[], upTo: number): Promise<void> {
  const { read, write } = target;
  const byStream = new Map<string, RecordedLedgerEvent[]>();
  for (const chunk of chunks(streams, 1000)) {
    const rows = await read.selectFrom('events').selectAll()
      .where('stream', 'in', chunk).where('position', '<=', upTo).orderBy('position').execute();
    for (const row of rows) {
      const event = toLedgerEvent({
        position: Number(row.position), eventId: row.event_id, stream: row.stream, version: row.version,
        type: row.type, data: row.data, metadata: row.metadata, recordedAt: row.recorded_at,
        prevHash: row.prev_hash, hash: row.hash,
      });
      const list = byStream.get(row.stream) ?? [];
      list.push(event);
      byStream.set(row.stream, list);
    }
  }
  const ids = streams.map((stream) => stream.slice(COMMITMENT_STREAM.length));
  for (const chunk of chunks(ids, 1000)) {
    await write.deleteFrom('rm_commitment_versions').where('commitment', 'in', chunk).execute();
    await write.deleteFrom('rm_pledges').where('commitment', 'in', chunk).execute();
  }
  const versions: ReadModelTables['rm_commitment_versions'][] = [];
  const pledges: ReadModelTables['rm_pledges'][] = [];
  for (const [stream, events] of byStream) {
    const announcement = events.find((event) => event.type === 'CommitmentAnnounced');
    if (!announcement || announcement.type !== 'CommitmentAnnounced') continue;
    const commitment = announcement.data.id;
    for (const version of bitemporalVersions(events)) {
      const quantity = version.quantity;
      const amounts = quantity.qualifier === 'unquantified'
        ? { low: null, high: null }
        : { low: quantity.low, high: quantity.high };
      const span = {
        valid_from: version.validFrom, valid_to: version.validTo,
        recorded_from: new Date(version.recordedFrom), recorded_to: version.recordedTo === null ? null : new Date(version.recordedTo),
        unit: quantity.unit, qualifier: quantity.qualifier, ...amounts,
      };
      versions.push({
        commitment, programme: announcement.data.programme, ...span, pledgers: [...version.pledgers],
        effective_on: version.effectiveOn, source_position: version.sourcePosition,
      });
      for (const institution of version.pledgers) {
        pledges.push({ institution, commitment, ...span, joint: version.pledgers.length > 1 });
      }
    }
    void stream;
  }
  for (const chunk of chunks(versions, 1000)) await write.insertInto('rm_commitment_versions').values(chunk).execute();
  for (const chunk of chunks(pledges, 1000)) await write.insertInto('rm_pledges').values(chunk).execute();
}

/** Projects every event after the read models' checkpoint, in batches, each in its own transaction. */
export async function catchUpReadModels(
  db: Kysely<LedgerTables>,
  options: { batchSize?: number; schema?: string; onBatch?: (position: number, applied: number) => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 2000;
  let applied = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const target = targetFor(trx, options.schema);
      const checkpoint = await target.write.selectFrom('rm_checkpoint').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
      const page = await readAll(journal(trx), { after: Number(checkpoint.position), limit: batchSize });
      const count = await projectEvents(target, page.events);
      return { count, position: page.events.at(-1)?.position ?? Number(checkpoint.position) };
    });
    applied += step.count;
    if (step.count > 0) options.onBatch?.(step.position, applied);
    if (step.count < batchSize) return applied;
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}
