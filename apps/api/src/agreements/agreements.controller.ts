import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignAgreementCommand, type WriteContext } from '@ledger/commitments';
import { SignAgreementSchema, type SignAgreement } from '@ledger/domain';
import type { HttpResponse } from '../http/http-types';
import { answerWrite, WriteRequest, WriteRoute, type WriteAccepted } from '../http/write-route';

@ApiTags('agreements')
@Controller('v1/agreements')
export class AgreementsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @WriteRoute()
  @ApiOperation({ summary: 'Records an agreement between institutions about programmes (AgreementSigned)' })
  async sign(
    @Body({ schema: SignAgreementSchema }) body: SignAgreement,
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteAccepted> {
    return answerWrite(response, await this.commands.execute(new SignAgreementCommand(body, context)));
  }
}
