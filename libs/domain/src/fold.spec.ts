import { commitmentAt, foldBalances, type At } from './fold';
import type { Quantity } from './values/quantity';
import { announcement, eur, registeredLedger } from './testing/fixtures';
import type { InMemoryLedger, LedgerCommand } from './testing/in-memory-ledger';

const FOREVER = '2099-01-01T00:00:00.000Z';
const at = (asOf: string, knownAt = FOREVER): At => ({ asOf, knownAt });
const cite = (effectiveOn: string, sources = ['ec-feb']) => ({ sources, effectiveOn });
const unit = (u: string, low: string, high = low, qualifier: Exclude<Quantity['qualifier'], 'unquantified'> = low === high ? 'exact' : 'range'): Quantity => ({
  unit: u,
  low,
  high,
  qualifier,
});
const total = (u: string, low: string, high: string, commitments: number, qualifiers: string[]) => ({ unit: u, low, high, commitments, qualifiers });

function announce(ledger: InMemoryLedger, overrides: Parameters<typeof announcement>[0], afterMs?: number) {
  return ledger.execute({ kind: 'AnnounceCommitment', body: announcement(overrides) }, afterMs);
}
function revise(ledger: InMemoryLedger, commitment: string, body: Partial<Extract<LedgerCommand, { kind: 'ReviseCommitment' }>['body']>, afterMs?: number) {
  return ledger.execute({ kind: 'ReviseCommitment', commitment, body: { reason: 'new level', ...cite('2025-02-11'), ...body } }, afterMs);
}

