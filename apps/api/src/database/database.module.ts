import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LEDGER_DB } from '@ledger/commitments';
import type { LedgerConfig } from '@ledger/config';
import { migrateToLatest, openDatabase, type LedgerDatabase } from '@ledger/db';

/** The injection token of the open `LedgerDatabase` (Kysely handle, kind, close). */
export const LEDGER_DATABASE = Symbol('LEDGER_DATABASE');
const OWNS_DATABASE = Symbol('OWNS_DATABASE');

export interface DatabaseModuleOptions {
  readonly config: Pick<LedgerConfig, 'databaseUrl' | 'dataDir'>;
  /** An already-open database (tests); its owner closes it, not the application. */
  readonly database?: LedgerDatabase;
}

/** Opens the configured database; the migrations run before anything can read from it. */
async function openLedgerDatabase(options: DatabaseModuleOptions): Promise<LedgerDatabase> {
  const database =
    options.database ?? (await openDatabase({ databaseUrl: options.config.databaseUrl, dataDir: options.config.dataDir }));
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    // The process may live on (a host embedding the application): it must not keep the pool or
    // the embedded database open behind a failed start.
    if (!options.database) {
      const logger = new Logger('Database');
      try {
        await database.close();
        logger.warn(`${database.kind} database closed: its migrations did not apply`);
      } catch (closing) {
        // The migration's failure is the one to report; this one is only logged.
        logger.error(`closing the ${database.kind} database after its migrations failed: ${String(closing)}`);
      }
    }
    throw error;
  }
  return database;
}

/**
 * Closes the database when the application shuts down. Nest calls this after the HTTP server has
 * stopped and its in-flight requests have finished, so no request loses its connection midway.
 */
class DatabaseCloser implements OnApplicationShutdown {
  constructor(
    @Inject(LEDGER_DATABASE) private readonly database: LedgerDatabase,
    @Inject(OWNS_DATABASE) private readonly owns: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.owns) return;
    await this.database.close();
    new Logger('Database').log(`${this.database.kind} database closed`);
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: LEDGER_DATABASE, useFactory: () => openLedgerDatabase(options) },
        // The use cases of @ledger/commitments take the bare Kysely handle.
        { provide: LEDGER_DB, useFactory: (database: LedgerDatabase) => database.db, inject: [LEDGER_DATABASE] },
        { provide: OWNS_DATABASE, useValue: options.database === undefined },
        DatabaseCloser,
      ],
      exports: [LEDGER_DATABASE, LEDGER_DB],
    };
  }
}
