import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateToLatest, openDatabase, type LedgerDatabase } from '@ledger/db';

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
  const name = `ledger_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const handle = await openDatabase({ databaseUrl: url, poolSize: options.poolSize ?? 10 });
  if (migrate) await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
