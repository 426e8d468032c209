import { streams, type RecordedLedgerEvent } from './events';
import type { CommitmentKind } from './events';
import { sumAmounts } from './values/amount';
import { dateStart, instantMs } from './values/dates';
import { isQuantified, type Qualifier, type Quantity } from './values/quantity';

/**
 * The reference fold: balances computed straight from the events, following docs/design.md
 * ("Balance semantics") rule by rule. It is the oracle the SQL read models are tested against,
 * so it favours being plainly right over being fast.
 */

/** A query point: valid time (`asOf`, a calendar date) and transaction time (`knownAt`, an RFC 3339 instant). */
export interface At {
  readonly asOf: string;
  readonly knownAt: string;
}

export interface Total {
  readonly unit: string;
  readonly low: string;
  readonly high: string;
  readonly commitments: number;
  readonly qualifiers: Qualifier[];
}

export interface Totals {
  readonly totals: Total[];
  readonly unquantified: number;
}

export interface ProgrammeComponentBalance extends Totals {
  readonly programme: string;
}

export interface ProgrammeBalance extends ProgrammeComponentBalance {
  readonly components: ProgrammeComponentBalance[];
}

export interface InstitutionBalance {
  readonly institution: string;
  readonly alone: Total[];
  readonly jointly: Total[];
  readonly unquantified: number;
}

export interface Balances {
  readonly programmes: Record<string, ProgrammeBalance>;
  readonly institutions: Record<string, InstitutionBalance>;
  readonly grandTotal: Totals;
}

/** A commitment as it stood at a query point; the REST API answers the same shape. */
export interface CommitmentView {
  readonly id: string;
  readonly programme: string;
  readonly pledgers: string[];
  readonly announcedBy: string;
  readonly kind: CommitmentKind;
  readonly quantity: Quantity;
  readonly partOf: string | null;
  readonly horizon: string | null;
  readonly status: 'active' | 'withdrawn';
  /** The effective date, with its precision, of the announcement or revision the figure comes from. */
  readonly effectiveOn: string;
  /** The announcement's effective date, with its precision. */
  readonly announcedOn: string;
  /** The highest stream version recorded by `knownAt`. */
  readonly version: number;
}

/**
 * Rule 1: the events recorded by `knownAt`, minus those reversed by a reversal also recorded by
 * then; in global order.
 */
export function knownFacts(events: readonly RecordedLedgerEvent[], knownAt: string): RecordedLedgerEvent[] {
  const horizon = instantMs(knownAt);
  const recorded = events.filter((event) => instantMs(event.recordedAt) <= horizon);
  const reversed = new Set(recorded.flatMap((event) => (event.type === 'EntryReversed' ? [event.data.eventId] : [])));
  return recorded.filter((event) => !reversed.has(event.eventId)).sort((a, b) => a.position - b.position);
}

/** Rules 2 to 4 for one commitment, over facts already filtered by `knownFacts`. */
function viewOf(facts: readonly RecordedLedgerEvent[], id: string, asOf: string, version: number): CommitmentView | undefined {
  const stream = streams.commitment(id);
  const own = facts.filter((event) => event.stream === stream);
  const announcement = own.find((event) => event.type === 'CommitmentAnnounced');
  if (announcement?.type !== 'CommitmentAnnounced') return undefined;
  const day = dateStart(asOf);
  if (dateStart(announcement.metadata.effectiveOn) > day) return undefined;

  let state: RecordedLedgerEvent | undefined;
  for (const event of own) {
    if (event.type !== 'CommitmentAnnounced' && event.type !== 'CommitmentRevised') continue;
    const from = dateStart(event.metadata.effectiveOn);
    if (from > day) continue;
    // `own` is in position order, so ">=" lets the later position win among equal dates.
    if (!state || from >= dateStart(state.metadata.effectiveOn)) state = event;
  }
  const figure = state!.data as { quantity: Quantity; pledgers: string[] };
  const withdrawn = own.some((event) => event.type === 'CommitmentWithdrawn' && dateStart(event.metadata.effectiveOn) <= day);
  const { programme, announcedBy, kind, partOf, horizon } = announcement.data;
  return {
    id,
    programme,
    pledgers: [...figure.pledgers],
    announcedBy,
    kind,
    quantity: figure.quantity,
    partOf,
    horizon,
    status: withdrawn ? 'withdrawn' : 'active',
    effectiveOn: state!.metadata.effectiveOn,
    announcedOn: announcement.metadata.effectiveOn,
    version,
  };
}

/**
 * One commitment as it stood at a point, or undefined when it was not announced (as known at
 * `knownAt`) or its announcement takes effect after `asOf`. A withdrawn commitment is returned
 * with status 'withdrawn'. `events` may be the commitment's stream or the whole journal.
 */
export function commitmentAt(events: readonly RecordedLedgerEvent[], id: string, at: At): CommitmentView | undefined {
  const stream = streams.commitment(id);
  const horizon = instantMs(at.knownAt);
  const version = events
    .filter((event) => event.stream === stream && instantMs(event.recordedAt) <= horizon)
    .reduce((highest, event) => Math.max(highest, event.version), 0);
  return viewOf(knownFacts(events, at.knownAt), id, at.asOf, version);
}

