import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReverseEntryCommand, type WriteContext } from '@ledger/commitments';
import { ReverseEntrySchema, type ReverseEntry } from '@ledger/domain';
import { z } from 'zod';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';

const EventIdSchema = z.guid().describe('the id of the event to reverse, as the journal lists it');

@ApiTags('journal')
@Controller('v1/events')
export class ReversalsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':eventId/reversal')
  @WriteRoute({ ifMatch: true })
  @ApiOperation({ summary: 'Reverses an entry recorded in error (EntryReversed in the stream of the reversed event)' })
  async reverse(
    @Param('eventId', { schema: EventIdSchema }) eventId: string,
    @Body({ schema: ReverseEntrySchema }) body: ReverseEntry,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new ReverseEntryCommand(eventId, body, context)));
  }
}
