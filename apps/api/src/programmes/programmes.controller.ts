import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetProgramme, GetProgrammeBalance, ListProgrammes, RegisterProgrammeCommand, type WriteContext } from '@ledger/commitments';
import { RegisterProgrammeSchema, SlugSchema, type RegisterProgramme } from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';
import { AtQuerySchema, pageOf, PageQuerySchema, pointInTime, type AtQuery, type PageQuery } from '../balances/read-params';
import { ProgrammeBalanceSchema, ProgrammeDetailSchema, ProgrammesPageSchema } from './programmes.schemas';

@ApiTags('programmes')
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Programmes in id order, a page at a time' })
  @ApiResponse({ status: 200, standardSchema: ProgrammesPageSchema })
  async list(@Query({ schema: PageQuerySchema }) query: PageQuery) {
    const page = await this.queries.execute(new ListProgrammes(pageOf(query)));
    return { programmes: page.items, next: page.next };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One programme, with its direct components' })
  @ApiResponse({ status: 200, standardSchema: ProgrammeDetailSchema })
  get(@Param('id', { schema: SlugSchema }) id: string) {
    return this.queries.execute(new GetProgramme(id));
  }

  @Get(':id/balance')
  @ApiOperation({ summary: 'The balance of the programme and its components at a point in time' })
  @ApiResponse({ status: 200, standardSchema: ProgrammeBalanceSchema })
  async balance(@Param('id', { schema: SlugSchema }) id: string, @Query({ schema: AtQuerySchema }) query: AtQuery) {
    const at = pointInTime(query);
    const balance = await this.queries.execute(new GetProgrammeBalance(id, at));
    return {
      programme: balance.programme,
      asOf: at.asOf,
      knownAt: at.knownAt,
      totals: balance.totals,
      unquantified: balance.unquantified,
      components: balance.components,
    };
  }

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Registers a programme (ProgrammeRegistered)' })
  async register(
    @Body({ schema: RegisterProgrammeSchema }) body: RegisterProgramme,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new RegisterProgrammeCommand(body, context)));
  }
}
