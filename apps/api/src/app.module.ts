import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { CommitmentsModule, SeedLoader } from '@ledger/commitments';
import type { LedgerConfig, Writer } from '@ledger/config';
import type { LedgerDatabase } from '@ledger/db';
import { AgreementsModule } from './agreements/agreements.module';
import { BalancesModule } from './balances/balances.module';
import { CommitmentRoutesModule } from './commitments/commitments.module';
import { DatabaseModule } from './database/database.module';
import { DiscrepanciesModule } from './discrepancies/discrepancies.module';
import { WRITERS, WriterGuard } from './http/writers';
import { InstitutionsModule } from './institutions/institutions.module';
import { JournalModule } from './journal/journal.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ReversalsModule } from './reversals/reversals.module';
import { SourcesModule } from './sources/sources.module';

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

const SEED_ON_START = Symbol('SEED_ON_START');

/**
 * Loads `seeds/` when LEDGER_SEED is true. It runs during `init()`, before the server listens, so
 * the first request already sees the seeded ledger; loading again appends nothing.
 */
@Injectable()
class SeedOnStart implements OnApplicationBootstrap {
  constructor(
    private readonly seeds: SeedLoader,
    @Inject(SEED_ON_START) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const started = Date.now();
    const report = await this.seeds.load();
    new Logger('Seed').log(`seed loaded: ${report.steps} steps, ${report.appended} appended, ${Date.now() - started} ms`);
  }
}

/**
 * The application: infrastructure (database, writers), the use cases of @ledger/commitments (which
 * bring the CQRS buses), and one module per HTTP feature.
 */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({ config: options.config, ...(options.database ? { database: options.database } : {}) }),
        WritersModule.forRoot(options.writers),
        CommitmentsModule,
        JournalModule,
        SourcesModule,
        InstitutionsModule,
        ProgrammesModule,
        CommitmentRoutesModule,
        AgreementsModule,
        DiscrepanciesModule,
        ReversalsModule,
        BalancesModule,
      ],
      providers: [{ provide: SEED_ON_START, useValue: options.config.seed }, SeedOnStart],
    };
  }
}