describe('the reference fold', () => {
  it('lists every registered programme and institution, with empty totals when nothing is in effect', () => {
    const ledger = registeredLedger();
    const balances = foldBalances(ledger.events, at('2026-01-01'));
    expect(Object.keys(balances.programmes)).toEqual(['ai-gigafactories', 'investai', 'stargate']);
    expect(balances.programmes['investai']).toEqual({
      programme: 'investai',
      totals: [],
      unquantified: 0,
      components: [{ programme: 'ai-gigafactories', totals: [], unquantified: 0 }],
    });
    expect(balances.institutions['eib-group']).toEqual({ institution: 'eib-group', alone: [], jointly: [], unquantified: 0 });
    expect(balances.grandTotal).toEqual({ totals: [], unquantified: 0 });
  });

  it('rule 1: a restatement is a citation, not new money', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'fund', quantity: eur('20000000000') });
    for (const source of ['ec-feb', 'eib-dec']) {
      ledger.execute({ kind: 'CorroborateCommitment', commitment: 'fund', body: { quantity: eur('20000000000'), ...cite('2025-12-04', [source]) } });
    }
    const balances = foldBalances(ledger.events, at('2026-01-01'));
    expect(balances.programmes['investai']!.totals).toEqual([total('EUR', '20000000000', '20000000000', 1, ['exact'])]);
    expect(balances.grandTotal.totals).toEqual([total('EUR', '20000000000', '20000000000', 1, ['exact'])]);
  });

  it('rule 2: a later figure states a level, it does not add', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'factories', kind: 'capacity', quantity: unit('ai-factory', '7') });
    revise(ledger, 'factories', { quantity: unit('ai-factory', '13'), effectiveOn: '2025-03' });
    revise(ledger, 'factories', { quantity: unit('ai-factory', '19'), effectiveOn: '2025-10-10' });
    const level = (asOf: string) => foldBalances(ledger.events, at(asOf)).grandTotal.totals;
    expect(level('2025-02-28')).toEqual([total('ai-factory', '7', '7', 1, ['exact'])]);
    expect(level('2025-03-01')).toEqual([total('ai-factory', '13', '13', 1, ['exact'])]);
    expect(level('2025-10-10')).toEqual([total('ai-factory', '19', '19', 1, ['exact'])]);
  });

  it('rule 3: an "of which" part never adds to its whole', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'mobilisation', kind: 'mobilisation-target', quantity: eur('200000000000') });
    announce(ledger, { id: 'gigafactory-fund', programme: 'ai-gigafactories', quantity: eur('20000000000'), partOf: 'mobilisation' });
    const balances = foldBalances(ledger.events, at('2025-03-01'));
    expect(balances.programmes['investai']).toEqual({
      programme: 'investai',
      totals: [total('EUR', '200000000000', '200000000000', 1, ['exact'])],
      unquantified: 0,
      components: [{ programme: 'ai-gigafactories', totals: [total('EUR', '20000000000', '20000000000', 1, ['exact'])], unquantified: 0 }],
    });
    expect(balances.programmes['ai-gigafactories']!.totals).toEqual([total('EUR', '20000000000', '20000000000', 1, ['exact'])]);
    expect(balances.institutions['european-commission']!.alone).toEqual([total('EUR', '200000000000', '200000000000', 1, ['exact'])]);
    expect(balances.grandTotal.totals).toEqual([total('EUR', '200000000000', '200000000000', 1, ['exact'])]);
  });

  it('rule 3: a part counts where its whole is not in the same set', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', quantity: eur('100') });
    announce(ledger, { id: 'part', programme: 'stargate', pledgers: ['eib-group'], quantity: eur('30'), partOf: 'whole' });
    const balances = foldBalances(ledger.events, at('2025-03-01'));
    expect(balances.programmes['stargate']!.totals).toEqual([total('EUR', '30', '30', 1, ['exact'])]);
    expect(balances.institutions['eib-group']!.alone).toEqual([total('EUR', '30', '30', 1, ['exact'])]);
    expect(balances.grandTotal.totals).toEqual([total('EUR', '100', '100', 1, ['exact'])]);
  });

  it('rule 3: ancestors count transitively, and a part becomes a root when its whole is not in effect', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'top', quantity: eur('100'), effectiveOn: '2025-01' });
    announce(ledger, { id: 'middle', quantity: eur('50'), partOf: 'top', effectiveOn: '2025-06' });
    announce(ledger, { id: 'leaf', quantity: eur('10'), partOf: 'middle', effectiveOn: '2025-02' });
    const grand = (asOf: string) => foldBalances(ledger.events, at(asOf)).grandTotal.totals;
    // The leaf's whole is not in effect yet, but the whole's whole is: the leaf is still a part.
    expect(grand('2025-03-01')).toEqual([total('EUR', '100', '100', 1, ['exact'])]);
    ledger.execute({ kind: 'WithdrawCommitment', commitment: 'top', body: { reason: 'replaced', ...cite('2025-09') } });
    expect(grand('2025-08-31')).toEqual([total('EUR', '100', '100', 1, ['exact'])]);
    expect(grand('2025-09-01')).toEqual([total('EUR', '50', '50', 1, ['exact'])]);
  });

  it('rule 4: a joint pledge shows under jointly for each pledger and counts once overall', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'alone', quantity: eur('5') });
    announce(ledger, { id: 'joint', pledgers: ['european-commission', 'eib-group'], quantity: eur('10') });
    const balances = foldBalances(ledger.events, at('2025-03-01'));
    expect(balances.institutions['european-commission']).toEqual({
      institution: 'european-commission',
      alone: [total('EUR', '5', '5', 1, ['exact'])],
      jointly: [total('EUR', '10', '10', 1, ['exact'])],
      unquantified: 0,
    });
    expect(balances.institutions['eib-group']).toEqual({ institution: 'eib-group', alone: [], jointly: [total('EUR', '10', '10', 1, ['exact'])], unquantified: 0 });
    expect(balances.grandTotal.totals).toEqual([total('EUR', '15', '15', 2, ['exact'])]);
  });

  it('rule 4: pledgers follow revisions', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('10') });
    revise(ledger, 'c', { pledgers: ['european-commission', 'eib-group'], effectiveOn: '2025-12-04' });
    const eib = (asOf: string) => foldBalances(ledger.events, at(asOf)).institutions['eib-group']!.jointly;
    expect(eib('2025-12-03')).toEqual([]);
    expect(eib('2025-12-04')).toEqual([total('EUR', '10', '10', 1, ['exact'])]);
  });

  it('rule 4: an institution counts a part only when it is not also a pledger of the whole', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'whole', pledgers: ['european-commission', 'eib-group'], quantity: eur('100') });
    announce(ledger, { id: 'part', pledgers: ['eib-group', 'openai'], quantity: eur('40'), partOf: 'whole' });
    const balances = foldBalances(ledger.events, at('2025-03-01'));
    expect(balances.institutions['eib-group']!.jointly).toEqual([total('EUR', '100', '100', 1, ['exact'])]);
    expect(balances.institutions['openai']!.jointly).toEqual([total('EUR', '40', '40', 1, ['exact'])]);
  });

  it('rules 5 and 6: units never mix, intervals add, unquantified commitments are counted apart', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'a', quantity: eur('10', '20') });
    announce(ledger, { id: 'b', quantity: { ...eur('5'), qualifier: 'up-to' } });
    announce(ledger, { id: 'c', quantity: unit('USD', '500000000000', '500000000000', 'about') });
    announce(ledger, { id: 'd', kind: 'capacity', quantity: unit('ai-gigafactory', '4') });
    announce(ledger, { id: 'e', quantity: { unit: 'EUR', qualifier: 'unquantified' } });
    announce(ledger, { id: 'f', quantity: unit('GW', '0.5', '1.25') });
    const balances = foldBalances(ledger.events, at('2025-03-01'));
    const expected = [
      total('EUR', '15', '25', 2, ['range', 'up-to']),
      total('GW', '0.5', '1.25', 1, ['range']),
      total('USD', '500000000000', '500000000000', 1, ['about']),
      total('ai-gigafactory', '4', '4', 1, ['exact']),
    ];
    expect(balances.programmes['investai']!.totals).toEqual(expected);
    expect(balances.programmes['investai']!.unquantified).toBe(1);
    expect(balances.institutions['european-commission']!.alone).toEqual(expected);
    expect(balances.institutions['european-commission']!.unquantified).toBe(1);
    expect(balances.grandTotal).toEqual({ totals: expected, unquantified: 1 });
  });

  it('rule 7: asOf keeps claims effective on or before it; a month counts from its first day', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('10'), effectiveOn: '2024-12' });
    expect(foldBalances(ledger.events, at('2024-11-30')).grandTotal.totals).toEqual([]);
    expect(foldBalances(ledger.events, at('2024-12-01')).grandTotal.totals).toEqual([total('EUR', '10', '10', 1, ['exact'])]);
  });

  it('rule 7: knownAt keeps what was recorded by then; a correction for February changes February only as known from then', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('4'), effectiveOn: '2025-02-11' }, 1000);
    const beforeCorrection = ledger.now();
    revise(ledger, 'c', { quantity: eur('5'), effectiveOn: '2025-02-11' }, 86_400_000);
    const february = (knownAt: string) => foldBalances(ledger.events, at('2025-02-28', knownAt)).grandTotal.totals;
    expect(february(beforeCorrection)).toEqual([total('EUR', '4', '4', 1, ['exact'])]);
    expect(february(FOREVER)).toEqual([total('EUR', '5', '5', 1, ['exact'])]);
    expect(february('2025-01-01T00:00:00Z')).toEqual([]);
  });

  it('rule 7: knownAt includes an event recorded at exactly that instant', () => {
    const ledger = registeredLedger();
    const [announced] = announce(ledger, { id: 'c', quantity: eur('4') });
    const recordedAt = announced!.recordedAt;
    const justBefore = new Date(Date.parse(recordedAt) - 1).toISOString();
    expect(foldBalances(ledger.events, at('2025-03-01', recordedAt)).grandTotal.totals).toHaveLength(1);
    expect(foldBalances(ledger.events, at('2025-03-01', justBefore)).grandTotal.totals).toHaveLength(0);
  });

  it('tie-break: among equal effective dates the later position wins, whatever the precision', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('1'), effectiveOn: '2025-02-01' });
    revise(ledger, 'c', { quantity: eur('2'), effectiveOn: '2025-02' });
    expect(foldBalances(ledger.events, at('2025-02-01')).grandTotal.totals).toEqual([total('EUR', '2', '2', 1, ['exact'])]);
    revise(ledger, 'c', { quantity: eur('3'), effectiveOn: '2025-01-15' });
    // Recorded last but dated earlier: it does not replace the later-dated level.
    expect(foldBalances(ledger.events, at('2025-02-01')).grandTotal.totals).toEqual([total('EUR', '2', '2', 1, ['exact'])]);
  });

  it('a reversal counts from when it was recorded', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('4') });
    const [revised] = revise(ledger, 'c', { quantity: eur('40') });
    const beforeReversal = ledger.now();
    ledger.execute({ kind: 'ReverseEntry', eventId: revised!.eventId, body: { reason: 'an extra zero' } }, 3_600_000);
    expect(foldBalances(ledger.events, at('2025-03-01', beforeReversal)).grandTotal.totals).toEqual([total('EUR', '40', '40', 1, ['exact'])]);
    expect(foldBalances(ledger.events, at('2025-03-01')).grandTotal.totals).toEqual([total('EUR', '4', '4', 1, ['exact'])]);
  });

  it('a reversed announcement removes the commitment, and its parts become roots', () => {
    const ledger = registeredLedger();
    const [whole] = announce(ledger, { id: 'whole', quantity: eur('100') });
    announce(ledger, { id: 'part', quantity: eur('30'), partOf: 'whole' });
    ledger.execute({ kind: 'ReverseEntry', eventId: whole!.eventId, body: { reason: 'not announced' } });
    expect(foldBalances(ledger.events, at('2025-03-01')).grandTotal.totals).toEqual([total('EUR', '30', '30', 1, ['exact'])]);
    expect(commitmentAt(ledger.events, 'whole', at('2025-03-01'))).toBeUndefined();
  });

  it('a withdrawal takes effect from its own date', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', quantity: eur('4') });
    ledger.execute({ kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'cancelled', ...cite('2026-03') } });
    expect(foldBalances(ledger.events, at('2026-02-28')).grandTotal.totals).toHaveLength(1);
    expect(foldBalances(ledger.events, at('2026-03-01')).grandTotal.totals).toHaveLength(0);
  });

  it('shows only programmes and institutions registered by knownAt', () => {
    const ledger = registeredLedger();
    const before = ledger.now();
    ledger.execute({ kind: 'RegisterProgramme', body: { id: 'techeu', name: 'TechEU', aliases: [], parent: null, owners: [], ...cite('2025-06') } });
    expect(Object.keys(foldBalances(ledger.events, at('2025-01-01', before)).programmes)).not.toContain('techeu');
    expect(Object.keys(foldBalances(ledger.events, at('2025-01-01')).programmes)).toContain('techeu');
  });
});

