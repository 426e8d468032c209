import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AnnounceCommitmentCommand,
  CorroborateCommitmentCommand,
  GetCommitment,
  GetCommitmentHistory,
  GetInstitution,
  GetProgramme,
  ListCommitments,
  ReviseCommitmentCommand,
  WithdrawCommitmentCommand,
  type WriteContext,
} from '@ledger/commitments';
import {
  AnnounceCommitmentSchema,
  CorroborateCommitmentSchema,
  ReviseCommitmentSchema,
  SlugSchema,
  WithdrawCommitmentSchema,
  type AnnounceCommitment,
  type CorroborateCommitment,
  type ReviseCommitment,
  type WithdrawCommitment,
} from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { ProblemException, Problems } from '../http/problems';
import { answerWrite, etagOf, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';
import { AtQuerySchema, pageOf, pointInTime, type AtQuery } from '../balances/read-params';
import {
  CommitmentHistorySchema,
  CommitmentSchema,
  CommitmentsPageSchema,
  CommitmentsQuerySchema,
  type CommitmentsQuery,
} from './commitments.schemas';

@ApiTags('commitments')
@Controller('v1/commitments')
export class CommitmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Commitments in effect at a point in time, in id order, a page at a time' })
  @ApiResponse({ status: 200, standardSchema: CommitmentsPageSchema })
  async list(@Query({ schema: CommitmentsQuerySchema }) query: CommitmentsQuery) {
    // A filter naming nothing registered is a 404 rather than an empty page, so a typo is not
    // mistaken for "no commitments".
    if (query.programme !== undefined) await this.queries.execute(new GetProgramme(query.programme));
    if (query.institution !== undefined) await this.queries.execute(new GetInstitution(query.institution));
    const at = pointInTime(query);
    const page = await this.queries.execute(
      new ListCommitments(at, {
        ...pageOf(query),
        ...(query.programme !== undefined ? { programme: query.programme } : {}),
        ...(query.institution !== undefined ? { institution: query.institution } : {}),
      }),
    );
    return { commitments: page.items, next: page.next, asOf: at.asOf, knownAt: at.knownAt };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One commitment as it stood at a point in time; the ETag is its current stream version' })
  @ApiResponse({ status: 200, standardSchema: CommitmentSchema })
  async get(
    @Param('id', { schema: SlugSchema }) id: string,
    @Query({ schema: AtQuerySchema }) query: AtQuery,
    @Res({ passthrough: true }) response: HttpResponse,
  ) {
    const at = pointInTime(query);
    const { commitment, version } = await this.queries.execute(new GetCommitment(id, at));
    if (commitment === undefined) {
      throw new ProblemException(
        Problems.notFound,
        `commitment ${id} was not in the ledger as of ${at.asOf}, as known at ${at.knownAt}`,
      );
    }
    response.setHeader('ETag', etagOf(version));
    return commitment;
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'The audit trail: every event of the commitment in order, with the quantity before and after' })
  @ApiResponse({ status: 200, standardSchema: CommitmentHistorySchema })
  async history(@Param('id', { schema: SlugSchema }) id: string) {
    return { commitment: id, events: await this.queries.execute(new GetCommitmentHistory(id)) };
  }

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Announces a commitment (CommitmentAnnounced)' })
  async announce(
    @Body({ schema: AnnounceCommitmentSchema }) body: AnnounceCommitment,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new AnnounceCommitmentCommand(body, context)));
  }

  @Post(':id/corroborations')
  @WriteRoute({ ifMatch: true })
  @ApiOperation({ summary: 'Records that another source states the same figure (CommitmentCorroborated)' })
  async corroborate(
    @Param('id', { schema: SlugSchema }) id: string,
    @Body({ schema: CorroborateCommitmentSchema }) body: CorroborateCommitment,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new CorroborateCommitmentCommand(id, body, context)));
  }

  @Post(':id/revisions')
  @WriteRoute({ ifMatch: true })
  @ApiOperation({ summary: 'Revises the quantity or pledgers from an effective date on (CommitmentRevised)' })
  async revise(
    @Param('id', { schema: SlugSchema }) id: string,
    @Body({ schema: ReviseCommitmentSchema }) body: ReviseCommitment,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new ReviseCommitmentCommand(id, body, context)));
  }

  @Post(':id/withdrawal')
  @WriteRoute({ ifMatch: true })
  @ApiOperation({ summary: 'Withdraws the commitment from an effective date on (CommitmentWithdrawn)' })
  async withdraw(
    @Param('id', { schema: SlugSchema }) id: string,
    @Body({ schema: WithdrawCommitmentSchema }) body: WithdrawCommitment,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new WithdrawCommitmentCommand(id, body, context)));
  }
}
