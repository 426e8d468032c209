import { expectedBalances, seedHistory } from '@ledger/seeds';
import { GetAllBalances, GetInstitutionBalance, GetProgrammeBalance } from '../src';
import { openLedger, type LedgerFixture } from './ledger-fixture';

// The table in seeds/expected-balances.ts was worked out by hand from the articles; this checks
// the ledger, loaded through its own command handlers, answers exactly that.
describe('the seeded history', () => {
  let ledger: LedgerFixture;
  let firstLoad: { steps: number; appended: number };

  beforeAll(async () => {
    ledger = await openLedger();
    firstLoad = await ledger.seeds.load();
  });
  afterAll(() => ledger.close());

  it('records one write per seed step', () => {
    expect(firstLoad).toEqual({ steps: seedHistory.length, appended: seedHistory.length });
  });

  it('records nothing when loaded a second time', async () => {
    const before = await ledger.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const second = await ledger.seeds.load();
    const after = await ledger.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(second.appended).toBe(0);
    expect(Number(after.n)).toBe(Number(before.n));
  });

  describe.each(expectedBalances.map((row) => [row.reason, row] as const))('%s', (_reason, row) => {
    it('matches the hand-derived balance', async () => {
      const at = { asOf: row.asOf, knownAt: row.knownAt ?? new Date().toISOString() };
      if ('programme' in row.subject) {
        const balance = await ledger.queries.execute(new GetProgrammeBalance(row.subject.programme, at));
        const { components, ...expected } = row.expect as { components?: unknown[] };
        expect({ totals: balance.totals, unquantified: balance.unquantified }).toEqual(expected);
        if (components) expect(balance.components).toEqual(components);
      } else if ('institution' in row.subject) {
        const balance = await ledger.queries.execute(new GetInstitutionBalance(row.subject.institution, at));
        expect({ alone: balance.alone, jointly: balance.jointly, unquantified: balance.unquantified }).toEqual(row.expect);
      } else {
        const all = await ledger.queries.execute(new GetAllBalances('programme', at));
        expect(all.grandTotal).toEqual(row.expect);
      }
    });
  });
});
