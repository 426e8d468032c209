import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideCorroborateCommitment, streams, type CorroborateCommitment } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class CorroborateCommitmentCommand extends Command<WriteResult> {
  constructor(readonly commitment: string, readonly body: CorroborateCommitment, readonly context: WriteContext) {
    super();
  }
}

/** Records CommitmentCorroborated: a citation, never new money; a differing figure is refused. */
@CommandHandler(CorroborateCommitmentCommand)
export class CorroborateCommitmentHandler implements ICommandHandler<CorroborateCommitmentCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ commitment: id, body, context }: CorroborateCommitmentCommand): Promise<WriteResult> {
    return this.writer.write(context, { id, body }, async (states) => {
      const commitment = await states.commitment(id);
      const decided = decideCorroborateCommitment(id, body, {
        commitment: commitment.state,
        sources: await states.sources(body.sources),
      });
      return { stream: streams.commitment(id), expectedVersion: commitment.version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
