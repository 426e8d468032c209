import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideRegisterInstitution, registrationStateOf, streams, type RegisterInstitution } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class RegisterInstitutionCommand extends Command<WriteResult> {
  constructor(readonly body: RegisterInstitution, readonly context: WriteContext) {
    super();
  }
}

/** Records InstitutionRegistered; DomainError already-registered or unknown-source. */
@CommandHandler(RegisterInstitutionCommand)
export class RegisterInstitutionHandler implements ICommandHandler<RegisterInstitutionCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: RegisterInstitutionCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const stream = streams.institution(body.id);
      const { events, version } = await states.stream(stream);
      const decided = decideRegisterInstitution(body, {
        institution: registrationStateOf(events),
        sources: await states.sources(body.sources),
      });
      return { stream, expectedVersion: version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
