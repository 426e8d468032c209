import fc from 'fast-check';
import { isDomainError } from '../errors';
import { COMMITMENT_KINDS, type RecordedLedgerEvent } from '../events';
import type { At } from '../fold';
import { currentFigure, figureAt } from '../state';
import { compareAmounts, normaliseAmount } from '../values/amount';
import { dateStart } from '../values/dates';
import { isQuantified, QUALIFIERS, type Quantity } from '../values/quantity';
import { InMemoryLedger, type LedgerCommand } from './in-memory-ledger';

/**
 * Random valid histories. A plan of intentions is generated (and shrunk) by fast-check, then
 * played through the real decisions by an in-memory ledger: intentions a decision refuses are
 * dropped, so every history is one the write side could have recorded.
 */

const UNITS = ['EUR', 'USD', 'ai-factory', 'GW'] as const;

const dateSeed = fc.record({
  year: fc.integer({ min: 2024, max: 2026 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.option(fc.integer({ min: 1, max: 28 }), { freq: 4 }),
});
type DateSeed = typeof dateSeed extends fc.Arbitrary<infer T> ? T : never;

function dateOf(seed: DateSeed): string {
  const month = `${seed.year}-${String(seed.month).padStart(2, '0')}`;
  return seed.day === null ? month : `${month}-${String(seed.day).padStart(2, '0')}`;
}

const quantitySeed = fc.record({
  unit: fc.constantFrom(...UNITS),
  qualifier: fc.constantFrom(...QUALIFIERS),
  a: fc.bigInt({ min: 0n, max: 1_000_000n }),
  b: fc.bigInt({ min: 0n, max: 1_000_000n }),
  scale: fc.integer({ min: 0, max: 3 }),
});
type QuantitySeed = typeof quantitySeed extends fc.Arbitrary<infer T> ? T : never;

function decimal(value: bigint, scale: number): string {
  const digits = value.toString().padStart(scale + 1, '0');
  return normaliseAmount(scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}

function quantityOf(seed: QuantitySeed, unit: string = seed.unit): Quantity {
  if (seed.qualifier === 'unquantified') return { unit, qualifier: 'unquantified' };
  const [x, y] = seed.a <= seed.b ? [seed.a, seed.b] : [seed.b, seed.a];
  if (seed.qualifier === 'range') {
    return { unit, low: decimal(x, seed.scale), high: decimal(y === x ? y + 1n : y, seed.scale), qualifier: 'range' };
  }
  const amount = decimal(x, seed.scale);
  return { unit, low: amount, high: amount, qualifier: seed.qualifier };
}

/** Keeps a part within its whole most of the time, so "of which" trees actually grow. */
function clampTo(quantity: Quantity, whole: Quantity | undefined): Quantity {
  if (!whole || !isQuantified(whole) || !isQuantified(quantity)) return quantity;
  if (compareAmounts(quantity.high, whole.high) <= 0) return quantity;
  if (quantity.qualifier === 'range' && compareAmounts(quantity.low, whole.high) < 0) return { ...quantity, high: whole.high };
  return { unit: quantity.unit, low: whole.high, high: whole.high, qualifier: quantity.qualifier === 'range' ? 'exact' : quantity.qualifier };
}

const gapMs = fc.constantFrom(0, 1, 1000, 60_000, 3_600_000, 86_400_000);
const indexes = (max: number) => fc.uniqueArray(fc.nat({ max: 7 }), { minLength: 1, maxLength: max });

const stepArbitrary = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('announce' as const),
      programme: fc.nat(),
      pledgers: indexes(3),
      announcer: fc.nat(),
      kind: fc.constantFrom(...COMMITMENT_KINDS),
      quantity: quantitySeed,
      partOf: fc.option(fc.nat(), { freq: 2 }),
      date: dateSeed,
      sources: indexes(2),
      gap: gapMs,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('corroborate' as const), target: fc.nat(), date: dateSeed, sources: indexes(2), gap: gapMs }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('revise' as const),
      target: fc.nat(),
      quantity: fc.option(quantitySeed, { freq: 4 }),
      pledgers: fc.option(indexes(3), { freq: 3 }),
      date: dateSeed,
      sources: indexes(2),
      gap: gapMs,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('withdraw' as const), target: fc.nat(), date: dateSeed, sources: indexes(1), gap: gapMs }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), target: fc.nat(), gap: gapMs }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('agreement' as const), parties: indexes(3), programmes: indexes(2), date: dateSeed, gap: gapMs }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('discrepancy' as const), target: fc.option(fc.nat()), date: dateSeed, gap: gapMs }),
  },
);
type Step = typeof stepArbitrary extends fc.Arbitrary<infer T> ? T : never;

