import type {
  AnnounceCommitment,
  Citation,
  CorroborateCommitment,
  NoteDiscrepancy,
  RegisterInstitution,
  RegisterProgramme,
  RegisterSource,
  ReverseEntry,
  ReviseCommitment,
  SignAgreement,
  WithdrawCommitment,
} from '../commands';
import { sourceRegistrationEnvelope } from '../commands';
import {
  decideAnnounceCommitment,
  decideCorroborateCommitment,
  decideNoteDiscrepancy,
  decideRegisterInstitution,
  decideRegisterProgramme,
  decideRegisterSource,
  decideReverseEntry,
  decideReviseCommitment,
  decideSignAgreement,
  decideWithdrawCommitment,
  reversalCitation,
} from '../decide';
import { streams, type LedgerEvent, type RecordedLedgerEvent } from '../events';
import {
  commitmentStateOf,
  programmeStateOf,
  registrationStateOf,
  type CommitmentState,
  type ProgrammeState,
  type RegistrationState,
} from '../state';
import { instantMs } from '../values/dates';

/** Every write the API accepts, with its path parameter where it has one. */
export type LedgerCommand =
  | { readonly kind: 'RegisterSource'; readonly body: RegisterSource }
  | { readonly kind: 'RegisterInstitution'; readonly body: RegisterInstitution }
  | { readonly kind: 'RegisterProgramme'; readonly body: RegisterProgramme }
  | { readonly kind: 'AnnounceCommitment'; readonly body: AnnounceCommitment }
  | { readonly kind: 'CorroborateCommitment'; readonly commitment: string; readonly body: CorroborateCommitment }
  | { readonly kind: 'ReviseCommitment'; readonly commitment: string; readonly body: ReviseCommitment }
  | { readonly kind: 'WithdrawCommitment'; readonly commitment: string; readonly body: WithdrawCommitment }
  | { readonly kind: 'SignAgreement'; readonly body: SignAgreement }
  | { readonly kind: 'NoteDiscrepancy'; readonly body: NoteDiscrepancy }
  | { readonly kind: 'ReverseEntry'; readonly eventId: string; readonly body: ReverseEntry };

/** What a command decided: the stream it writes to, its events and their envelope citation. */
export interface Decided extends Citation {
  readonly stream: string;
  readonly events: LedgerEvent[];
}

