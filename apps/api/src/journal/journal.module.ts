import { Module } from '@nestjs/common';
import { JournalController } from './journal.controller';
import { JournalReader } from './journal-reader';

@Module({ controllers: [JournalController], providers: [JournalReader] })
export class JournalModule {}
