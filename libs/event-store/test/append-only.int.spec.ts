import { sql, type Kysely } from 'kysely';
import { openDatabase } from '@ledger/db';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import { appendToStreams, head, readStream, type EventStoreTables, type StoreDb } from '@ledger/event-store';
import { countEvents, deposit, rejection } from './support';

let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db as StoreDb;
  await appendToStreams(db, {
    streams: [{ stream: 'account-1', expected: 'no-stream', events: [deposit('10.00'), deposit('20.00')] }],
  });
});
afterAll(async () => {
  await database.close();
});

/** The SQLSTATE a statement fails with; the journal's own refusal is LDG03, a privilege one 42501. */
async function failureCode(statement: Promise<unknown>): Promise<string | undefined> {
  const error = await rejection(statement);
  return (error as { code?: string }).code;
}

describe('the journal is append-only for everyone, its owner included', () => {
  it('refuses UPDATE', async () => {
    expect(await failureCode(sql`update events set data = '{"amount":"99.00"}' where position = 1`.execute(db))).toBe(
      'LDG03',
    );
    expect((await readStream(db, 'account-1'))[0]!.data).toEqual({ amount: '10.00', note: 'test' });
  });

  it('refuses DELETE', async () => {
    expect(await failureCode(sql`delete from events where position = 2`.execute(db))).toBe('LDG03');
    expect(await countEvents(db)).toBe(2);
  });

  it('refuses TRUNCATE', async () => {
    expect(await failureCode(sql`truncate events`.execute(db))).toBe('LDG03');
    expect(await countEvents(db)).toBe(2);
  });
});

describe('the runtime role ledger_app', () => {
  it('exists and holds read and append privileges only', async () => {
    const { rows } = await sql<{ privilege: string; granted: boolean }>`
      select p as privilege, has_table_privilege('ledger_app', 'events', p) as granted
        from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) as p`.execute(db);
    expect(Object.fromEntries(rows.map((row) => [row.privilege, row.granted]))).toEqual({
      SELECT: true,
      INSERT: true,
      UPDATE: false,
      DELETE: false,
      TRUNCATE: false,
    });
  });

  it('appends and reads, but may not UPDATE, DELETE or TRUNCATE (as that role in this session)', async () => {
    // One connection pinned for the whole check, so the role switch cannot leak into other queries.
    await db.connection().execute(async (connection) => {
      await sql`set role ledger_app`.execute(connection);
      try {
        await expectRuntimeRoleLimits(connection);
      } finally {
        await sql`reset role`.execute(connection);
      }
    });
  });

  it('appends and reads, but may not UPDATE, DELETE or TRUNCATE (logged in as that role)', async () => {
    // Logging in as another role needs a server; PGlite has one user, covered by the test above.
    if (database.url === undefined) {
      expect(database.kind).toBe('pglite');
      return;
    }
    const url = new URL(database.url);
    url.username = 'ledger_app';
    url.password = '';
    const runtime = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      const { rows } = await sql<{ user: string }>`select current_user as user`.execute(runtime.db);
      expect(rows[0]!.user).toBe('ledger_app');
      await expectRuntimeRoleLimits(runtime.db as StoreDb);
    } finally {
      await runtime.close();
    }
  });
});

async function expectRuntimeRoleLimits(runtime: Kysely<EventStoreTables>): Promise<void> {
  const before = await head(runtime);
  const appended = await appendToStreams(runtime, {
    streams: [{ stream: `runtime-${before.position}`, expected: 'no-stream', events: [deposit('1.00')] }],
  });
  expect(appended.events[0]!.position).toBe(before.position + 1);
  // Several events take the other append function.
  const several = await appendToStreams(runtime, {
    streams: [{ stream: `runtime-${before.position}`, expected: 1, events: [deposit('2.00'), deposit('3.00')] }],
  });
  expect(several.events.map((event) => event.version)).toEqual([2, 3]);
  expect(await readStream(runtime, `runtime-${before.position}`)).toHaveLength(3);
  expect(await failureCode(sql`update events set type = 'x' where position = 1`.execute(runtime))).toBe('42501');
  expect(await failureCode(sql`delete from events where position = 1`.execute(runtime))).toBe('42501');
  expect(await failureCode(sql`truncate events`.execute(runtime))).toBe('42501');
  expect(await failureCode(sql`delete from idempotency_keys`.execute(runtime))).toBe('42501');
}
