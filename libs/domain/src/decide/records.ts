import type { Citation, NoteDiscrepancy, ReverseEntry, SignAgreement } from '../commands';
import { DomainError } from '../errors';
import type { AgreementSigned, DiscrepancyNoted, EntryReversed, RecordedLedgerEvent } from '../events';
import type { CommitmentState, ProgrammeState, RegistrationState } from '../state';
import { requireCommitment, requireInstitutions, requireNew, requireProgrammes, requireSources, type Registry } from './guards';

/**
 * Records a signed agreement between registered institutions about registered programmes.
 * @throws DomainError already-registered, unknown-institution, unknown-programme, unknown-source
 */
export function decideSignAgreement(
  command: SignAgreement,
  context: {
    readonly agreement: RegistrationState;
    readonly institutions: Registry;
    readonly programmes: Registry<ProgrammeState>;
    readonly sources: Registry;
  },
): AgreementSigned[] {
  requireNew('agreement', command.id, context.agreement);
  requireInstitutions(command.parties, context.institutions);
  requireProgrammes(command.programmes, context.programmes);
  requireSources(command.sources, context.sources);
  const { id, kind, parties, programmes } = command;
  return [{ type: 'AgreementSigned', data: { id, kind, parties, programmes } }];
}

/**
 * Records that sources disagree. The sources of every account must be registered, like the
 * citations of the write itself.
 * @throws DomainError already-registered, unknown-commitment, unknown-source
 */
export function decideNoteDiscrepancy(
  command: NoteDiscrepancy,
  context: { readonly discrepancy: RegistrationState; readonly commitment: CommitmentState | undefined; readonly sources: Registry },
): DiscrepancyNoted[] {
  requireNew('discrepancy', command.id, context.discrepancy);
  if (command.commitment !== null) requireCommitment(command.commitment, context.commitment);
  requireSources([...new Set([...command.sources, ...command.accounts.flatMap((account) => account.sources)])], context.sources);
  const { id, commitment, field, accounts, note } = command;
  return [{ type: 'DiscrepancyNoted', data: { id, commitment, field, accounts, note } }];
}

/** Registrations fix ids others refer to, and reversals would chain, so neither can be reversed. */
const NOT_REVERSIBLE = new Set(['SourceRegistered', 'InstitutionRegistered', 'ProgrammeRegistered', 'EntryReversed']);

export function isReversible(type: string): boolean {
  return !NOT_REVERSIBLE.has(type);
}

/**
 * Undoes a recording mistake by naming it. `target` is the event to reverse (undefined when no
 * event has that id) and `stream` every event of its stream, so a second reversal is refused.
 * The handler appends the result to the target's stream with the target's effective date and
 * sources in the envelope.
 * @throws DomainError unknown-event, not-reversible, already-reversed
 */
export function decideReverseEntry(
  eventId: string,
  command: ReverseEntry,
  context: { readonly target: RecordedLedgerEvent | undefined; readonly stream: readonly RecordedLedgerEvent[] },
): EntryReversed[] {
  const target = context.target;
  if (!target) throw new DomainError('unknown-event', `unknown event: ${eventId}`, { eventId });
  if (!isReversible(target.type)) {
    throw new DomainError('not-reversible', `a ${target.type} cannot be reversed`, { eventId, type: target.type });
  }
  const earlier = context.stream.find((event) => event.type === 'EntryReversed' && event.data.eventId === target.eventId);
  if (earlier) {
    throw new DomainError('already-reversed', `event ${eventId} was already reversed`, { eventId, reversedBy: earlier.eventId });
  }
  return [{ type: 'EntryReversed', data: { eventId: target.eventId, reversedType: target.type, reason: command.reason } }];
}

/** The envelope citation of a reversal: the reversed event's own effective date and sources. */
export function reversalCitation(target: RecordedLedgerEvent): Citation {
  return { sources: [...target.metadata.sources], effectiveOn: target.metadata.effectiveOn };
}
