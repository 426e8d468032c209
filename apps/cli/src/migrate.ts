import { migrateToLatest } from '@ledger/db';
import { openConfiguredDatabase, runCommand } from './open';

// npm run migrate: applies the pending migrations to the configured database (DATABASE_URL, or the
// embedded one in LEDGER_DATA_DIR) and prints each one it applied.
runCommand(async () => {
  const database = await openConfiguredDatabase({ migrate: false });
  try {
    const target = database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${database.dataDir}`;
    const result = await migrateToLatest(database.db);
    const applied = (result.results ?? []).filter((entry) => entry.status === 'Success');
    for (const entry of applied) process.stdout.write(`applied ${entry.migrationName}\n`);
    process.stdout.write(applied.length === 0 ? `${target}: already up to date\n` : `${target}: ${applied.length} migration(s) applied\n`);
  } finally {
    await database.close();
  }
});
