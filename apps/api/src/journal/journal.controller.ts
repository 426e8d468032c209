import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { JournalReader } from './journal-reader';
import {
  EventsPageSchema,
  EventsQuerySchema,
  HealthSchema,
  VerifyResultSchema,
  type EventsPage,
  type EventsQuery,
  type VerifyAnswer,
} from './journal.schemas';

@ApiTags('journal')
@Controller()
export class JournalController {
  constructor(private readonly journal: JournalReader) {}

  @Get('health')
  @ApiOperation({ summary: 'Whether the API and its database answer, and the journal head' })
  @ApiResponse({ status: 200, standardSchema: HealthSchema })
  health(): Promise<unknown> {
    return this.journal.health();
  }

  @Get('v1/events')
  @ApiOperation({ summary: 'The journal in global order, a page at a time (keep asking with after=next)' })
  @ApiResponse({ status: 200, standardSchema: EventsPageSchema })
  events(@Query({ schema: EventsQuerySchema }) query: EventsQuery): Promise<EventsPage> {
    return this.journal.page(query.after, query.limit);
  }

  @Get('v1/audit/verify')
  @ApiOperation({ summary: 'Recomputes the hash chain and names the first position where it breaks' })
  @ApiResponse({ status: 200, standardSchema: VerifyResultSchema })
  verify(): Promise<VerifyAnswer> {
    return this.journal.verify();
  }
}
