import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetSource, ListSources, RegisterSourceCommand, type WriteContext } from '@ledger/commitments';
import { RegisterSourceSchema, SlugSchema, type RegisterSource } from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';
import { pageOf, PageQuerySchema, type PageQuery } from '../balances/read-params';
import { SourceDetailSchema, SourcesPageSchema } from './sources.schemas';

@ApiTags('sources')
@Controller('v1/sources')
export class SourcesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Sources in id order, a page at a time' })
  @ApiResponse({ status: 200, standardSchema: SourcesPageSchema })
  async list(@Query({ schema: PageQuerySchema }) query: PageQuery) {
    const page = await this.queries.execute(new ListSources(pageOf(query)));
    return { sources: page.items, next: page.next };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One source, with every event that cites it' })
  @ApiResponse({ status: 200, standardSchema: SourceDetailSchema })
  get(@Param('id', { schema: SlugSchema }) id: string) {
    return this.queries.execute(new GetSource(id));
  }

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Registers a source (SourceRegistered)' })
  async register(
    @Body({ schema: RegisterSourceSchema }) body: RegisterSource,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new RegisterSourceCommand(body, context)));
  }
}
