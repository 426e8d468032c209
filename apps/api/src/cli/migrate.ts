import { ConfigError, loadConfig } from '@ledger/config';
import { migrateToLatest, openDatabase } from '@ledger/db';

/**
 * `npm run migrate`: applies the pending migrations to the configured database (DATABASE_URL, or
 * the embedded one in LEDGER_DATA_DIR) and prints each one it applied.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const target = database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${config.dataDir}`;
    const result = await migrateToLatest(database.db);
    const applied = (result.results ?? []).filter((entry) => entry.status === 'Success');
    for (const entry of applied) process.stdout.write(`applied ${entry.migrationName}\n`);
    process.stdout.write(
      applied.length === 0 ? `${target}: already up to date\n` : `${target}: ${applied.length} migration(s) applied\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migrate failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    process.exit(1);
  },
);
