import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideWithdrawCommitment, streams, type WithdrawCommitment } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class WithdrawCommitmentCommand extends Command<WriteResult> {
  constructor(readonly commitment: string, readonly body: WithdrawCommitment, readonly context: WriteContext) {
    super();
  }
}

/** Records CommitmentWithdrawn from its effective date on; refuses one already withdrawn. */
@CommandHandler(WithdrawCommitmentCommand)
export class WithdrawCommitmentHandler implements ICommandHandler<WithdrawCommitmentCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ commitment: id, body, context }: WithdrawCommitmentCommand): Promise<WriteResult> {
    return this.writer.write(context, { id, body }, async (states) => {
      const commitment = await states.commitment(id);
      const decided = decideWithdrawCommitment(id, body, {
        commitment: commitment.state,
        sources: await states.sources(body.sources),
      });
      return { stream: streams.commitment(id), expectedVersion: commitment.version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
