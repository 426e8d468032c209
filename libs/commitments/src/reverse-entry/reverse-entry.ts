import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import { decideReverseEntry, reversalCitation, type ReverseEntry } from '@ledger/domain';
import { NotFound } from '../ledger-database';
import { LedgerWriter } from '../ledger-writer';
import type { WriteContext, WriteResult } from '../write-context';

export class ReverseEntryCommand extends Command<WriteResult> {
  constructor(readonly eventId: string, readonly body: ReverseEntry, readonly context: WriteContext) {
    super();
  }
}

/**
 * Records EntryReversed in the stream of the event it undoes, with that event's effective date and
 * sources. NotFound for an unknown event id; DomainError not-reversible or already-reversed.
 */
@CommandHandler(ReverseEntryCommand)
export class ReverseEntryHandler implements ICommandHandler<ReverseEntryCommand> {
  constructor(private readonly writer: LedgerWriter) {}

  execute({ eventId, body, context }: ReverseEntryCommand): Promise<WriteResult> {
    return this.writer.write(context, { eventId, body }, async (states) => {
      const target = await states.event(eventId);
      if (!target) throw new NotFound('event', eventId);
      const { events, version } = await states.stream(target.stream);
      const decided = decideReverseEntry(eventId, body, { target, stream: events });
      return { stream: target.stream, expectedVersion: version, events: decided, envelope: reversalCitation(target) };
    });
  }
}
