import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { foldBalances, type RecordedLedgerEvent } from '@ledger/domain';
import { arbitraryAt, arbitraryHistory, InMemoryLedger } from '@ledger/domain/testing';
import { appendToStreams, iterateAll } from '@ledger/event-store';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import {
  allInstitutionBalances,
  allProgrammeBalances,
  grandTotal,
  institutionBalance,
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
          for (const [id, balance] of Object.entries(expected.institutions)) {
            expect(institutions.get(id)).toEqual(balance);
            expect(await institutionBalance(db, id, at)).toEqual(balance);
          }
          expect(await institutionBalance(db, 'never-registered', at)).toBeUndefined();
          expect(await programmeBalance(db, 'never-registered', at)).toBeUndefined();
          expect(await grandTotal(db, at)).toEqual(expected.grandTotal);
        }
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 30) },
    );
  }, 300_000);

  // Random histories seldom build a partOf chain inside one subtree whose middle link is reversed,
  // or a part whose whole lies in the programme but outside the part's component; this one has both.
  it('counts a part once, in the subtrees where its whole does not count it, through reversed links', async () => {
    await resetLedger(db);
    const ledger = new InMemoryLedger('2026-01-01T00:00:00.000Z');
    const cite = { sources: ['source-1'], effectiveOn: '2025-01-01' };
    ledger.execute({ kind: 'RegisterSource', body: { id: 'source-1', publisher: 'P', title: 't', language: 'en', publishedOn: '2025-01', url: null, origin: 'o' } });
    ledger.execute({ kind: 'RegisterInstitution', body: { id: 'bank', name: 'Bank', kind: 'bank', country: null, aliases: [], ...cite } });
    ledger.execute({ kind: 'RegisterProgramme', body: { id: 'plan', name: 'Plan', aliases: [], parent: null, owners: [], ...cite } });
    ledger.execute({ kind: 'RegisterProgramme', body: { id: 'fund', name: 'Fund', aliases: [], parent: 'plan', owners: [], ...cite } });
    const announce = (id: string, programme: string, amount: string, partOf: string | null) =>
      ledger.execute({ kind: 'AnnounceCommitment', body: {
        id, programme, pledgers: ['bank'], announcedBy: 'bank', kind: 'pledge', partOf, horizon: null, ...cite,
        quantity: { unit: 'EUR', low: amount, high: amount, qualifier: 'exact' },
      } })[0]!;
    // whole → middle → part inside the fund; the middle announcement is later reversed.
    announce('whole', 'fund', '100', null);
    const middle = announce('middle', 'fund', '60', 'whole');
    announce('part', 'fund', '30', 'middle');
    // A whole in the plan itself with a part in the fund: the plan counts the whole, the fund the part.
    announce('plan-whole', 'plan', '200', null);
    announce('fund-part', 'fund', '50', 'plan-whole');
    const beforeReversal = ledger.events.length;
    ledger.execute({ kind: 'ReverseEntry', eventId: middle.eventId, body: { reason: 'recorded by mistake' } });

    const events = await record(db, ledger.events);
    await db.transaction().execute((trx) => projectPending(targetFor(trx)));
    const known = { asOf: '2030-01-01', knownAt: events.at(-1)!.recordedAt };
    const before = { asOf: '2030-01-01', knownAt: events[beforeReversal - 1]!.recordedAt };
    const eur = (balance: { totals: readonly { unit: string; low: string }[] } | undefined) => balance?.totals.find((t) => t.unit === 'EUR')?.low;

    const now = await programmeBalance(db, 'plan', known);
    expect(now).toEqual(foldBalances(events, known).programmes['plan']);
    // As known now the chain part → whole runs through a reversed announcement: the part counts.
    expect(eur(now)).toBe('330'); // whole 100 + part 30 + plan-whole 200
    expect(eur(now!.components[0])).toBe('180'); // whole 100 + part 30 + fund-part 50

    const then = await programmeBalance(db, 'plan', before);
    expect(then).toEqual(foldBalances(events, before).programmes['plan']);
    expect(eur(then)).toBe('300'); // whole 100 (middle and part inside it) + plan-whole 200
    expect(eur(then!.components[0])).toBe('150'); // whole 100 + fund-part 50
  });
});
