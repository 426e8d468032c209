import { sql, type Kysely } from 'kysely';
import { appendToStreams, head } from '@ledger/event-store';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  allProgrammeBalances,
  journal,
  projectPending,
  READ_MODEL_TABLES,
  rebuildReadModels,
  targetFor,
  type LedgerTables,
} from '../src';
import { generateLedger } from '@ledger/fixtures';

/**
 * Every row of every read-model table, in a stable order, for row-by-row comparison. The database
 * writes each row as JSON text itself, so every value compares as stored: exact numerics, and
 * 'infinity' ends that no JavaScript date represents.
 */
async function snapshot(db: Kysely<LedgerTables>): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const rows = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.raw(table)} t`.execute(db);
    tables[table] = rows.rows.map((row) => row.row).sort();
  }
  return tables;
}

/** Every index and constraint of the read-model tables, as the catalogue defines them. */
async function indexes(db: Kysely<LedgerTables>): Promise<string[]> {
  const rows = await sql<{ definition: string }>`
    select pg_get_indexdef(indexrelid) as definition from pg_index
     where indrelid in (select oid from pg_class where relname in (${sql.join(READ_MODEL_TABLES.map((table) => sql`${table}`))})
                          and relnamespace = 'public'::regnamespace)`.execute(db);
  return rows.rows.map((row) => row.definition).sort();
}

describe('rebuilding the read models from the journal', () => {
  let database: TestDatabase;
  let db: Kysely<LedgerTables>;
  const at = { asOf: '2024-06-30', knownAt: '2099-01-01T00:00:00.000Z' };

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db as Kysely<LedgerTables>;
    await generateLedger(journal(db), { events: 3000, commitments: 400, programmes: 30, institutions: 60 });
    await db.transaction().execute((trx) => projectPending(targetFor(trx)));
  });
  afterAll(() => database.close());

  it('gives tables equal to the live ones, row for row, and reports progress', async () => {
    const live = await snapshot(db);
    const liveIndexes = await indexes(db);
    expect(live['rm_commitment_versions']!.length).toBeGreaterThan(400);
    const progress: number[] = [];
    const result = await rebuildReadModels(db, { batchSize: 500, onProgress: ({ position }) => progress.push(position) });
    expect(result.events).toBe((await head(journal(db))).position);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await snapshot(db)).toEqual(live);
    expect(await indexes(db)).toEqual(liveIndexes);
  });

  it('keeps serving reads while it runs, and misses nothing written meanwhile', async () => {
    const before = await allProgrammeBalances(db, at);
    let rebuilding = true;
    let reads = 0;
    const reader = (async () => {
      while (rebuilding) {
        expect(await allProgrammeBalances(db, at)).toEqual(before);
        reads += 1;
      }
    })();
    let written: Promise<void> | undefined;
    const rebuild = rebuildReadModels(db, {
      batchSize: 250,
      onProgress: ({ position }) => {
        // A writer appends (and projects into the live tables) while the rebuild is half way.
        if (!written && position >= 1500) void write();
      },
    });
    const write = () => {
      written = db.transaction().execute(async (trx) => {
        await appendToStreams(journal(trx), {
          streams: [{
            stream: 'source-written-during-rebuild', expected: 'no-stream',
            events: [{ type: 'SourceRegistered', data: {
              id: 'written-during-rebuild', publisher: 'Test', title: 'Late', language: 'en', publishedOn: '2024-01-01', url: null, origin: 'test',
            }, metadata: { effectiveOn: '2024-01-01', sources: ['written-during-rebuild'], recordedBy: 'test' } }],
          }],
        });
        await projectPending(targetFor(trx));
      });
      return written;
    };
    await rebuild;
    rebuilding = false;
    await reader;
    await written;
    expect(reads).toBeGreaterThan(0);
    const source = await db.selectFrom('rm_sources').select('id').where('id', '=', 'written-during-rebuild').executeTakeFirst();
    expect(source).toEqual({ id: 'written-during-rebuild' });
    const checkpoint = await db.selectFrom('rm_checkpoint').select('position').executeTakeFirstOrThrow();
    expect(Number(checkpoint.position)).toBe((await head(journal(db))).position);
  });
});
