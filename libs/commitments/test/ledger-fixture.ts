import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { openTestDatabase } from '@ledger/testing';
import { CommitmentsModule, LEDGER_DB, SeedLoader, type LedgerDb } from '../src';

export interface LedgerFixture {
  readonly db: LedgerDb;
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly seeds: SeedLoader;
  close(): Promise<void>;
}

/** The use cases wired by Nest over a fresh test database, as the API wires them, without HTTP. */
export async function openLedger(): Promise<LedgerFixture> {
  const database = await openTestDatabase();
  @Global()
  @Module({ providers: [{ provide: LEDGER_DB, useValue: database.db }], exports: [LEDGER_DB] })
  class TestDatabaseModule {}
  const context = await Test.createTestingModule({ imports: [TestDatabaseModule, CommitmentsModule] }).compile();
  await context.init();
  return {
    db: database.db as LedgerDb,
    commands: context.get(CommandBus),
    queries: context.get(QueryBus),
    seeds: context.get(SeedLoader),
    close: async () => {
      await context.close();
      await database.close();
    },
  };
}
