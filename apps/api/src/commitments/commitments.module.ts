import { Module } from '@nestjs/common';
import { CommitmentsController } from './commitments.controller';

/** The HTTP routes of commitments; the use cases come from @ledger/commitments' CommitmentsModule. */
@Module({ controllers: [CommitmentsController] })
export class CommitmentRoutesModule {}
