import { commitmentAt, foldBalances } from './fold';
import { announcement, eur, registeredLedger } from './testing/fixtures';

/**
 * The first data set's shape, end to end through the decisions and the fold: a mobilisation
 * target with an "of which" fund, a count of gigafactories retold later with another figure, a
 * separate national plan with a partner's ranged share, and a joint venture in dollars.
 */
describe('the InvestAI story through decisions and the fold', () => {
  const FOREVER = '2099-01-01T00:00:00.000Z';
  const ledger = registeredLedger();
  const cite = (effectiveOn: string, sources = ['ec-feb']) => ({ sources, effectiveOn });
  for (const [id, kind] of [
    ['oracle', 'company'],
    ['france', 'government'],
    ['france-ai-investors', 'group'],
    ['uae', 'government'],
  ] as const) {
    ledger.execute({ kind: 'RegisterInstitution', body: { id, name: id, kind, country: null, aliases: [], ...cite('2025-02-10') } });
  }
  for (const id of ['eurohpc-ai-factories', 'france-ai-investment']) {
    ledger.execute({ kind: 'RegisterProgramme', body: { id, name: id, aliases: [], parent: null, owners: [], ...cite('2025-02-10') } });
  }
  const announce = (overrides: Parameters<typeof announcement>[0]) => ledger.execute({ kind: 'AnnounceCommitment', body: announcement(overrides) });

  announce({ id: 'investai-mobilisation', kind: 'mobilisation-target', quantity: eur('200000000000') });
  announce({ id: 'investai-gigafactory-fund', programme: 'ai-gigafactories', quantity: eur('20000000000'), partOf: 'investai-mobilisation' });
  announce({ id: 'investai-gigafactory-count', programme: 'ai-gigafactories', kind: 'capacity', quantity: { unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' } });
  announce({ id: 'eurohpc-existing', programme: 'eurohpc-ai-factories', quantity: eur('10000000000'), effectiveOn: '2024-12' });
  announce({ id: 'france-ai-109bn', programme: 'france-ai-investment', pledgers: ['france-ai-investors'], announcedBy: 'france', quantity: eur('109000000000'), effectiveOn: '2025-02-09' });
  announce({ id: 'france-ai-uae', programme: 'france-ai-investment', pledgers: ['uae'], announcedBy: 'france', quantity: eur('30000000000', '50000000000'), partOf: 'france-ai-109bn', effectiveOn: '2025-02-09' });
  announce({ id: 'france-ai-mistral', programme: 'france-ai-investment', pledgers: ['france-ai-investors'], announcedBy: 'france', quantity: { unit: 'EUR', qualifier: 'unquantified' }, partOf: 'france-ai-109bn', effectiveOn: '2025-02-09' });
  announce({
    id: 'stargate-venture',
    programme: 'stargate',
    pledgers: ['openai', 'oracle', 'softbank'],
    announcedBy: 'openai',
    kind: 'pledge',
    quantity: { unit: 'USD', low: '500000000000', high: '500000000000', qualifier: 'up-to' },
    horizon: 'over four years',
    effectiveOn: '2025-01-21',
  });
  ledger.execute({ kind: 'CorroborateCommitment', commitment: 'investai-mobilisation', body: { quantity: eur('200000000000'), ...cite('2025-12-04', ['eib-dec']) } });
  const recordedBeforeDecember = ledger.now();
  ledger.execute(
    {
      kind: 'ReviseCommitment',
      commitment: 'investai-gigafactory-count',
      body: {
        quantity: { unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' },
        pledgers: ['european-commission', 'eib-group'],
        reason: 'target in the memorandum with the EIB',
        ...cite('2025-12-04', ['eib-dec']),
      },
    },
    86_400_000,
  );

  it('counts the mobilisation once, its fund as a component, and the gigafactories in their own unit', () => {
    const balances = foldBalances(ledger.events, { asOf: '2025-03-01', knownAt: FOREVER });
    expect(balances.programmes['investai']).toEqual({
      programme: 'investai',
      totals: [
        { unit: 'EUR', low: '200000000000', high: '200000000000', commitments: 1, qualifiers: ['exact'] },
        { unit: 'ai-gigafactory', low: '4', high: '4', commitments: 1, qualifiers: ['exact'] },
      ],
      unquantified: 0,
      components: [
        {
          programme: 'ai-gigafactories',
          totals: [
            { unit: 'EUR', low: '20000000000', high: '20000000000', commitments: 1, qualifiers: ['exact'] },
            { unit: 'ai-gigafactory', low: '4', high: '4', commitments: 1, qualifiers: ['exact'] },
          ],
          unquantified: 0,
        },
      ],
    });
  });

  it('keeps the ranged partner share and the unquantified one inside the national plan', () => {
    const balances = foldBalances(ledger.events, { asOf: '2025-03-01', knownAt: FOREVER });
    expect(balances.programmes['france-ai-investment']!.totals).toEqual([
      { unit: 'EUR', low: '109000000000', high: '109000000000', commitments: 1, qualifiers: ['exact'] },
    ]);
    expect(balances.programmes['france-ai-investment']!.unquantified).toBe(0);
    expect(balances.institutions['uae']!.alone).toEqual([{ unit: 'EUR', low: '30000000000', high: '50000000000', commitments: 1, qualifiers: ['range'] }]);
    expect(balances.institutions['france-ai-investors']).toEqual({
      institution: 'france-ai-investors',
      alone: [{ unit: 'EUR', low: '109000000000', high: '109000000000', commitments: 1, qualifiers: ['exact'] }],
      jointly: [],
      unquantified: 0,
    });
    expect(balances.institutions['openai']!.jointly).toEqual([{ unit: 'USD', low: '500000000000', high: '500000000000', commitments: 1, qualifiers: ['up-to'] }]);
  });

  it('adds root commitments only in the grand total, per unit', () => {
    const balances = foldBalances(ledger.events, { asOf: '2025-03-01', knownAt: FOREVER });
    expect(balances.grandTotal).toEqual({
      totals: [
        { unit: 'EUR', low: '319000000000', high: '319000000000', commitments: 3, qualifiers: ['exact'] },
        { unit: 'USD', low: '500000000000', high: '500000000000', commitments: 1, qualifiers: ['up-to'] },
        { unit: 'ai-gigafactory', low: '4', high: '4', commitments: 1, qualifiers: ['exact'] },
      ],
      unquantified: 0,
    });
  });

  it('shows the December retelling from December on, and only as known after it was recorded', () => {
    const count = (asOf: string, knownAt = FOREVER) => commitmentAt(ledger.events, 'investai-gigafactory-count', { asOf, knownAt })?.quantity;
    expect(count('2025-12-03')).toEqual({ unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' });
    expect(count('2025-12-04')).toEqual({ unit: 'ai-gigafactory', low: '5', high: '5', qualifier: 'up-to' });
    expect(count('2025-12-04', recordedBeforeDecember)).toEqual({ unit: 'ai-gigafactory', low: '4', high: '4', qualifier: 'exact' });
    const eib = foldBalances(ledger.events, { asOf: '2025-12-04', knownAt: FOREVER }).institutions['eib-group']!;
    expect(eib.jointly).toEqual([{ unit: 'ai-gigafactory', low: '5', high: '5', commitments: 1, qualifiers: ['up-to'] }]);
  });

  it('counts the month-dated EuroHPC figure from the first of its month', () => {
    const eurohpc = (asOf: string) => foldBalances(ledger.events, { asOf, knownAt: FOREVER }).programmes['eurohpc-ai-factories']!.totals;
    expect(eurohpc('2024-11-30')).toEqual([]);
    expect(eurohpc('2024-12-01')).toEqual([{ unit: 'EUR', low: '10000000000', high: '10000000000', commitments: 1, qualifiers: ['exact'] }]);
  });
});
