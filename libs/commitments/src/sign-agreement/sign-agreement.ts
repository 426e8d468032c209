import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideSignAgreement, registrationStateOf, streams, type SignAgreement } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class SignAgreementCommand extends Command<WriteResult> {
  constructor(readonly body: SignAgreement, readonly context: WriteContext) {
    super();
  }
}

/** Records AgreementSigned between registered institutions about registered programmes. */
@CommandHandler(SignAgreementCommand)
export class SignAgreementHandler implements ICommandHandler<SignAgreementCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: SignAgreementCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const stream = streams.agreement(body.id);
      const { events, version } = await states.stream(stream);
      const programmes = new Map(await Promise.all(body.programmes.map(async (id) => [id, await states.programme(id)] as const)));
      const decided = decideSignAgreement(body, {
        agreement: registrationStateOf(events),
        institutions: await states.institutions(body.parties),
        programmes,
        sources: await states.sources(body.sources),
      });
      return { stream, expectedVersion: version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