describe('commitmentAt', () => {
  it('gives the commitment as it stood, with the date of its figure and its stream version', () => {
    const ledger = registeredLedger();
    announce(ledger, { id: 'c', pledgers: ['european-commission'], quantity: eur('4'), effectiveOn: '2025-02', horizon: 'by 2027' });
    ledger.execute({ kind: 'CorroborateCommitment', commitment: 'c', body: { quantity: eur('4'), ...cite('2025-02-12') } });
    revise(ledger, 'c', { quantity: eur('5'), pledgers: ['european-commission', 'eib-group'], effectiveOn: '2025-12-04' });
    expect(commitmentAt(ledger.events, 'c', at('2025-01-31'))).toBeUndefined();
    expect(commitmentAt(ledger.events, 'c', at('2025-06-01'))).toEqual({
      id: 'c',
      programme: 'investai',
      pledgers: ['european-commission'],
      announcedBy: 'european-commission',
      kind: 'pledge',
      quantity: eur('4'),
      partOf: null,
      horizon: 'by 2027',
      status: 'active',
      effectiveOn: '2025-02',
      announcedOn: '2025-02',
      version: 3,
    });
    expect(commitmentAt(ledger.events, 'c', at('2025-12-04'))).toMatchObject({ quantity: eur('5'), pledgers: ['european-commission', 'eib-group'], effectiveOn: '2025-12-04' });
    ledger.execute({ kind: 'WithdrawCommitment', commitment: 'c', body: { reason: 'cancelled', ...cite('2026-01-10') } });
    expect(commitmentAt(ledger.events, 'c', at('2026-01-10'))).toMatchObject({ status: 'withdrawn', version: 4 });
    expect(commitmentAt(ledger.events, 'nowhere', at('2026-01-10'))).toBeUndefined();
  });
});