const planArbitrary = (maxSteps: number, size: fc.SizeForArbitrary) => fc.record({
  sources: fc.integer({ min: 1, max: 3 }),
  institutions: fc.integer({ min: 1, max: 5 }),
  // Each programme's parent is an earlier programme (by index) or none.
  programmes: fc.array(fc.option(fc.nat(), { freq: 2 }), { minLength: 1, maxLength: 5 }),
  start: fc.integer({ min: 0, max: 365 }),
  steps: fc.array(stepArbitrary, { maxLength: maxSteps, size }),
});
export type HistoryPlan = ReturnType<typeof planArbitrary> extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length]!;
const picks = <T>(items: readonly T[], chosen: readonly number[]): T[] => [...new Set(chosen.map((index) => pick(items, index)))];

/** Plays a plan through the decisions and returns the recorded history. */
export function historyFromPlan(plan: HistoryPlan): RecordedLedgerEvent[] {
  const ledger = new InMemoryLedger(new Date(Date.UTC(2025, 0, 1) + plan.start * 86_400_000).toISOString(), 'generator');
  const sources = Array.from({ length: plan.sources }, (_, i) => `source-${i + 1}`);
  const institutions = Array.from({ length: plan.institutions }, (_, i) => `institution-${i + 1}`);
  const programmes = plan.programmes.map((_, i) => `programme-${i + 1}`);
  const commitments: string[] = [];

  const attempt = (command: LedgerCommand, gap: number): boolean => {
    try {
      ledger.execute(command, gap);
      return true;
    } catch (error) {
      if (isDomainError(error)) return false;
      throw error;
    }
  };

  sources.forEach((id, i) =>
    attempt(
      {
        kind: 'RegisterSource',
        body: { id, publisher: 'Publisher', title: id, language: pick(['en', 'fr', 'vi', 'bg'], i), publishedOn: '2025-02', url: null, origin: id },
      },
      1000,
    ),
  );
  const cite = { sources: [sources[0]!], effectiveOn: '2025-01' };
  institutions.forEach((id, i) =>
    attempt({ kind: 'RegisterInstitution', body: { id, name: id, kind: pick(['bank', 'company', 'government'] as const, i), country: null, aliases: [], ...cite } }, 0),
  );
  plan.programmes.forEach((parent, i) =>
    attempt(
      {
        kind: 'RegisterProgramme',
        body: {
          id: programmes[i]!,
          name: programmes[i]!,
          aliases: [],
          parent: parent === null || i === 0 ? null : programmes[parent % i]!,
          owners: [],
          ...cite,
        },
      },
      1,
    ),
  );

  plan.steps.forEach((step: Step, n) => {
    switch (step.op) {
      case 'announce': {
        const id = `commitment-${commitments.length + 1}`;
        const partOf = step.partOf === null || commitments.length === 0 ? null : pick(commitments, step.partOf);
        const effectiveOn = dateOf(step.date);
        const whole = partOf === null ? undefined : ledger.commitmentState(partOf);
        const wholeQuantity = whole?.exists ? figureAt(whole, effectiveOn)?.quantity : undefined;
        const quantity = clampTo(quantityOf(step.quantity, wholeQuantity?.unit), wholeQuantity);
        const announced = attempt(
          {
            kind: 'AnnounceCommitment',
            body: {
              id,
              programme: pick(programmes, step.programme),
              pledgers: picks(institutions, step.pledgers),
              announcedBy: pick(institutions, step.announcer),
              kind: step.kind,
              quantity,
              partOf,
              horizon: n % 3 === 0 ? 'by 2027' : null,
              sources: picks(sources, step.sources),
              effectiveOn,
            },
          },
          step.gap,
        );
        if (announced) commitments.push(id);
        return;
      }
      case 'corroborate': {
        if (commitments.length === 0) return;
        const commitment = pick(commitments, step.target);
        const state = ledger.commitmentState(commitment);
        const effectiveOn = dateOf(step.date);
        const figure = state.exists ? figureAt(state, effectiveOn) : undefined;
        if (!figure) return;
        attempt({ kind: 'CorroborateCommitment', commitment, body: { quantity: figure.quantity, sources: picks(sources, step.sources), effectiveOn } }, step.gap);
        return;
      }
      case 'revise': {
        if (commitments.length === 0) return;
        const commitment = pick(commitments, step.target);
        const state = ledger.commitmentState(commitment);
        const effectiveOn = dateOf(step.date);
        const whole = state.partOf === null ? undefined : ledger.commitmentState(state.partOf);
        const wholeQuantity = whole?.exists ? figureAt(whole, effectiveOn)?.quantity : undefined;
        const quantity = step.quantity === null ? undefined : clampTo(quantityOf(step.quantity, state.unit ?? undefined), wholeQuantity);
        const pledgers = step.pledgers === null ? undefined : picks(institutions, step.pledgers);
        attempt(
          {
            kind: 'ReviseCommitment',
            commitment,
            body: {
              ...(quantity ? { quantity } : {}),
              ...(pledgers || !quantity ? { pledgers: pledgers ?? [...(currentFigure(state)?.pledgers ?? [institutions[0]!])] } : {}),
              reason: 'a later figure',
              sources: picks(sources, step.sources),
              effectiveOn,
            },
          },
          step.gap,
        );
        return;
      }
      case 'withdraw': {
        if (commitments.length === 0) return;
        const commitment = pick(commitments, step.target);
        attempt({ kind: 'WithdrawCommitment', commitment, body: { reason: 'withdrawn', sources: picks(sources, step.sources), effectiveOn: dateOf(step.date) } }, step.gap);
        return;
      }
      case 'reverse': {
        const reversible = ledger.events.filter((event) => event.stream.startsWith('commitment-') || event.stream.startsWith('agreement-'));
        if (reversible.length === 0) return;
        attempt({ kind: 'ReverseEntry', eventId: pick(reversible, step.target).eventId, body: { reason: 'recorded by mistake' } }, step.gap);
        return;
      }
      case 'agreement':
        attempt(
          {
            kind: 'SignAgreement',
            body: {
              id: `agreement-${n + 1}`,
              kind: 'memorandum-of-understanding',
              parties: picks(institutions, step.parties),
              programmes: picks(programmes, step.programmes),
              sources: [sources[0]!],
              effectiveOn: dateOf(step.date),
            },
          },
          step.gap,
        );
        return;
      case 'discrepancy':
        attempt(
          {
            kind: 'NoteDiscrepancy',
            body: {
              id: `discrepancy-${n + 1}`,
              commitment: step.target === null || commitments.length === 0 ? null : pick(commitments, step.target),
              field: 'quantity',
              accounts: [
                { value: '4', sources: [sources[0]!] },
                { value: 'up to 5', sources: [pick(sources, n)] },
              ],
              note: 'two accounts of one figure',
              sources: [sources[0]!],
              effectiveOn: dateOf(step.date),
            },
          },
          step.gap,
        );
        return;
      default: {
        const unreachable: never = step;
        return unreachable;
      }
    }
  });
  return ledger.events;
}

