import { randomBytes } from 'node:crypto';
import { migrateToLatest, openDatabase, type LedgerDatabase } from '@ledger/db';
import { createServerDatabase } from './server-database';

export interface TestDatabase extends LedgerDatabase {
  /** The connection string of this test's own PostgreSQL database; undefined on PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test file, on the server `DATABASE_URL` names or, without it,
 * on an in-memory PGlite. On PostgreSQL each call creates its own database and `close()` drops it,
 * so test files never see each other's events.
 */
export async function openTestDatabase(options: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  const migrate = options.migrate ?? true;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    if (migrate) await migrateToLatest(handle.db);
    return { ...handle, url: undefined };
  }
  const server = await createServerDatabase(serverUrl, `ledger_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  const handle = await openDatabase({ databaseUrl: server.url, poolSize: options.poolSize ?? 10 });
  if (migrate) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: server.url,
    close: async () => {
      await handle.close();
      await server.drop();
    },
  };
}
