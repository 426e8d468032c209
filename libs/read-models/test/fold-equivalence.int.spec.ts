import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { foldBalances, type RecordedLedgerEvent } from '@ledger/domain';
import { arbitraryAt, arbitraryHistory } from '@ledger/domain/testing';
import { appendToStreams, iterateAll } from '@ledger/event-store';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  allInstitutionBalances,
  allProgrammeBalances,
  grandTotal,
  programmeBalance,
  projectPending,
  targetFor,
  journal,
  toLedgerEvent,
  type LedgerTables,
} from '../src';
import { resetLedger } from './journal-reset';

// The reference fold (libs/domain) is a plain in-memory function of the events; the read models
// answer the same questions with SQL over projected, bitemporal tables. For random valid
// histories and random (asOf, knownAt) they must agree exactly, on this database.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends a generated history, one transaction per recorded instant, so recorded times differ as they did. */
async function record(db: Kysely<LedgerTables>, history: readonly RecordedLedgerEvent[]): Promise<RecordedLedgerEvent[]> {
  const groups: RecordedLedgerEvent[][] = [];
  for (const event of history) {
    const last = groups.at(-1);
    if (last && last[0]!.recordedAt === event.recordedAt) last.push(event);
    else groups.push([event]);
  }
  for (const group of groups) {
    await appendToStreams(journal(db), {
      streams: group.map((event) => ({
        stream: event.stream,
        expected: 'any' as const,
        events: [{ eventId: event.eventId, type: event.type, data: event.data as never, metadata: event.metadata as never }],
      })),
    });
    await sleep(2);
  }
  const recorded: RecordedLedgerEvent[] = [];
  for await (const event of iterateAll(journal(db))) recorded.push(toLedgerEvent(event));
  return recorded;
}

describe('read models against the reference fold', () => {
  let database: TestDatabase;
  let db: Kysely<LedgerTables>;

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db as Kysely<LedgerTables>;
  });
  afterAll(() => database.close());

  it('answer every balance exactly as the fold does, for random histories and query points', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryHistory(), fc.integer(), async (history, seed) => {
        await resetLedger(db);
        const events = await record(db, history);
        // Small pages, so a history spans several of them.
        await db.transaction().execute((trx) => projectPending(targetFor(trx), 7));
        for (const at of fc.sample(arbitraryAt(events), { numRuns: 8, seed })) {
          const expected = foldBalances(events, at);
          const programmes = new Map((await allProgrammeBalances(db, at)).map((balance) => [balance.programme, balance]));
          const institutions = new Map((await allInstitutionBalances(db, at)).map((balance) => [balance.institution, balance]));
          for (const [id, balance] of Object.entries(expected.programmes)) {
            expect(programmes.get(id)).toEqual(balance);
            // One programme's balance is a query of its own (one pass over its subtree).
            expect(await programmeBalance(db, id, at)).toEqual(balance);
          }
          for (const [id, balance] of Object.entries(expected.institutions)) expect(institutions.get(id)).toEqual(balance);
          expect(await grandTotal(db, at)).toEqual(expected.grandTotal);
        }
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 30) },
    );
  }, 300_000);
});
