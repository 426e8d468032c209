import type { AnnounceCommitment } from '../commands';
import type { QuantifiedQuantity } from '../values/quantity';
import { InMemoryLedger } from './in-memory-ledger';

export const eur = (low: string, high = low, qualifier: QuantifiedQuantity['qualifier'] = low === high ? 'exact' : 'range'): QuantifiedQuantity => ({
  unit: 'EUR',
  low,
  high,
  qualifier,
});

/**
 * A ledger with two sources, four institutions and the programmes investai (with its component
 * ai-gigafactories) and stargate, all recorded on 2026-01-01.
 */
export function registeredLedger(): InMemoryLedger {
  const ledger = new InMemoryLedger('2026-01-01T00:00:00.000Z');
  for (const id of ['ec-feb', 'eib-dec']) {
    ledger.execute({
      kind: 'RegisterSource',
      body: { id, publisher: 'Publisher', title: `Title ${id}`, language: 'en', publishedOn: '2025-02-11', url: null, origin: id },
    });
  }
  const citation = { sources: ['ec-feb'], effectiveOn: '2025-02-11' };
  for (const [id, kind] of [
    ['european-commission', 'eu-institution'],
    ['eib-group', 'bank'],
    ['openai', 'company'],
    ['softbank', 'company'],
  ] as const) {
    ledger.execute({ kind: 'RegisterInstitution', body: { id, name: id, kind, country: null, aliases: [], ...citation } });
  }
  ledger.execute({
    kind: 'RegisterProgramme',
    body: { id: 'investai', name: 'InvestAI', aliases: ['InvesAI'], parent: null, owners: ['european-commission'], ...citation },
  });
  ledger.execute({
    kind: 'RegisterProgramme',
    body: { id: 'ai-gigafactories', name: 'AI gigafactories', aliases: [], parent: 'investai', owners: [], ...citation },
  });
  ledger.execute({
    kind: 'RegisterProgramme',
    body: { id: 'stargate', name: 'Stargate', aliases: [], parent: null, owners: [], ...citation },
  });
  return ledger;
}

/** An announcement body with sensible defaults. */
export function announcement(overrides: Partial<AnnounceCommitment> & { id: string }): AnnounceCommitment {
  return {
    programme: 'investai',
    pledgers: ['european-commission'],
    announcedBy: 'european-commission',
    kind: 'pledge',
    quantity: eur('200000000000'),
    partOf: null,
    horizon: null,
    sources: ['ec-feb'],
    effectiveOn: '2025-02-11',
    ...overrides,
  };
}