/** Rule 8: per-unit sums of the quantified commitments, and a count of the unquantified ones. */
export function totalsOf(commitments: readonly { readonly quantity: Quantity }[]): Totals {
  const byUnit = new Map<string, Quantity[]>();
  let unquantified = 0;
  for (const { quantity } of commitments) {
    if (!isQuantified(quantity)) {
      unquantified += 1;
      continue;
    }
    byUnit.set(quantity.unit, [...(byUnit.get(quantity.unit) ?? []), quantity]);
  }
  const totals = [...byUnit.keys()].sort(byCodeUnits).map((unit) => {
    const quantities = byUnit.get(unit)!.filter(isQuantified);
    return {
      unit,
      low: sumAmounts(quantities.map((quantity) => quantity.low)),
      high: sumAmounts(quantities.map((quantity) => quantity.high)),
      commitments: quantities.length,
      qualifiers: [...new Set(quantities.map((quantity) => quantity.qualifier))].sort(byCodeUnits),
    };
  });
  return { totals, unquantified };
}

/** Plain code-unit order, the same as SQL's COLLATE "C": "EUR" sorts before "ai-factory". */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every balance at a query point: each programme registered by `knownAt` (over itself and its
 * descendants, with its direct components), each institution registered by `knownAt`, and the
 * grand total of root commitments.
 */
export function foldBalances(events: readonly RecordedLedgerEvent[], at: At): Balances {
  const facts = knownFacts(events, at.knownAt);

  const parentOf = new Map<string, string | null>();
  const institutionIds: string[] = [];
  const commitmentIds: string[] = [];
  for (const event of facts) {
    if (event.type === 'ProgrammeRegistered') parentOf.set(event.data.id, event.data.parent);
    if (event.type === 'InstitutionRegistered') institutionIds.push(event.data.id);
    if (event.type === 'CommitmentAnnounced') commitmentIds.push(event.data.id);
  }

  // Views of every commitment that exists (rule 2) and has taken effect; `partOf` chains run
  // through these, in effect or withdrawn.
  const views = new Map<string, CommitmentView>();
  for (const id of commitmentIds) {
    const view = viewOf(facts, id, at.asOf, 0);
    if (view) views.set(id, view);
  }
  const inEffect = (view: CommitmentView | undefined): view is CommitmentView => view?.status === 'active';
  const partOfById = new Map<string, string | null>();
  for (const event of facts) if (event.type === 'CommitmentAnnounced') partOfById.set(event.data.id, event.data.partOf);

  const ancestorsOf = (id: string): CommitmentView[] => {
    const found: CommitmentView[] = [];
    const seen = new Set([id]);
    for (let next = partOfById.get(id) ?? null; next !== null && !seen.has(next); next = partOfById.get(next) ?? null) {
      seen.add(next);
      const view = views.get(next);
      if (view) found.push(view);
    }
    return found;
  };
  const active = [...views.values()].filter(inEffect);

  const subtree = (root: string): Set<string> => {
    const set = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [id, parent] of parentOf) {
        if (parent !== null && set.has(parent) && !set.has(id)) {
          set.add(id);
          grew = true;
        }
      }
    }
    return set;
  };
  // Rule 5: over a set of programmes, a commitment counts unless an ancestor in effect is also in the set.
  const programmeTotals = (root: string): Totals => {
    const set = subtree(root);
    return totalsOf(
      active.filter((c) => set.has(c.programme) && !ancestorsOf(c.id).some((a) => inEffect(a) && set.has(a.programme))),
    );
  };

  const programmeIds = [...parentOf.keys()].sort(byCodeUnits);
  const programmes: Record<string, ProgrammeBalance> = {};
  for (const id of programmeIds) {
    const components = programmeIds
      .filter((child) => parentOf.get(child) === id)
      .map((child) => ({ programme: child, ...programmeTotals(child) }));
    programmes[id] = { programme: id, ...programmeTotals(id), components };
  }

  // Rule 6: an institution's commitment counts unless an ancestor in effect has it among its pledgers too.
  const institutions: Record<string, InstitutionBalance> = {};
  for (const id of [...institutionIds].sort(byCodeUnits)) {
    const counted = active.filter(
      (c) => c.pledgers.includes(id) && !ancestorsOf(c.id).some((a) => inEffect(a) && a.pledgers.includes(id)),
    );
    const alone = totalsOf(counted.filter((c) => c.pledgers.length === 1));
    const jointly = totalsOf(counted.filter((c) => c.pledgers.length > 1));
    institutions[id] = {
      institution: id,
      alone: alone.totals,
      jointly: jointly.totals,
      unquantified: alone.unquantified + jointly.unquantified,
    };
  }

  // Rule 7: the grand total counts root commitments only.
  const grandTotal = totalsOf(active.filter((c) => !ancestorsOf(c.id).some(inEffect)));

  return { programmes, institutions, grandTotal };
}
