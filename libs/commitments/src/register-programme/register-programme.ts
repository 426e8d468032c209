import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideRegisterProgramme, programmeStateOf, streams, type RegisterProgramme } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class RegisterProgrammeCommand extends Command<WriteResult> {
  constructor(readonly body: RegisterProgramme, readonly context: WriteContext) {
    super();
  }
}

/** Records ProgrammeRegistered, as a component when it names a parent; refuses a programme named as its own parent. */
@CommandHandler(RegisterProgrammeCommand)
export class RegisterProgrammeHandler implements ICommandHandler<RegisterProgrammeCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: RegisterProgrammeCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const stream = streams.programme(body.id);
      const { events, version } = await states.stream(stream);
      const decided = decideRegisterProgramme(body, {
        programme: programmeStateOf(events),
        parent: body.parent === null ? undefined : await states.programme(body.parent),
        institutions: await states.institutions(body.owners),
        sources: await states.sources(body.sources),
      });
      return { stream, expectedVersion: version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
