import { sourceRegistrationEnvelope, type RegisterInstitution, type RegisterProgramme, type RegisterSource } from '../commands';
import { DomainError } from '../errors';
import type { InstitutionRegistered, ProgrammeRegistered, SourceRegistered } from '../events';
import type { ProgrammeState, RegistrationState } from '../state';
import { requireInstitutions, requireNew, requireSources, type Registry } from './guards';

/**
 * Registers a source. The sources it cites besides itself must be registered.
 * @throws DomainError already-registered, unknown-source
 */
export function decideRegisterSource(
  command: RegisterSource,
  context: { readonly source: RegistrationState; readonly sources: Registry },
): SourceRegistered[] {
  requireNew('source', command.id, context.source);
  requireSources(sourceRegistrationEnvelope(command).sources.filter((id) => id !== command.id), context.sources);
  const { id, publisher, title, language, publishedOn, url, origin } = command;
  return [{ type: 'SourceRegistered', data: { id, publisher, title, language, publishedOn, url, origin } }];
}

/**
 * Registers an institution.
 * @throws DomainError already-registered, unknown-source
 */
export function decideRegisterInstitution(
  command: RegisterInstitution,
  context: { readonly institution: RegistrationState; readonly sources: Registry },
): InstitutionRegistered[] {
  requireNew('institution', command.id, context.institution);
  requireSources(command.sources, context.sources);
  const { id, name, kind, country, aliases } = command;
  return [{ type: 'InstitutionRegistered', data: { id, name, kind, country, aliases } }];
}

/**
 * Registers a programme, optionally as a component of a registered parent. Only a programme
 * naming itself can close a parent cycle: the parent must already be registered and its chain is
 * fixed then, while this id was never registered (registrations cannot be reversed).
 * @throws DomainError already-registered, programme-cycle, unknown-programme, unknown-institution, unknown-source
 */
export function decideRegisterProgramme(
  command: RegisterProgramme,
  context: {
    readonly programme: ProgrammeState;
    readonly parent: ProgrammeState | undefined;
    readonly institutions: Registry;
    readonly sources: Registry;
  },
): ProgrammeRegistered[] {
  requireNew('programme', command.id, context.programme);
  if (command.parent !== null) {
    if (command.parent === command.id) {
      throw new DomainError('programme-cycle', `programme ${command.id} cannot be a component of itself`, {
        programme: command.id,
        parent: command.parent,
      });
    }
    if (!context.parent?.registered) {
      throw new DomainError('unknown-programme', `unknown programme: ${command.parent}`, { programmes: [command.parent] });
    }
  }
  requireInstitutions(command.owners, context.institutions);
  requireSources(command.sources, context.sources);
  const { id, name, aliases, parent, owners } = command;
  return [{ type: 'ProgrammeRegistered', data: { id, name, aliases, parent, owners } }];
}
