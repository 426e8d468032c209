import { InstitutionRegisteredSchema, SlugSchema } from '@ledger/domain';
import { z } from 'zod';
import { NextSchema, PointInTimeFields, TotalSchema } from '../balances/read-params';

/** An institution as registered: the fields of its InstitutionRegistered event. */
export const InstitutionSchema = InstitutionRegisteredSchema.meta({ id: 'Institution' });

export const InstitutionsPageSchema = z
  .object({ institutions: z.array(InstitutionSchema), next: NextSchema })
  .meta({ id: 'InstitutionsPage' });

const PledgedFields = {
  alone: z.array(TotalSchema).describe('commitments the institution pledged as the only pledger'),
  jointly: z.array(TotalSchema).describe('commitments it pledged together with others, each counted whole'),
  unquantified: z.number().int(),
};

/** An institution's balance without the point in time, as `GET /v1/balances?by=institution` lists it. */
export const InstitutionTotalsSchema = z
  .object({ institution: SlugSchema, ...PledgedFields })
  .meta({ id: 'InstitutionTotals' });

/** What an institution has pledged at a point in time. */
export const InstitutionBalanceSchema = z
  .object({ institution: SlugSchema, ...PointInTimeFields, ...PledgedFields })
  .meta({ id: 'InstitutionBalance' });
