import { loadConfigOrExit } from '@ledger/config';
import { migrateToLatest, openDatabase, type LedgerDatabase } from '@ledger/db';

/** Opens the configured database for a terminal command, or exits with the one-line config error. */
export async function openConfiguredDatabase(options: { migrate?: boolean } = {}): Promise<LedgerDatabase & { dataDir: string }> {
  const config = loadConfigOrExit();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (options.migrate ?? true) await migrateToLatest(database.db);
  return { ...database, dataDir: config.dataDir };
}

/** Runs a terminal command: errors become one line on stderr and exit code 1, never a stack trace. */
export function runCommand(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
