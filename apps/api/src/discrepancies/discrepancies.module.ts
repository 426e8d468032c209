import { Module } from '@nestjs/common';
import { DiscrepanciesController } from './discrepancies.controller';

@Module({ controllers: [DiscrepanciesController] })
export class DiscrepanciesModule {}
