import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideRegisterSource, registrationStateOf, sourceRegistrationEnvelope, streams, type RegisterSource } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class RegisterSourceCommand extends Command<WriteResult> {
  constructor(readonly body: RegisterSource, readonly context: WriteContext) {
    super();
  }
}

/** Records SourceRegistered. A source cites itself unless the body names other sources. */
@CommandHandler(RegisterSourceCommand)
export class RegisterSourceHandler implements ICommandHandler<RegisterSourceCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: RegisterSourceCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const stream = streams.source(body.id);
      const { events, version } = await states.stream(stream);
      const envelope = sourceRegistrationEnvelope(body);
      const decided = decideRegisterSource(body, {
        source: registrationStateOf(events),
        sources: await states.sources(envelope.sources),
      });
      return { stream, expectedVersion: version, events: decided, envelope };
    });
  }
}
