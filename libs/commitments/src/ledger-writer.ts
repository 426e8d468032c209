import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson, sha256Hex, appendToStreams, findIdempotentResult, lockAppends, type AppendResult } from '@ledger/event-store';
import type { Citation, LedgerEvent } from '@ledger/domain';
import { journal, projectPending, targetFor } from '@ledger/read-models';
import { LEDGER_DB, type LedgerDb } from './ledger-database';
import { LedgerStates } from './ledger-states';
import type { WriteContext, WriteResult } from './write-context';

/** What a decision produced: events for one stream, appended if the stream is still where it was read. */
export interface Decision {
  readonly stream: string;
  /** The version the decision was taken against (0 for a new stream). */
  readonly expectedVersion: number;
  readonly events: readonly LedgerEvent[];
  readonly envelope: Citation;
}

/**
 * The write path every command handler shares: in one transaction, take the journal's append lock,
 * load what the decision needs, decide, append and project the read models, so a balance read
 * after a 201 already includes the write and a crash leaves neither half behind.
 *
 * Deciding under the lock is what keeps rules that span streams: a part checked against its whole
 * and a revision of the whole checked against its parts write different streams, so their stream
 * versions cannot see each other; serialised, each reads what the other appended. Writes wait for
 * one another while they decide, a few milliseconds each, which a ledger of announcements affords.
 */
@Injectable()
export class LedgerWriter {
  constructor(@Inject(LEDGER_DB) private readonly db: LedgerDb) {}

  /**
   * This process's writes take turns here before they ask for a connection: they would only wait
   * for one another on the append lock, each holding a pooled connection, and enough of them would
   * leave none for reads.
   */
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Runs `decide` unless the idempotency key already stands for this request, then appends what it
   * decided. With an If-Match version in the context, that version is what the append expects.
   *
   * @throws ConcurrencyError when the stream is no longer at the If-Match version.
   * @throws IdempotencyConflict when the key was used for another request.
   * @throws DomainError from `decide`.
   */
  async write(context: WriteContext, body: unknown, decide: (states: LedgerStates) => Promise<Decision>): Promise<WriteResult> {
    // Only a keyed write is ever compared with another, so only a keyed one pays for hashing itself.
    const idempotency = context.idempotencyKey
      ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash ?? sha256Hex(canonicalJson(body ?? null)) }
      : undefined;
    // A repeat answers without waiting for the lock; one that raced its first copy is caught below.
    if (idempotency) {
      const previous = await findIdempotentResult(journal(this.db), idempotency.idempotencyKey, idempotency.requestHash);
      if (previous) return toWriteResult(previous);
    }
    const write = () => this.db.transaction().execute(async (trx) => {
      await lockAppends(journal(trx));
      if (idempotency) {
        const previous = await findIdempotentResult(journal(trx), idempotency.idempotencyKey, idempotency.requestHash);
        if (previous) return previous;
      }
      const decision = await decide(new LedgerStates(trx));
      const metadata = {
        ...decision.envelope,
        recordedBy: context.recordedBy,
        ...(idempotency ? { idempotencyKey: idempotency.idempotencyKey } : {}),
      };
      const appended = await appendToStreams(journal(trx), {
        streams: [{
          stream: decision.stream,
          expected: context.expectedVersion ?? decision.expectedVersion,
          events: decision.events.map((event) => ({ type: event.type, data: event.data as never, metadata: metadata as never })),
        }],
        ...idempotency,
      });
      if (!appended.replayed) await projectPending(targetFor(trx));
      return appended;
    });
    const result = this.turn.then(write);
    this.turn = result.catch(() => undefined);
    return toWriteResult(await result);
  }
}

function toWriteResult(result: AppendResult): WriteResult {
  const first = result.events[0]!;
  return {
    eventId: first.eventId,
    position: first.position,
    stream: first.stream,
    version: first.version,
    recordedAt: first.recordedAt.toISOString(),
    replayed: result.replayed,
  };
}
