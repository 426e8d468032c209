import type { RecordedLedgerEvent } from './events';
import { compareDates, dateStart } from './values/dates';
import type { Quantity } from './values/quantity';

/**
 * States are folds (`evolve`) over one stream's recorded events, in stream order, taking every
 * event appended so far into account: decisions are taken against what the ledger knows now.
 * An `EntryReversed` removes the fact it names, as if it had never been recorded.
 */

/** Sources, institutions, agreements and discrepancies: what a decision needs is whether the id is taken. */
export interface RegistrationState {
  readonly registered: boolean;
}

export const initialRegistrationState: RegistrationState = { registered: false };

/** Registrations cannot be reversed, so any registration event in the stream takes the id for good. */
export function evolveRegistration(state: RegistrationState, event: RecordedLedgerEvent): RegistrationState {
  switch (event.type) {
    case 'SourceRegistered':
    case 'InstitutionRegistered':
    case 'AgreementSigned':
    case 'DiscrepancyNoted':
      return { registered: true };
    default:
      return state;
  }
}

export interface ProgrammeState {
  readonly registered: boolean;
  readonly parent: string | null;
}

export const initialProgrammeState: ProgrammeState = { registered: false, parent: null };

export function evolveProgramme(state: ProgrammeState, event: RecordedLedgerEvent): ProgrammeState {
  return event.type === 'ProgrammeRegistered' ? { registered: true, parent: event.data.parent } : state;
}

/** An announcement or revision still standing: the figure and pledgers from its effective date on. */
export interface Figure {
  readonly eventId: string;
  readonly position: number;
  readonly effectiveOn: string;
  readonly quantity: Quantity;
  readonly pledgers: readonly string[];
}

export interface CommitmentState {
  /** True once any announcement was appended, even a reversed one: commitment ids are never reused. */
  readonly announced: boolean;
  /** True while the announcement stands (it was not reversed). */
  readonly exists: boolean;
  readonly id: string | null;
  readonly partOf: string | null;
  /** Unit of the announced quantity; every later figure keeps it. */
  readonly unit: string | null;
  readonly figures: readonly Figure[];
  /** Event ids of the withdrawals still standing. */
  readonly withdrawals: readonly string[];
}

export const initialCommitmentState: CommitmentState = {
  announced: false,
  exists: false,
  id: null,
  partOf: null,
  unit: null,
  figures: [],
  withdrawals: [],
};

export function evolveCommitment(state: CommitmentState, event: RecordedLedgerEvent): CommitmentState {
  switch (event.type) {
    case 'CommitmentAnnounced': {
      const figure = toFigure(event, event.data.quantity, event.data.pledgers);
      return {
        ...state,
        announced: true,
        exists: true,
        id: event.data.id,
        partOf: event.data.partOf,
        unit: event.data.quantity.unit,
        figures: [...state.figures, figure],
      };
    }
    case 'CommitmentRevised':
      return { ...state, figures: [...state.figures, toFigure(event, event.data.quantity, event.data.pledgers)] };
    case 'CommitmentWithdrawn':
      return { ...state, withdrawals: [...state.withdrawals, event.eventId] };
    case 'EntryReversed': {
      const target = event.data.eventId;
      const announcementReversed = event.data.reversedType === 'CommitmentAnnounced';
      return {
        ...state,
        exists: announcementReversed ? false : state.exists,
        figures: state.figures.filter((figure) => figure.eventId !== target),
        withdrawals: state.withdrawals.filter((withdrawal) => withdrawal !== target),
      };
    }
    case 'CommitmentCorroborated':
    case 'SourceRegistered':
    case 'InstitutionRegistered':
    case 'ProgrammeRegistered':
    case 'AgreementSigned':
    case 'DiscrepancyNoted':
      return state;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function toFigure(event: RecordedLedgerEvent, quantity: Quantity, pledgers: readonly string[]): Figure {
  return { eventId: event.eventId, position: event.position, effectiveOn: event.metadata.effectiveOn, quantity, pledgers };
}

/** Folds a whole stream. */
export function commitmentStateOf(events: readonly RecordedLedgerEvent[]): CommitmentState {
  return events.reduce(evolveCommitment, initialCommitmentState);
}

export function programmeStateOf(events: readonly RecordedLedgerEvent[]): ProgrammeState {
  return events.reduce(evolveProgramme, initialProgrammeState);
}

export function registrationStateOf(events: readonly RecordedLedgerEvent[]): RegistrationState {
  return events.reduce(evolveRegistration, initialRegistrationState);
}

export function isWithdrawn(state: CommitmentState): boolean {
  return state.withdrawals.length > 0;
}

/**
 * The figure in force on a date: the standing announcement or revision with the latest effective
 * date on or before it, the later position winning a tie (docs/design.md, balance semantics 4).
 * For a date before every figure, the earliest figure stands in, so a claim dated before the
 * announcement is compared with what was announced.
 */
export function figureAt(state: CommitmentState, date: string): Figure | undefined {
  const ordered = [...state.figures].sort(
    (a, b) => compareDates(a.effectiveOn, b.effectiveOn) || a.position - b.position,
  );
  const onOrBefore = ordered.filter((figure) => dateStart(figure.effectiveOn) <= dateStart(date));
  return onOrBefore.at(-1) ?? ordered[0];
}

/** The latest figure by effective date: the commitment as it stands for all known time. */
export function currentFigure(state: CommitmentState): Figure | undefined {
  return figureAt(state, '9999-12-31');
}
