import fc from 'fast-check';
import { EnvelopeSchema, parseEvent, type RecordedLedgerEvent } from './events';
import { commitmentAt, foldBalances, knownFacts, type Total } from './fold';
import { compareAmounts, sumAmounts } from './values/amount';
import { arbitraryAt, arbitraryHistory, arbitraryHistoryAndAt } from './testing/arbitraries';

const FOREVER = '2099-01-01T00:00:00.000Z';
const RUNS = { numRuns: 200 };

function byUnit(totals: readonly Total[]): Map<string, Total> {
  return new Map(totals.map((total) => [total.unit, total]));
}

describe('generated histories', () => {
  it('are valid events with valid envelopes, in increasing positions and non-decreasing recording times', () => {
    fc.assert(
      fc.property(arbitraryHistory(), (events) => {
        events.forEach((event, index) => {
          expect(parseEvent(event.type, event.data)).toEqual({ type: event.type, data: event.data });
          expect(EnvelopeSchema.parse(event.metadata)).toEqual(event.metadata);
          expect(event.position).toBe(index + 1);
          if (index > 0) expect(event.recordedAt >= events[index - 1]!.recordedAt).toBe(true);
        });
        const versions = new Map<string, number>();
        for (const event of events) {
          expect(event.version).toBe((versions.get(event.stream) ?? 0) + 1);
          versions.set(event.stream, event.version);
        }
      }),
      RUNS,
    );
  });

  it('cover the cases the read models must get right', () => {
    const histories = fc.sample(arbitraryHistory(), { numRuns: 300, seed: 42 });
    const all = histories.flat();
    const types = new Set(all.map((event) => event.type));
    expect([...types].sort()).toEqual([
      'AgreementSigned',
      'CommitmentAnnounced',
      'CommitmentCorroborated',
      'CommitmentRevised',
      'CommitmentWithdrawn',
      'DiscrepancyNoted',
      'EntryReversed',
      'InstitutionRegistered',
      'ProgrammeRegistered',
      'SourceRegistered',
    ]);
    const announced = all.flatMap((event) => (event.type === 'CommitmentAnnounced' ? [event.data] : []));
    expect(announced.some((data) => data.partOf !== null)).toBe(true);
    expect(announced.some((data) => data.pledgers.length > 1)).toBe(true);
    expect(new Set(announced.map((data) => data.quantity.qualifier)).size).toBe(6);
    expect(all.some((event) => event.metadata.effectiveOn.length === 7)).toBe(true);
    // A correction recorded later for an earlier date than the figure it follows.
    expect(
      histories.some((events) =>
        events.some((event, i) => event.type === 'CommitmentRevised' && events.slice(0, i).some((e) => e.stream === event.stream && e.metadata.effectiveOn > event.metadata.effectiveOn)),
      ),
    ).toBe(true);
    expect(histories.some((events) => events.some((event, i) => i > 0 && event.recordedAt === events[i - 1]!.recordedAt))).toBe(true);
  });
});