/** A valid RFC 4122 version 4 shaped id made from a counter, so histories stay reproducible. */
export function eventIdFor(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * The write side in memory: load states from the events, decide, append. It is what a command
 * handler does, without a database, and builds the histories the tests and the generator use.
 */
export class InMemoryLedger {
  readonly events: RecordedLedgerEvent[] = [];
  private clockMs: number;

  constructor(
    start = '2026-01-01T00:00:00.000Z',
    private readonly recordedBy = 'test-writer',
  ) {
    this.clockMs = instantMs(start);
  }

  streamEvents(stream: string): RecordedLedgerEvent[] {
    return this.events.filter((event) => event.stream === stream);
  }

  private registrations(ids: readonly string[], stream: (id: string) => string): Map<string, RegistrationState> {
    return new Map(ids.map((id) => [id, registrationStateOf(this.streamEvents(stream(id)))]));
  }

  sourceStates(ids: readonly string[]) {
    return this.registrations(ids, streams.source);
  }

  institutionStates(ids: readonly string[]) {
    return this.registrations(ids, streams.institution);
  }

  programmeState(id: string): ProgrammeState {
    return programmeStateOf(this.streamEvents(streams.programme(id)));
  }

  commitmentState(id: string): CommitmentState {
    return commitmentStateOf(this.streamEvents(streams.commitment(id)));
  }

  /** Commitments announced (and standing) as direct parts of `id`. */
  partsOf(id: string): CommitmentState[] {
    return this.events
      .filter((event) => event.type === 'CommitmentAnnounced' && event.data.partOf === id)
      .map((event) => this.commitmentState((event.data as { id: string }).id))
      .filter((state) => state.exists);
  }

  /** Runs the decision for a command against the current events. Throws what the decision throws. */
  decide(command: LedgerCommand): Decided {
    switch (command.kind) {
      case 'RegisterSource': {
        const body = command.body;
        const citation = sourceRegistrationEnvelope(body);
        const events = decideRegisterSource(body, {
          source: registrationStateOf(this.streamEvents(streams.source(body.id))),
          sources: this.sourceStates(citation.sources),
        });
        return { stream: streams.source(body.id), events, ...citation };
      }
      case 'RegisterInstitution': {
        const body = command.body;
        const events = decideRegisterInstitution(body, {
          institution: registrationStateOf(this.streamEvents(streams.institution(body.id))),
          sources: this.sourceStates(body.sources),
        });
        return { stream: streams.institution(body.id), events, effectiveOn: body.effectiveOn, sources: body.sources };
      }
      case 'RegisterProgramme': {
        const body = command.body;
        const events = decideRegisterProgramme(body, {
          programme: this.programmeState(body.id),
          parent: body.parent === null ? undefined : this.programmeState(body.parent),
          institutions: this.institutionStates(body.owners),
          sources: this.sourceStates(body.sources),
        });
        return { stream: streams.programme(body.id), events, effectiveOn: body.effectiveOn, sources: body.sources };
      }
      case 'AnnounceCommitment': {
        const body = command.body;
        const events = decideAnnounceCommitment(body, {
          commitment: this.commitmentState(body.id),
          programme: this.programmeState(body.programme),
          institutions: this.institutionStates([...body.pledgers, body.announcedBy]),
          sources: this.sourceStates(body.sources),
          parent: body.partOf === null ? undefined : this.commitmentState(body.partOf),
        });
        return { stream: streams.commitment(body.id), events, effectiveOn: body.effectiveOn, sources: body.sources };
      }
      case 'CorroborateCommitment': {
        const events = decideCorroborateCommitment(command.commitment, command.body, {
          commitment: this.commitmentState(command.commitment),
          sources: this.sourceStates(command.body.sources),
        });
        return { stream: streams.commitment(command.commitment), events, ...command.body };
      }
      case 'ReviseCommitment': {
        const state = this.commitmentState(command.commitment);
        const events = decideReviseCommitment(command.commitment, command.body, {
          commitment: state,
          institutions: this.institutionStates(command.body.pledgers ?? []),
          sources: this.sourceStates(command.body.sources),
          parent: state.partOf === null ? undefined : this.commitmentState(state.partOf),
          parts: this.partsOf(command.commitment),
        });
        return { stream: streams.commitment(command.commitment), events, effectiveOn: command.body.effectiveOn, sources: command.body.sources };
      }
      case 'WithdrawCommitment': {
        const events = decideWithdrawCommitment(command.commitment, command.body, {
          commitment: this.commitmentState(command.commitment),
          sources: this.sourceStates(command.body.sources),
        });
        return { stream: streams.commitment(command.commitment), events, effectiveOn: command.body.effectiveOn, sources: command.body.sources };
      }
      case 'SignAgreement': {
        const body = command.body;
        const events = decideSignAgreement(body, {
          agreement: registrationStateOf(this.streamEvents(streams.agreement(body.id))),
          institutions: this.institutionStates(body.parties),
          programmes: new Map(body.programmes.map((id) => [id, this.programmeState(id)])),
          sources: this.sourceStates(body.sources),
        });
        return { stream: streams.agreement(body.id), events, effectiveOn: body.effectiveOn, sources: body.sources };
      }
      case 'NoteDiscrepancy': {
        const body = command.body;
        const events = decideNoteDiscrepancy(body, {
          discrepancy: registrationStateOf(this.streamEvents(streams.discrepancy(body.id))),
          commitment: body.commitment === null ? undefined : this.commitmentState(body.commitment),
          sources: this.sourceStates([...body.sources, ...body.accounts.flatMap((account) => account.sources)]),
        });
        return { stream: streams.discrepancy(body.id), events, effectiveOn: body.effectiveOn, sources: body.sources };
      }
      case 'ReverseEntry': {
        const target = this.events.find((event) => event.eventId === command.eventId);
        const events = decideReverseEntry(command.eventId, command.body, {
          target,
          stream: target ? this.streamEvents(target.stream) : [],
        });
        return { stream: target!.stream, events, ...reversalCitation(target!) };
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }

  /**
   * Decides and appends. `afterMs` moves the transaction-time clock forward before recording
   * (0 keeps the same instant, as events appended in one transaction share it).
   */
  execute(command: LedgerCommand, afterMs = 1000): RecordedLedgerEvent[] {
    const decided = this.decide(command);
    this.clockMs += afterMs;
    return decided.events.map((event) => this.append(decided.stream, event, decided.effectiveOn, decided.sources));
  }

  /** Appends an event as decided elsewhere; the recorded time is the current clock. */
  append(stream: string, event: LedgerEvent, effectiveOn: string, sources: readonly string[]): RecordedLedgerEvent {
    const recorded = {
      ...event,
      eventId: eventIdFor(this.events.length + 1),
      stream,
      version: this.streamEvents(stream).length + 1,
      position: this.events.length + 1,
      recordedAt: new Date(this.clockMs).toISOString(),
      metadata: { effectiveOn, sources: [...sources], recordedBy: this.recordedBy },
    } as RecordedLedgerEvent;
    this.events.push(recorded);
    return recorded;
  }

  /** The transaction-time clock, as an RFC 3339 instant. */
  now(): string {
    return new Date(this.clockMs).toISOString();
  }
}
