import { z } from 'zod';
import { InstitutionTotalsSchema } from '../institutions/institutions.schemas';
import { ProgrammeTotalsSchema } from '../programmes/programmes.schemas';
import { AtFields, PointInTimeFields, TotalsSchema } from './read-params';

export const BalancesQuerySchema = z.strictObject({
  by: z.enum(['programme', 'institution']).describe('whose balances to list'),
  ...AtFields,
});
export type BalancesQuery = z.infer<typeof BalancesQuerySchema>;

/** Every balance at once; the grand total counts each root commitment once. */
export const AllBalancesSchema = z
  .union([
    z.object({ by: z.literal('programme'), ...PointInTimeFields, balances: z.array(ProgrammeTotalsSchema), grandTotal: TotalsSchema }),
    z.object({ by: z.literal('institution'), ...PointInTimeFields, balances: z.array(InstitutionTotalsSchema), grandTotal: TotalsSchema }),
  ])
  .meta({ id: 'AllBalances' });
