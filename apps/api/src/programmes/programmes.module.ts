import { Module } from '@nestjs/common';
import { ProgrammesController } from './programmes.controller';

@Module({ controllers: [ProgrammesController] })
export class ProgrammesModule {}
