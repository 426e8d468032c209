import { Module } from '@nestjs/common';
import { ReversalsController } from './reversals.controller';

@Module({ controllers: [ReversalsController] })
export class ReversalsModule {}
