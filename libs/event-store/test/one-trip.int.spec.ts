import { CompiledQuery, sql, type Kysely } from 'kysely';
import { executeInOneTrip, sendsInOneTrip } from '@ledger/db';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';

// executeInOneTrip lives in libs/db, which libs/testing (the test databases) depends on; it is tested
// here, beside the 1-event appends that use it. One connection, so every trip after the first meets
// the statements the earlier ones prepared. Trips need a server: PGlite has no round trips to share,
// and the store makes its appends there another way.
let database: TestDatabase;
let db: Kysely<unknown>;

beforeAll(async () => {
  database = await openTestDatabase({ migrate: false, poolSize: 1 });
  db = database.db;
  await sql`create table trip (n int8 not null, label text not null)`.execute(db);
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await sql`delete from trip`.execute(db);
});

const insert = (n: number) => CompiledQuery.raw(`insert into trip (n, label) values ($1::int8, 'n' || $1::int8) returning n, label`, [n]);
const count = CompiledQuery.raw('select count(*) as c, sum(n) as s from trip where n > $1', [0]);
const fail = CompiledQuery.raw('select 1 / (n - n) as x from trip where n > $1', [0]);
/** Whether this run has a server to send trips to; without one, that it is PGlite's run. */
function onServer(): boolean {
  if (database.url === undefined) expect(database.kind).toBe('pglite');
  return database.url !== undefined;
}
const rows = async () => (await sql<{ n: number }>`select n from trip order by n`.execute(db)).rows.map((row) => row.n);

describe('executeInOneTrip', () => {
  it("answers each statement's rows, typed as every other query's, and runs them in order", async () => {
    if (!onServer()) return;
    const answers = await executeInOneTrip(db, [insert(1), insert(2), count]);
    expect(answers).toEqual([[{ n: 1, label: 'n1' }], [{ n: 2, label: 'n2' }], [{ c: 2, s: '3' }]]);
    expect(await rows()).toEqual([1, 2]);
  });

  it('rolls back the statements before one that fails, and skips the ones after it', async () => {
    if (!onServer()) return;
    const error = await executeInOneTrip(db, [insert(1), fail, insert(2)]).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as { code?: string }).code).toBe('22012');
    expect(await rows()).toEqual([]);
  });

  it('runs again after a trip whose statement could not be prepared, as do other queries of the same texts', async () => {
    if (!onServer()) return;
    // A statement this connection has not run before, prepared in the trip that fails after it.
    const fresh = (n: number) => CompiledQuery.raw(`insert into trip (n, label) values ($1::int8, 'fresh')`, [n]);
    const broken = CompiledQuery.raw('select no_such_column from trip where n > $1', [0]);
    await expect(executeInOneTrip(db, [fresh(1), broken])).rejects.toMatchObject({ code: '42703' });
    // The pool's other queries run the same text, prepared under their own name.
    await db.executeQuery(fresh(10));
    for (let i = 1; i <= 3; i += 1) expect(await executeInOneTrip(db, [fresh(10 + i), count])).toHaveLength(2);
    expect(await rows()).toEqual([10, 11, 12, 13]);
  });

  it('rejects a row its type parsers refuse, and runs the next trip', async () => {
    if (!onServer()) return;
    const unsafe = CompiledQuery.raw('select 9007199254740993::int8 as n where $1::int8 > 0', [1]);
    await expect(executeInOneTrip(db, [insert(1), unsafe])).rejects.toThrow(RangeError);
    expect(await executeInOneTrip(db, [insert(2), count])).toEqual([[{ n: 2, label: 'n2' }], [{ c: expect.any(Number), s: expect.any(String) }]]);
    expect(await rows()).toContain(2);
  });

  it('is only for a server outside a transaction, as sendsInOneTrip says', async () => {
    expect(sendsInOneTrip(db)).toBe(onServer());
    await db.transaction().execute(async (trx) => {
      expect(sendsInOneTrip(trx)).toBe(false);
      await expect(executeInOneTrip(trx, [insert(1)])).rejects.toThrow(TypeError);
    });
    if (!onServer()) await expect(executeInOneTrip(db, [insert(1)])).rejects.toThrow(TypeError);
    expect(await rows()).toEqual([]);
  });
});

describe('the drivers', () => {
  it('give the same JavaScript types on either database, in memory too', async () => {
    const { rows } = await sql<{ d: unknown; n: unknown }>`select '2025-02-11'::date as d, 5::int8 as n`.execute(db);
    expect(rows).toEqual([{ d: '2025-02-11', n: 5 }]);
    await expect(sql`select 9007199254740993::int8 as n`.execute(db)).rejects.toThrow(RangeError);
  });
});
