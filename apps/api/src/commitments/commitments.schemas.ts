import { CommitmentAnnouncedSchema, EffectiveDateSchema, QuantitySchema, SlugSchema } from '@ledger/domain';
import { z } from 'zod';
import { AtFields, NextSchema, PageFields, PointInTimeFields } from '../balances/read-params';

export const CommitmentsQuerySchema = z.strictObject({
  programme: SlugSchema.optional().describe('only commitments of this programme or of its components'),
  institution: SlugSchema.optional().describe('only commitments this institution is among the pledgers of'),
  ...AtFields,
  ...PageFields,
});
export type CommitmentsQuery = z.infer<typeof CommitmentsQuerySchema>;

/** A commitment in a list: its announced fields at their level in force, and where that level comes from. */
export const CommitmentListItemSchema = CommitmentAnnouncedSchema.extend({
  effectiveOn: EffectiveDateSchema.describe('the effective date of the announcement or revision the figure comes from'),
}).meta({ id: 'CommitmentListItem' });

export const CommitmentsPageSchema = z
  .object({ commitments: z.array(CommitmentListItemSchema), next: NextSchema, ...PointInTimeFields })
  .meta({ id: 'CommitmentsPage' });

/** One commitment as it stood at a point in time (the domain's CommitmentView). */
export const CommitmentSchema = CommitmentAnnouncedSchema.extend({
  status: z.enum(['active', 'withdrawn']),
  effectiveOn: EffectiveDateSchema.describe('the effective date of the announcement or revision the figure comes from'),
  announcedOn: EffectiveDateSchema,
  version: z.number().int().describe('the highest stream version recorded by knownAt'),
}).meta({ id: 'Commitment' });

export const HistoryEntrySchema = z
  .object({
    position: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    version: z.number().int(),
    effectiveOn: EffectiveDateSchema,
    recordedAt: z.string().describe('RFC 3339 UTC'),
    recordedBy: z.string(),
    sources: z.array(SlugSchema),
    data: z.record(z.string(), z.unknown()),
    quantityBefore: QuantitySchema.nullable().describe('the quantity in force at the effective date just before this event was recorded'),
    quantityAfter: QuantitySchema.nullable().describe('the same just after'),
  })
  .meta({ id: 'HistoryEntry' });

export const CommitmentHistorySchema = z
  .object({ commitment: SlugSchema, events: z.array(HistoryEntrySchema) })
  .meta({ id: 'CommitmentHistory' });
