import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReverseEntryCommand, type WriteContext } from '@ledger/commitments';
import { ReverseEntrySchema, type ReverseEntry } from '@ledger/domain';
import { z } from 'zod';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';

const EventIdSchema = z.guid().describe('the id of the event to reverse, as the journal lists it');

/** A commitment's ETag is its stream version, so a reversal in a commitment's stream moves it. */
const COMMITMENT_STREAM = 'commitment-';

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
    const result = await this.commands.execute(new ReverseEntryCommand(eventId, body, context));
    return answerWrite(response, result, { etag: result.stream.startsWith(COMMITMENT_STREAM) });
  }
}
