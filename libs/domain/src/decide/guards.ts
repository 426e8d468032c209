import { DomainError } from '../errors';
import { isWithdrawn, type CommitmentState, type ProgrammeState, type RegistrationState } from '../state';

/** Registered states of the ids a command names, as the handler loaded them; a missing id is unknown. */
export type Registry<S = RegistrationState> = ReadonlyMap<string, S>;

export function requireSources(ids: readonly string[], sources: Registry): void {
  const unknown = ids.filter((id) => !sources.get(id)?.registered);
  if (unknown.length > 0) {
    throw new DomainError('unknown-source', `unknown source: ${unknown.join(', ')}`, { sources: unknown });
  }
}

export function requireInstitutions(ids: readonly string[], institutions: Registry): void {
  const unknown = ids.filter((id) => !institutions.get(id)?.registered);
  if (unknown.length > 0) {
    throw new DomainError('unknown-institution', `unknown institution: ${unknown.join(', ')}`, { institutions: unknown });
  }
}

export function requireProgrammes(ids: readonly string[], programmes: Registry<ProgrammeState>): void {
  const unknown = ids.filter((id) => !programmes.get(id)?.registered);
  if (unknown.length > 0) {
    throw new DomainError('unknown-programme', `unknown programme: ${unknown.join(', ')}`, { programmes: unknown });
  }
}

export function requireNew(kind: string, id: string, state: { readonly registered: boolean }): void {
  if (state.registered) throw new DomainError('already-registered', `${kind} ${id} is already registered`, { id });
}

/** A commitment that stands: announced, and its announcement not reversed. */
export function requireCommitment(id: string, state: CommitmentState | undefined): CommitmentState {
  if (!state?.exists) throw new DomainError('unknown-commitment', `unknown commitment: ${id}`, { commitment: id });
  return state;
}

export function requireNotWithdrawn(id: string, state: CommitmentState): void {
  if (isWithdrawn(state)) {
    throw new DomainError('commitment-withdrawn', `commitment ${id} was withdrawn`, { commitment: id });
  }
}
