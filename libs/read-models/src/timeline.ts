import { dateStart, type Quantity, type RecordedLedgerEvent } from '@ledger/domain';

/** The state of a commitment over one stretch of valid time, as the ledger believed it at some point. */
export interface CommitmentVersion {
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly quantity: Quantity;
  readonly pledgers: readonly string[];
  /** The effective date, with its precision, of the announcement or revision this state comes from. */
  readonly effectiveOn: string;
  readonly sourcePosition: number;
}

/** A version with the stretch of transaction time during which the ledger held it. */
export interface BitemporalVersion extends CommitmentVersion {
  readonly recordedFrom: string;
  readonly recordedTo: string | null;
}

type Fact = RecordedLedgerEvent;

/**
 * The valid-time timeline implied by a set of known, unreversed facts of one commitment
 * (docs/design.md, balance semantics 2 to 4): from the announcement's date until the first
 * withdrawal, split wherever a revision takes effect.
 */
export function timelineOf(facts: readonly Fact[]): CommitmentVersion[] {
  const announcement = facts.find((fact) => fact.type === 'CommitmentAnnounced');
  if (!announcement) return [];
  const start = dateStart(announcement.metadata.effectiveOn);
  const ends = facts
    .filter((fact) => fact.type === 'CommitmentWithdrawn')
    .map((fact) => dateStart(fact.metadata.effectiveOn))
    .sort();
  const end = ends[0] ?? null;
  if (end !== null && end <= start) return [];

  const states = facts
    .filter((fact) => fact.type === 'CommitmentAnnounced' || fact.type === 'CommitmentRevised')
    .map((fact) => ({ fact, from: dateStart(fact.metadata.effectiveOn) }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.fact.position - b.fact.position));

  const breakpoints = [...new Set([start, ...states.map((state) => state.from)])]
    .filter((date) => date >= start && (end === null || date < end))
    .sort();
  const versions: CommitmentVersion[] = [];
  breakpoints.forEach((from, index) => {
    // The state in force from this breakpoint: the last one (by date, then position) not after it.
    let current = states[0]!;
    for (const state of states) if (state.from <= from) current = state;
    const data = current.fact.data as { quantity: Quantity; pledgers: string[] };
    versions.push({
      validFrom: from,
      validTo: breakpoints[index + 1] ?? end,
      quantity: data.quantity,
      pledgers: data.pledgers,
      effectiveOn: current.fact.metadata.effectiveOn,
      sourcePosition: current.fact.position,
    });
  });
  return versions;
}

const versionKey = (version: CommitmentVersion): string =>
  JSON.stringify([version.validFrom, version.validTo, version.quantity, version.pledgers, version.effectiveOn, version.sourcePosition]);

/**
 * Every bitemporal version of one commitment, from its whole stream in position order. Each event
 * recorded at t closes (recorded_to = t) the versions it makes untrue and opens the ones it makes
 * true; a version opened and closed within the same instant was never observable and is dropped.
 */
export function bitemporalVersions(stream: readonly Fact[]): BitemporalVersion[] {
  const known: Fact[] = [];
  const reversed = new Set<string>();
  let open = new Map<string, BitemporalVersion>();
  const closed: BitemporalVersion[] = [];
  for (const event of stream) {
    if (event.type === 'EntryReversed') reversed.add(event.data.eventId);
    else known.push(event);
    const recordedAt = event.recordedAt;
    const next = new Map<string, BitemporalVersion>();
    for (const version of timelineOf(known.filter((fact) => !reversed.has(fact.eventId)))) {
      const key = versionKey(version);
      next.set(key, open.get(key) ?? { ...version, recordedFrom: recordedAt, recordedTo: null });
    }
    for (const [key, version] of open) {
      if (!next.has(key) && version.recordedFrom !== recordedAt) closed.push({ ...version, recordedTo: recordedAt });
    }
    open = next;
  }
  return [...closed, ...open.values()];
}
