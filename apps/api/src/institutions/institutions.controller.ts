import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetInstitution, GetInstitutionBalance, ListInstitutions, RegisterInstitutionCommand, type WriteContext } from '@ledger/commitments';
import { RegisterInstitutionSchema, SlugSchema, type RegisterInstitution } from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';
import { AtQuerySchema, pageOf, PageQuerySchema, pointInTime, type AtQuery, type PageQuery } from '../balances/read-params';
import { InstitutionBalanceSchema, InstitutionSchema, InstitutionsPageSchema } from './institutions.schemas';

@ApiTags('institutions')
@Controller('v1/institutions')
export class InstitutionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Institutions in id order, a page at a time' })
  @ApiResponse({ status: 200, standardSchema: InstitutionsPageSchema })
  async list(@Query({ schema: PageQuerySchema }) query: PageQuery) {
    const page = await this.queries.execute(new ListInstitutions(pageOf(query)));
    return { institutions: page.items, next: page.next };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One institution' })
  @ApiResponse({ status: 200, standardSchema: InstitutionSchema })
  get(@Param('id', { schema: SlugSchema }) id: string) {
    return this.queries.execute(new GetInstitution(id));
  }

  @Get(':id/balance')
  @ApiOperation({ summary: 'What the institution has pledged, alone and jointly, at a point in time' })
  @ApiResponse({ status: 200, standardSchema: InstitutionBalanceSchema })
  async balance(@Param('id', { schema: SlugSchema }) id: string, @Query({ schema: AtQuerySchema }) query: AtQuery) {
    const at = pointInTime(query);
    const balance = await this.queries.execute(new GetInstitutionBalance(id, at));
    return {
      institution: balance.institution,
      asOf: at.asOf,
      knownAt: at.knownAt,
      alone: balance.alone,
      jointly: balance.jointly,
      unquantified: balance.unquantified,
    };
  }

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Registers an institution (InstitutionRegistered)' })
  async register(
    @Body({ schema: RegisterInstitutionSchema }) body: RegisterInstitution,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new RegisterInstitutionCommand(body, context)));
  }
}
