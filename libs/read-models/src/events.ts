import { parseEvent, type Envelope, type RecordedLedgerEvent } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';

/** A journal row read as a ledger event: the payload checked against its schema, the envelope typed. */
export function toLedgerEvent(event: RecordedEvent): RecordedLedgerEvent {
  return { ...fromJournal(event), ...parseEvent(event.type, event.data) } as RecordedLedgerEvent;
}

/**
 * A journal row as a ledger event without checking its payload again. Projections read the journal
 * in bulk, and every event in it was built by the domain's decisions and checked by the same
 * schemas when it was written; the journal refuses changes. Parsing it again doubled a rebuild.
 */
export function fromJournal(event: RecordedEvent): RecordedLedgerEvent {
  return {
    type: event.type,
    data: event.data,
    eventId: event.eventId,
    stream: event.stream,
    version: event.version,
    position: event.position,
    recordedAt: event.recordedAt.toISOString(),
    metadata: event.metadata as unknown as Envelope,
  } as RecordedLedgerEvent;
}
