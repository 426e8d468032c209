import { EffectiveDateSchema, SourceRegisteredSchema } from '@ledger/domain';
import { z } from 'zod';
import { NextSchema } from '../balances/read-params';

/** A source as registered: the fields of its SourceRegistered event. */
export const SourceSchema = SourceRegisteredSchema.meta({ id: 'Source' });

export const SourcesPageSchema = z.object({ sources: z.array(SourceSchema), next: NextSchema }).meta({ id: 'SourcesPage' });

export const CitationSchema = z
  .object({
    position: z.number().int(),
    eventId: z.string(),
    stream: z.string(),
    type: z.string(),
    effectiveOn: EffectiveDateSchema,
    recordedAt: z.string().describe('RFC 3339 UTC'),
  })
  .meta({ id: 'Citation' });

export const SourceDetailSchema = SourceRegisteredSchema.extend({
  citations: z.array(CitationSchema).describe('every event that cites the source, in journal order'),
}).meta({ id: 'SourceDetail' });
