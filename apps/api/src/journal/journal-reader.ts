import { Inject, Injectable } from '@nestjs/common';
import type { LedgerDatabase } from '@ledger/db';
import { head, readAll, verifyChain, type JsonObject, type RecordedEvent, type StoreDb } from '@ledger/event-store';
import { LEDGER_DATABASE } from '../database/database.module';
import type { EventsPage, JournalEvent, VerifyAnswer } from './journal.schemas';

/** Reads of the journal itself: its head, its pages, and the check of its hash chain. */
@Injectable()
export class JournalReader {
  private readonly db: StoreDb;

  constructor(@Inject(LEDGER_DATABASE) private readonly database: LedgerDatabase) {
    this.db = database.db as StoreDb;
  }

  async health(): Promise<{ status: 'ok'; database: LedgerDatabase['kind']; position: number }> {
    const { position } = await head(this.db);
    return { status: 'ok', database: this.database.kind, position };
  }

  async page(after: number, limit: number): Promise<EventsPage> {
    const page = await readAll(this.db, { after, limit });
    return { events: page.events.map(toJournalEvent), next: page.next };
  }

  async verify(): Promise<VerifyAnswer> {
    const result = await verifyChain(this.db);
    return result.ok
      ? { ok: true, events: result.events, head: result.head.hash }
      : { ok: false, events: result.events, brokenAt: result.brokenAt, reason: result.reason };
  }
}

/** The domain envelope lives in the store's generic metadata (docs/design.md, "Event envelope"). */
function toJournalEvent(event: RecordedEvent): JournalEvent {
  const metadata: JsonObject = event.metadata ?? {};
  const sources = Array.isArray(metadata['sources']) ? metadata['sources'].filter((s): s is string => typeof s === 'string') : [];
  return {
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    stream: event.stream,
    version: event.version,
    effectiveOn: typeof metadata['effectiveOn'] === 'string' ? metadata['effectiveOn'] : null,
    recordedAt: new Date(event.recordedAt).toISOString(),
    recordedBy: typeof metadata['recordedBy'] === 'string' ? metadata['recordedBy'] : null,
    sources,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
