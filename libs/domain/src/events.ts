import { z } from 'zod';
import { EffectiveDateSchema } from './values/dates';
import { SlugSchema, uniqueSlugs } from './values/ids';
import { QuantitySchema } from './values/quantity';

/** BCP 47 tags as the sources use them: a language, optionally a script and a region (`en-GB`, `zh-Hant-TW`). */
export const LanguageTagSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/, 'must be a BCP 47 language tag such as en, fr or en-GB')
  .meta({ id: 'LanguageTag', example: 'fr' });

export const HttpUrlSchema = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2000);

export const INSTITUTION_KINDS = ['eu-institution', 'eu-body', 'bank', 'government', 'company', 'investment-fund', 'group'] as const;
export const InstitutionKindSchema = z.enum(INSTITUTION_KINDS).meta({ id: 'InstitutionKind' });
export type InstitutionKind = z.infer<typeof InstitutionKindSchema>;

export const COMMITMENT_KINDS = ['mobilisation-target', 'pledge', 'commitment', 'capacity'] as const;
export const CommitmentKindSchema = z.enum(COMMITMENT_KINDS).meta({ id: 'CommitmentKind' });
export type CommitmentKind = z.infer<typeof CommitmentKindSchema>;

/** A country or a union of countries as an uppercase two-letter code (`FR`, `US`, `EU`). */
export const CountrySchema = z.string().regex(/^[A-Z]{2}$/, 'must be an uppercase two-letter code such as FR or EU');

const Name = z.string().trim().min(1).max(300);
const Aliases = z.array(Name).max(100);
const Reason = z.string().trim().min(1).max(2000);
const Horizon = z.string().trim().min(1).max(200);

export const SourceRegisteredSchema = z.strictObject({
  id: SlugSchema,
  publisher: Name,
  title: z.string().trim().min(1).max(1000),
  language: LanguageTagSchema,
  publishedOn: EffectiveDateSchema,
  url: HttpUrlSchema.nullable(),
  origin: SlugSchema,
});

export const InstitutionRegisteredSchema = z.strictObject({
  id: SlugSchema,
  name: Name,
  kind: InstitutionKindSchema,
  country: CountrySchema.nullable(),
  aliases: Aliases,
});

export const ProgrammeRegisteredSchema = z.strictObject({
  id: SlugSchema,
  name: Name,
  aliases: Aliases,
  parent: SlugSchema.nullable(),
  owners: uniqueSlugs(0),
});

export const CommitmentAnnouncedSchema = z.strictObject({
  id: SlugSchema,
  programme: SlugSchema,
  pledgers: uniqueSlugs(1),
  announcedBy: SlugSchema,
  kind: CommitmentKindSchema,
  quantity: QuantitySchema,
  partOf: SlugSchema.nullable(),
  horizon: Horizon.nullable(),
});

export const CommitmentCorroboratedSchema = z.strictObject({
  commitment: SlugSchema,
  quantity: QuantitySchema,
});

/** A revision states levels, never deltas: the whole resulting quantity and pledger list. */
export const CommitmentRevisedSchema = z.strictObject({
  commitment: SlugSchema,
  quantity: QuantitySchema,
  pledgers: uniqueSlugs(1),
  reason: Reason,
});

export const CommitmentWithdrawnSchema = z.strictObject({
  commitment: SlugSchema,
  reason: Reason,
});

export const AgreementSignedSchema = z.strictObject({
  id: SlugSchema,
  kind: SlugSchema,
  parties: uniqueSlugs(1),
  programmes: uniqueSlugs(0),
});

export const DiscrepancyAccountSchema = z.strictObject({
  value: z.string().trim().min(1).max(500),
  sources: uniqueSlugs(1),
});

export const DiscrepancyNotedSchema = z.strictObject({
  id: SlugSchema,
  commitment: SlugSchema.nullable(),
  field: z.string().trim().min(1).max(100),
  accounts: z.array(DiscrepancyAccountSchema).min(2),
  note: z.string().trim().min(1).max(2000),
});

