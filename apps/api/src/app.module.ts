import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { LedgerConfig, Writer } from '@ledger/config';
import type { LedgerDatabase } from '@ledger/db';
import { DatabaseModule } from './database/database.module';
import { WRITERS, WriterGuard } from './http/writers';
import { JournalModule } from './journal/journal.module';

export interface AppModuleOptions {
  readonly config: LedgerConfig;
  readonly database?: LedgerDatabase;
  readonly writers: readonly Writer[];
}

/** The writers and their guard, available to every feature module's write routes. */
@Module({})
class WritersModule {
  static forRoot(writers: readonly Writer[]): DynamicModule {
    return {
      module: WritersModule,
      global: true,
      providers: [{ provide: WRITERS, useValue: writers }, WriterGuard],
      exports: [WRITERS, WriterGuard],
    };
  }
}

/**
 * The application: infrastructure (database, writers, CQRS buses) plus one module per feature.
 * Resource modules (sources, programmes, institutions, commitments, ...) are added to `imports`.
 */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({ config: options.config, ...(options.database ? { database: options.database } : {}) }),
        WritersModule.forRoot(options.writers),
        CqrsModule.forRoot(),
        JournalModule,
      ],
    };
  }
}