describe('the fold, on random histories', () => {
  it('is deterministic and does not depend on the order the events are handed in', () => {
    fc.assert(
      fc.property(arbitraryHistoryAndAt(), fc.integer(), ({ events, at }, seed) => {
        const shuffled = [...events].sort((a, b) => ((a.position * 7919 + seed) % 101) - ((b.position * 7919 + seed) % 101));
        expect(foldBalances(shuffled, at)).toEqual(foldBalances(events, at));
      }),
      RUNS,
    );
  });

  it('keeps totals well formed: sorted units, distinct sorted qualifiers, low <= high', () => {
    fc.assert(
      fc.property(arbitraryHistoryAndAt(), ({ events, at }) => {
        const balances = foldBalances(events, at);
        const lists = [
          balances.grandTotal.totals,
          ...Object.values(balances.programmes).flatMap((p) => [p.totals, ...p.components.map((c) => c.totals)]),
          ...Object.values(balances.institutions).flatMap((i) => [i.alone, i.jointly]),
        ];
        for (const totals of lists) {
          const units = totals.map((total) => total.unit);
          expect(units).toEqual([...new Set(units)].sort());
          for (const total of totals) {
            expect(total.commitments).toBeGreaterThan(0);
            expect(compareAmounts(total.low, total.high)).toBeLessThanOrEqual(0);
            expect(total.qualifiers).toEqual([...new Set(total.qualifiers)].sort());
            expect(total.qualifiers).not.toContain('unquantified');
          }
        }
      }),
      RUNS,
    );
  });

  it('never puts more in the grand total than in the top-level programmes together', () => {
    fc.assert(
      fc.property(arbitraryHistoryAndAt(), ({ events, at }) => {
        const balances = foldBalances(events, at);
        const known = knownFacts(events, at.knownAt);
        const topLevel = known.flatMap((event) => (event.type === 'ProgrammeRegistered' && event.data.parent === null ? [event.data.id] : []));
        const programmeTotals = topLevel.flatMap((id) => balances.programmes[id]!.totals);
        for (const total of balances.grandTotal.totals) {
          const same = programmeTotals.filter((t) => t.unit === total.unit);
          expect(compareAmounts(total.high, sumAmounts(same.map((t) => t.high)))).toBeLessThanOrEqual(0);
          expect(compareAmounts(total.low, sumAmounts(same.map((t) => t.low)))).toBeLessThanOrEqual(0);
          expect(total.commitments).toBeLessThanOrEqual(same.reduce((n, t) => n + t.commitments, 0));
        }
        const unquantified = topLevel.reduce((n, id) => n + balances.programmes[id]!.unquantified, 0);
        expect(balances.grandTotal.unquantified).toBeLessThanOrEqual(unquantified);
      }),
      RUNS,
    );
  });

  it('counts in the grand total only commitments that commitmentAt shows as active', () => {
    fc.assert(
      fc.property(arbitraryHistoryAndAt(), ({ events, at }) => {
        const ids = [...new Set(events.flatMap((event) => (event.type === 'CommitmentAnnounced' ? [event.data.id] : [])))];
        const active = ids.map((id) => commitmentAt(events, id, at)).filter((view) => view?.status === 'active');
        const { totals, unquantified } = foldBalances(events, at).grandTotal;
        expect(totals.reduce((n, total) => n + total.commitments, 0) + unquantified).toBeLessThanOrEqual(active.length);
        // Roots (no partOf at all) are always in the grand total when active.
        const roots = active.filter((view) => view!.partOf === null).length;
        expect(totals.reduce((n, total) => n + total.commitments, 0) + unquantified).toBeGreaterThanOrEqual(roots);
      }),
      RUNS,
    );
  });

  it('reads knownAt as "the log cut at that instant"', () => {
    fc.assert(
      fc.property(arbitraryHistoryAndAt(), ({ events, at }) => {
        const cut = events.filter((event) => Date.parse(event.recordedAt) <= Date.parse(at.knownAt));
        expect(foldBalances(events, at)).toEqual(foldBalances(cut, { asOf: at.asOf, knownAt: FOREVER }));
      }),
      RUNS,
    );
  });

  it('treats a reversed event as never recorded, once the reversal is known', () => {
    fc.assert(
      fc.property(
        arbitraryHistory().chain((events) => arbitraryAt(events).map((at) => ({ events, asOf: at.asOf }))),
        ({ events, asOf }) => {
          const reversed = new Set(events.flatMap((event) => (event.type === 'EntryReversed' ? [event.data.eventId] : [])));
          const clean: RecordedLedgerEvent[] = events.filter((event) => event.type !== 'EntryReversed' && !reversed.has(event.eventId));
          expect(foldBalances(events, { asOf, knownAt: FOREVER })).toEqual(foldBalances(clean, { asOf, knownAt: FOREVER }));
        },
      ),
      RUNS,
    );
  });

  it('shows nothing before the first event was recorded, or before anything took effect', () => {
    fc.assert(
      fc.property(arbitraryHistory(), (events) => {
        expect(foldBalances(events, { asOf: '2030-01-01', knownAt: '2000-01-01T00:00:00Z' })).toEqual({
          programmes: {},
          institutions: {},
          grandTotal: { totals: [], unquantified: 0 },
        });
        const past = foldBalances(events, { asOf: '2000-01-01', knownAt: FOREVER });
        expect(past.grandTotal).toEqual({ totals: [], unquantified: 0 });
        for (const programme of Object.values(past.programmes)) expect(programme.totals).toEqual([]);
        for (const institution of Object.values(past.institutions)) expect(byUnit(institution.alone).size + byUnit(institution.jointly).size).toBe(0);
      }),
      RUNS,
    );
  });
});
