import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideNoteDiscrepancy, registrationStateOf, streams, type NoteDiscrepancy } from '@ledger/domain';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class NoteDiscrepancyCommand extends Command<WriteResult> {
  constructor(readonly body: NoteDiscrepancy, readonly context: WriteContext) {
    super();
  }
}

/** Records DiscrepancyNoted: two accounts that disagree, shown side by side and never resolved silently. */
@CommandHandler(NoteDiscrepancyCommand)
export class NoteDiscrepancyHandler implements ICommandHandler<NoteDiscrepancyCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ body, context }: NoteDiscrepancyCommand): Promise<WriteResult> {
    return this.writer.write(context, body, async (states) => {
      const stream = streams.discrepancy(body.id);
      const { events, version } = await states.stream(stream);
      const decided = decideNoteDiscrepancy(body, {
        discrepancy: registrationStateOf(events),
        commitment: body.commitment === null ? undefined : (await states.commitment(body.commitment)).state,
        sources: await states.sources([...body.sources, ...body.accounts.flatMap((account) => account.sources)]),
      });
      return { stream, expectedVersion: version, events: decided, envelope: { effectiveOn: body.effectiveOn, sources: body.sources } };
    });
  }
}
