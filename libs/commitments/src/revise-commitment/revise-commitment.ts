import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideReviseCommitment, streams, type ReviseCommitment } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class ReviseCommitmentCommand extends Command<WriteResult> {
  constructor(readonly commitment: string, readonly body: ReviseCommitment, readonly context: WriteContext) {
    super();
  }
}

/** Records CommitmentRevised: a new level from its effective date on; refuses a withdrawn commitment. */
@CommandHandler(ReviseCommitmentCommand)
export class ReviseCommitmentHandler implements ICommandHandler<ReviseCommitmentCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ commitment: id, body, context }: ReviseCommitmentCommand): Promise<WriteResult> {
    return this.writer.write(context, { id, body }, async (states) => {
      const commitment = await states.commitment(id);
      const partOf = commitment.state.partOf;
      const decided = decideReviseCommitment(id, body, {
        commitment: commitment.state,
        institutions: await states.institutions(body.pledgers ?? []),
        sources: await states.sources(body.sources),
        parent: partOf === null ? undefined : (await states.commitment(partOf)).state,
        parts: await states.partsOf(id),
      });
      return { stream: streams.commitment(id), expectedVersion: commitment.version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
