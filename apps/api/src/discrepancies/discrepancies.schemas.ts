import { DiscrepancyNotedSchema, EffectiveDateSchema, SlugSchema } from '@ledger/domain';
import { z } from 'zod';
import { NextSchema } from '../balances/read-params';

/** A discrepancy as noted, with both (or all) accounts and their sources, and whether it was reversed. */
export const DiscrepancySchema = DiscrepancyNotedSchema.extend({
  effectiveOn: EffectiveDateSchema,
  sources: z.array(SlugSchema),
  recordedAt: z.string().describe('RFC 3339 UTC'),
  reversedAt: z.string().nullable().describe('RFC 3339 UTC; null unless the note was reversed'),
}).meta({ id: 'Discrepancy' });

export const DiscrepanciesPageSchema = z
  .object({ discrepancies: z.array(DiscrepancySchema), next: NextSchema })
  .meta({ id: 'DiscrepanciesPage' });