/**
 * Random histories the write side could have recorded: registrations, announcements (with
 * `partOf` trees, joint pledgers, every qualifier, ranges, month-precision dates), corroborations,
 * revisions dated out of order and recorded late, withdrawals, reversals, agreements and
 * discrepancies. `maxSteps` bounds the intended writes (40 by default). Positions increase by
 * one; `recordedAt` never decreases and often repeats.
 */
export function arbitraryHistory(options: { readonly maxSteps?: number } = {}): fc.Arbitrary<RecordedLedgerEvent[]> {
  // An explicit maximum asks for long histories too, so lengths then spread up to it.
  return planArbitrary(options.maxSteps ?? 40, options.maxSteps === undefined ? 'medium' : 'max').map(historyFromPlan);
}

/**
 * Query points worth asking of a history: `asOf` on, just before, or far from its effective
 * dates, and `knownAt` exactly at, just before or after its recording instants, or beyond them all.
 */
export function arbitraryAt(events: readonly RecordedLedgerEvent[]): fc.Arbitrary<At> {
  const starts = [...new Set(events.map((event) => dateStart(event.metadata.effectiveOn)))];
  const asOf = fc.oneof(
    // The last day a date can name: a version still open must hold on it too.
    fc.constantFrom('2023-12-31', '2030-01-01', '9999-12-31', ...starts),
    fc.record({ year: fc.integer({ min: 2024, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }).map(
      (seed) => dateOf(seed),
    ),
  );
  const instants = events.map((event) => Date.parse(event.recordedAt));
  const knownAt = fc.oneof(
    fc.constantFrom('2099-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'),
    ...(instants.length === 0
      ? []
      : [
          fc.tuple(fc.constantFrom(...instants), fc.constantFrom(-1, 0, 0, 1)).map(([ms, delta]) => new Date(ms + delta).toISOString()),
        ]),
  );
  return fc.record({ asOf, knownAt });
}

/** A history together with a query point into it. */
export function arbitraryHistoryAndAt(options: { readonly maxSteps?: number } = {}): fc.Arbitrary<{ events: RecordedLedgerEvent[]; at: At }> {
  return arbitraryHistory(options).chain((events) => arbitraryAt(events).map((at) => ({ events, at })));
}
