import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideAnnounceCommitment, streams, type AnnounceCommitment } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class AnnounceCommitmentCommand extends Command<WriteResult> {
  constructor(readonly body: AnnounceCommitment, readonly context: WriteContext) {
    super();
  }
}

/**
 * Records CommitmentAnnounced. Refuses (DomainError) a commitment announced twice, unknown
 * references, a part larger than its whole or in another unit, and a commitment part of itself.
 */
@CommandHandler(AnnounceCommitmentCommand)
export class AnnounceCommitmentHandler implements ICommandHandler<AnnounceCommitmentCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: AnnounceCommitmentCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const commitment = await states.commitment(body.id);
      const decided = decideAnnounceCommitment(body, {
        commitment: commitment.state,
        programme: await states.programme(body.programme),
        institutions: await states.institutions([...body.pledgers, body.announcedBy]),
        sources: await states.sources(body.sources),
        parent: body.partOf === null ? undefined : (await states.commitment(body.partOf)).state,
      });
      return {
        stream: streams.commitment(body.id),
        expectedVersion: commitment.version,
        events: decided,
        envelope: { effectiveOn: body.effectiveOn, sources: body.sources },
      };
    });
  }
}