export const EntryReversedSchema = z.strictObject({
  eventId: z.uuid(),
  reversedType: z.string().min(1),
  reason: Reason,
});

/** One zod schema per event type: the single source of its payload's type. */
export const LedgerEventSchemas = {
  SourceRegistered: SourceRegisteredSchema,
  InstitutionRegistered: InstitutionRegisteredSchema,
  ProgrammeRegistered: ProgrammeRegisteredSchema,
  CommitmentAnnounced: CommitmentAnnouncedSchema,
  CommitmentCorroborated: CommitmentCorroboratedSchema,
  CommitmentRevised: CommitmentRevisedSchema,
  CommitmentWithdrawn: CommitmentWithdrawnSchema,
  AgreementSigned: AgreementSignedSchema,
  DiscrepancyNoted: DiscrepancyNotedSchema,
  EntryReversed: EntryReversedSchema,
} as const;

export type LedgerEventType = keyof typeof LedgerEventSchemas;

export type LedgerEventOf<T extends LedgerEventType> = {
  readonly type: T;
  readonly data: z.infer<(typeof LedgerEventSchemas)[T]>;
};

export type SourceRegistered = LedgerEventOf<'SourceRegistered'>;
export type InstitutionRegistered = LedgerEventOf<'InstitutionRegistered'>;
export type ProgrammeRegistered = LedgerEventOf<'ProgrammeRegistered'>;
export type CommitmentAnnounced = LedgerEventOf<'CommitmentAnnounced'>;
export type CommitmentCorroborated = LedgerEventOf<'CommitmentCorroborated'>;
export type CommitmentRevised = LedgerEventOf<'CommitmentRevised'>;
export type CommitmentWithdrawn = LedgerEventOf<'CommitmentWithdrawn'>;
export type AgreementSigned = LedgerEventOf<'AgreementSigned'>;
export type DiscrepancyNoted = LedgerEventOf<'DiscrepancyNoted'>;
export type EntryReversed = LedgerEventOf<'EntryReversed'>;

/** Every event the ledger records, discriminated by `type`. */
export type LedgerEvent = { [T in LedgerEventType]: LedgerEventOf<T> }[LedgerEventType];

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.prototype.hasOwnProperty.call(LedgerEventSchemas, type);
}

/**
 * Checks a stored or proposed payload against its event schema. Throws a ZodError when the data
 * does not match, and an Error when the type is unknown.
 */
export function parseEvent(type: string, data: unknown): LedgerEvent {
  if (!isLedgerEventType(type)) throw new Error(`unknown event type: ${type}`);
  return { type, data: LedgerEventSchemas[type].parse(data) } as LedgerEvent;
}

/** The domain part of every event's metadata: when the claim took effect, who says so, who wrote it. */
export const EnvelopeSchema = z.strictObject({
  effectiveOn: EffectiveDateSchema,
  sources: z.array(SlugSchema),
  recordedBy: z.string().min(1),
  idempotencyKey: z.string().min(1).optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** An event as the journal holds it: the payload plus store coordinates and the envelope. */
export type RecordedLedgerEvent = LedgerEvent & {
  readonly eventId: string;
  readonly stream: string;
  readonly version: number;
  readonly position: number;
  /** RFC 3339 instant at which the ledger appended the event (transaction time). */
  readonly recordedAt: string;
  readonly metadata: Envelope;
};

/** One stream per entity; an `EntryReversed` goes to the stream of the event it reverses. */
export const streams = {
  source: (id: string) => `source-${id}`,
  institution: (id: string) => `institution-${id}`,
  programme: (id: string) => `programme-${id}`,
  commitment: (id: string) => `commitment-${id}`,
  agreement: (id: string) => `agreement-${id}`,
  discrepancy: (id: string) => `discrepancy-${id}`,
} as const;
