import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import { migrateToLatest, openDatabase } from '@ledger/db';

describe('migrations at start', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('apply nothing the second time', async () => {
    expect(await migrateToLatest(database.db)).toEqual({ results: [] });
  });

  it('need no more than the runtime role may do when nothing is pending', async () => {
    if (!database.url) {
      // PGlite has one user and no separate login; the role exists all the same.
      const roles = await database.db.selectFrom('pg_roles' as never).select('rolname' as never).where('rolname' as never, '=', 'ledger_app' as never).execute();
      expect(roles).toHaveLength(1);
      return;
    }
    const url = new URL(database.url);
    url.username = 'ledger_app';
    const restricted = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    try {
      expect(await migrateToLatest(restricted.db)).toEqual({ results: [] });
    } finally {
      await restricted.close();
    }
  });
});
