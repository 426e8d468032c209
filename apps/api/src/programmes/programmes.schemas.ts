import { ProgrammeRegisteredSchema, SlugSchema } from '@ledger/domain';
import { z } from 'zod';
import { NextSchema, PointInTimeFields, TotalsFields } from '../balances/read-params';

/** A programme as registered: the fields of its ProgrammeRegistered event. */
export const ProgrammeSchema = ProgrammeRegisteredSchema.meta({ id: 'Programme' });

export const ProgrammeDetailSchema = ProgrammeRegisteredSchema.extend({
  components: z.array(SlugSchema).describe('the programmes whose parent this one is'),
}).meta({ id: 'ProgrammeDetail' });

export const ProgrammesPageSchema = z
  .object({ programmes: z.array(ProgrammeSchema), next: NextSchema })
  .meta({ id: 'ProgrammesPage' });

export const ProgrammeComponentBalanceSchema = z
  .object({ programme: SlugSchema, ...TotalsFields })
  .meta({ id: 'ProgrammeComponentBalance' });

/** A programme's balance without the point in time, as `GET /v1/balances?by=programme` lists it. */
export const ProgrammeTotalsSchema = z
  .object({ programme: SlugSchema, ...TotalsFields, components: z.array(ProgrammeComponentBalanceSchema) })
  .meta({ id: 'ProgrammeTotals' });

/** A programme's balance over its whole subtree, and each direct component's own. */
export const ProgrammeBalanceSchema = z
  .object({
    programme: SlugSchema,
    ...PointInTimeFields,
    ...TotalsFields,
    components: z.array(ProgrammeComponentBalanceSchema),
  })
  .meta({ id: 'ProgrammeBalance' });
