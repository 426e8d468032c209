import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import { migrateToLatest, MigrationFailed, openDatabase } from '@ledger/db';

describe('migrations at start', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('apply nothing the second time', async () => {
    expect(await migrateToLatest(database.db)).toEqual({ results: [] });
  });

  it('refuse a database migrated by code that knew migrations this code does not', async () => {
    const older = mkdtempSync(path.join(tmpdir(), 'ledger-migrations-'));
    try {
      writeFileSync(path.join(older, '0001_event_store.ts'), 'module.exports = { up: async () => {} };\n');
      await expect(migrateToLatest(database.db, older)).rejects.toThrow(MigrationFailed);
    } finally {
      rmSync(older, { recursive: true, force: true });
    }
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
