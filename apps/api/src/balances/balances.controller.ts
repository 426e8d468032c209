import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GetAllBalances } from '@ledger/commitments';
import { AllBalancesSchema, BalancesQuerySchema, type BalancesQuery } from './balances.schemas';
import { pointInTime } from './read-params';

@ApiTags('balances')
@Controller('v1/balances')
export class BalancesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Every programme or institution balance at a point in time, with the grand total' })
  @ApiResponse({ status: 200, standardSchema: AllBalancesSchema })
  async all(@Query({ schema: BalancesQuerySchema }) query: BalancesQuery) {
    const at = pointInTime(query);
    const result = await this.queries.execute(new GetAllBalances(query.by, at));
    return { by: query.by, asOf: at.asOf, knownAt: at.knownAt, balances: result.balances, grandTotal: result.grandTotal };
  }
}
