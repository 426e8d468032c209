import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { openTestDatabase } from '@ledger/testing';
import { CommitmentsModule, LEDGER_DB, LedgerStates, SeedLoader, type LedgerDb } from '../src';

export interface LedgerFixture {
  readonly db: LedgerDb;
  readonly kind: 'postgres' | 'pglite';
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly seeds: SeedLoader;
  /**
   * The same use cases wired once more over the same database, as a second server process would
   * have them: nothing held in memory (the writer's queue) is shared with the first.
   */
  anotherProcess(): Promise<{ readonly commands: CommandBus; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function wire(db: LedgerDb) {
  @Global()
  @Module({ providers: [{ provide: LEDGER_DB, useValue: db }], exports: [LEDGER_DB] })
  class TestDatabaseModule {}
  const context = await Test.createTestingModule({ imports: [TestDatabaseModule, CommitmentsModule] }).compile();
  await context.init();
  return context;
}

/** The use cases wired by Nest over a fresh test database, as the API wires them, without HTTP. */
export async function openLedger(options: { poolSize?: number } = {}): Promise<LedgerFixture> {
  const database = await openTestDatabase(options);
  const db = database.db as LedgerDb;
  const context = await wire(db);
  return {
    db,
    kind: database.kind,
    commands: context.get(CommandBus),
    queries: context.get(QueryBus),
    seeds: context.get(SeedLoader),
    anotherProcess: async () => {
      const other = await wire(db);
      return { commands: other.get(CommandBus), close: () => other.close() };
    },
    close: async () => {
      await context.close();
      await database.close();
    },
  };
}

/**
 * Holds a write in the middle of its decision: once a call of LedgerStates' `method` with an
 * argument `when` accepts has read its result, `reached` resolves and the call waits for `release()`.
 * `restore()` releases it too and puts the method back.
 */
export function pauseDecision(method: 'stream' | 'partsOf', when: (argument: string) => boolean) {
  let arrive!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const original = LedgerStates.prototype[method] as (this: LedgerStates, argument: string) => Promise<unknown>;
  const spy = jest.spyOn(LedgerStates.prototype, method).mockImplementation(async function (this: LedgerStates, argument: string) {
    const result = await original.call(this, argument);
    if (when(argument)) {
      arrive();
      await released;
    }
    return result;
  } as never);
  return {
    reached,
    release,
    restore: () => {
      release();
      spy.mockRestore();
    },
  };
}
