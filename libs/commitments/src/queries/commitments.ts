import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { commitmentAt, dateStart, streams, type CommitmentView, type Quantity, type RecordedLedgerEvent } from '@ledger/domain';
import { listCommitments, type At, type CommitmentFilter, type CommitmentListItem, type ListPage, type Paged } from '@ledger/read-models';
import { LEDGER_DB, NotFound, type LedgerDb } from '../ledger-database';
import { readLedgerStream } from '../ledger-states';

/** The end of time for "everything recorded so far", without reading the clock. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

async function loadCommitmentStream(db: LedgerDb, id: string): Promise<{ events: RecordedLedgerEvent[]; version: number }> {
  const stream = await readLedgerStream(db, streams.commitment(id));
  if (!stream.events.some((event) => event.type === 'CommitmentAnnounced')) throw new NotFound('commitment', id);
  return stream;
}

export class ListCommitments extends Query<Paged<CommitmentListItem>> {
  constructor(
    readonly at: At,
    readonly filter: CommitmentFilter & ListPage,
  ) {
    super();
  }
}

/** Commitments in effect at a point, in id order, a page at a time. */
@QueryHandler(ListCommitments)
export class ListCommitmentsHandler implements IQueryHandler<ListCommitments> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  execute({ at, filter }: ListCommitments): Promise<Paged<CommitmentListItem>> {
    return listCommitments(this.db, at, filter);
  }
}

export class GetCommitment extends Query<{ commitment: CommitmentView | undefined; version: number }> {
  constructor(
    readonly id: string,
    readonly at: At,
  ) {
    super();
  }
}

/**
 * One commitment as it stood at a point, and its stream version (the ETag writers send back in
 * If-Match). One stream is folded per request; balances never are.
 * @throws NotFound when the commitment was never announced.
 */
@QueryHandler(GetCommitment)
export class GetCommitmentHandler implements IQueryHandler<GetCommitment> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id, at }: GetCommitment): Promise<{ commitment: CommitmentView | undefined; version: number }> {
    const { events, version } = await loadCommitmentStream(this.db, id);
    return { commitment: commitmentAt(events, id, at), version };
  }
}

export interface HistoryEntry {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly effectiveOn: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly sources: readonly string[];
  readonly data: unknown;
  readonly quantityBefore: Quantity | null;
  readonly quantityAfter: Quantity | null;
}

export class GetCommitmentHistory extends Query<HistoryEntry[]> {
  constructor(readonly id: string) {
    super();
  }
}

/**
 * The audit trail: every event of the commitment in order, with the quantity in force at the
 * event's own effective date just before and just after the ledger recorded it.
 * @throws NotFound when the commitment was never announced.
 */
@QueryHandler(GetCommitmentHistory)
export class GetCommitmentHistoryHandler implements IQueryHandler<GetCommitmentHistory> {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}
  async execute({ id }: GetCommitmentHistory): Promise<HistoryEntry[]> {
    const { events } = await loadCommitmentStream(this.db, id);
    return events.map((event, index) => {
      const at = { asOf: dateStart(event.metadata.effectiveOn), knownAt: END_OF_TIME };
      const quantity = (known: RecordedLedgerEvent[]) => commitmentAt(known, id, at)?.quantity ?? null;
      return {
        position: event.position,
        eventId: event.eventId,
        type: event.type,
        version: event.version,
        effectiveOn: event.metadata.effectiveOn,
        recordedAt: event.recordedAt,
        recordedBy: event.metadata.recordedBy,
        sources: event.metadata.sources,
        data: event.data,
        quantityBefore: quantity(events.slice(0, index)),
        quantityAfter: quantity(events.slice(0, index + 1)),
      };
    });
  }
}
