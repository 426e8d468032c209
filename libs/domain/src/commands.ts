import { z } from 'zod';
import {
  AgreementSignedSchema,
  CommitmentAnnouncedSchema,
  CommitmentCorroboratedSchema,
  CommitmentRevisedSchema,
  CommitmentWithdrawnSchema,
  DiscrepancyNotedSchema,
  EntryReversedSchema,
  InstitutionRegisteredSchema,
  ProgrammeRegisteredSchema,
  SourceRegisteredSchema,
} from './events';
import { EffectiveDateSchema } from './values/dates';
import { uniqueSlugs } from './values/ids';

/**
 * The request bodies of the write API (docs api.md). Each is the event payload it leads to plus
 * the citation (`sources`) and the valid time (`effectiveOn`), so no field is restated by hand.
 * Path parameters (a commitment's id, a reversed event's id) are not part of the bodies.
 */
const Citation = { sources: uniqueSlugs(1), effectiveOn: EffectiveDateSchema };

/**
 * A source is the citation itself, so its own `sources` and `effectiveOn` may be left out: the
 * registration then cites the source it registers and takes effect on its publication date
 * (see `sourceRegistrationEnvelope`).
 */
export const RegisterSourceSchema = SourceRegisteredSchema.extend({
  sources: uniqueSlugs(1).optional(),
  effectiveOn: EffectiveDateSchema.optional(),
}).meta({ id: 'RegisterSource' });

export const RegisterInstitutionSchema = InstitutionRegisteredSchema.extend(Citation).meta({ id: 'RegisterInstitution' });

export const RegisterProgrammeSchema = ProgrammeRegisteredSchema.extend(Citation).meta({ id: 'RegisterProgramme' });

export const AnnounceCommitmentSchema = CommitmentAnnouncedSchema.extend(Citation).meta({ id: 'AnnounceCommitment' });

export const CorroborateCommitmentSchema = CommitmentCorroboratedSchema.omit({ commitment: true })
  .extend(Citation)
  .meta({ id: 'CorroborateCommitment' });

/** Either part may be left out and keeps its level as of the revision's effective date. */
export const ReviseCommitmentSchema = CommitmentRevisedSchema.omit({ commitment: true })
  .partial({ quantity: true, pledgers: true })
  .extend(Citation)
  .refine((body) => body.quantity !== undefined || body.pledgers !== undefined, {
    message: 'a revision states a quantity, pledgers, or both',
    path: ['quantity'],
  })
  .meta({ id: 'ReviseCommitment' });

export const WithdrawCommitmentSchema = CommitmentWithdrawnSchema.omit({ commitment: true })
  .extend(Citation)
  .meta({ id: 'WithdrawCommitment' });

export const SignAgreementSchema = AgreementSignedSchema.extend(Citation).meta({ id: 'SignAgreement' });

export const NoteDiscrepancySchema = DiscrepancyNotedSchema.extend(Citation).meta({ id: 'NoteDiscrepancy' });

/** A reversal takes the effective date and citations of the event it reverses. */
export const ReverseEntrySchema = EntryReversedSchema.pick({ reason: true }).meta({ id: 'ReverseEntry' });

export type RegisterSource = z.infer<typeof RegisterSourceSchema>;
export type RegisterInstitution = z.infer<typeof RegisterInstitutionSchema>;
export type RegisterProgramme = z.infer<typeof RegisterProgrammeSchema>;
export type AnnounceCommitment = z.infer<typeof AnnounceCommitmentSchema>;
export type CorroborateCommitment = z.infer<typeof CorroborateCommitmentSchema>;
export type ReviseCommitment = z.infer<typeof ReviseCommitmentSchema>;
export type WithdrawCommitment = z.infer<typeof WithdrawCommitmentSchema>;
export type SignAgreement = z.infer<typeof SignAgreementSchema>;
export type NoteDiscrepancy = z.infer<typeof NoteDiscrepancySchema>;
export type ReverseEntry = z.infer<typeof ReverseEntrySchema>;

/** The citation and valid time a write puts in its events' envelope. */
export interface Citation {
  readonly sources: readonly string[];
  readonly effectiveOn: string;
}

/** A source registration cites itself and takes effect when published, unless the body says otherwise. */
export function sourceRegistrationEnvelope(command: RegisterSource): Citation {
  return { sources: command.sources ?? [command.id], effectiveOn: command.effectiveOn ?? command.publishedOn };
}
