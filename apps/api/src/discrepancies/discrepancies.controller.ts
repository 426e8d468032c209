import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ListDiscrepancies, NoteDiscrepancyCommand, type WriteContext } from '@ledger/commitments';
import { NoteDiscrepancySchema, type NoteDiscrepancy } from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';
import { pageOf, PageQuerySchema, type PageQuery } from '../balances/read-params';
import { DiscrepanciesPageSchema } from './discrepancies.schemas';

@ApiTags('discrepancies')
@Controller('v1/discrepancies')
export class DiscrepanciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every discrepancy noted, in id order, a page at a time' })
  @ApiResponse({ status: 200, standardSchema: DiscrepanciesPageSchema })
  async list(@Query({ schema: PageQuerySchema }) query: PageQuery) {
    const page = await this.queries.execute(new ListDiscrepancies(pageOf(query)));
    return { discrepancies: page.items, next: page.next };
  }

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Notes that sources disagree about a figure (DiscrepancyNoted)' })
  async note(
    @Body({ schema: NoteDiscrepancySchema }) body: NoteDiscrepancy,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new NoteDiscrepancyCommand(body, context)));
  }
}
