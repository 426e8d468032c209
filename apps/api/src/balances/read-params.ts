import { AmountSchema, CalendarDateSchema, CurrencyOrUnitSchema, InstantSchema, QualifierSchema, SlugSchema } from '@ledger/domain';
import { z } from 'zod';

/**
 * The query parameters every read shares: the point in time (`asOf`, `knownAt`) and the cursor of
 * a paged list (`after`, `limit`). Balances own them because they are the reads the point matters
 * most to; commitments and the other lists import them from here.
 */

export const AtFields = {
  asOf: CalendarDateSchema.optional().describe('the valid-time day (YYYY-MM-DD); today in UTC when left out'),
  knownAt: InstantSchema.optional().describe('what the ledger knew at this instant; now when left out'),
};
export const AtQuerySchema = z.strictObject(AtFields);
export type AtQuery = z.infer<typeof AtQuerySchema>;

/** The point a read is answered at, both halves always present and `knownAt` in UTC (`toISOString`). */
export interface PointInTime {
  readonly asOf: string;
  readonly knownAt: string;
}

/**
 * Defaults are taken per request, so a query without them reads "today, as known now"; they are
 * not schema defaults because those would be frozen into the OpenAPI document.
 */
export function pointInTime(query: { readonly asOf?: string | undefined; readonly knownAt?: string | undefined }): PointInTime {
  const now = new Date();
  return {
    asOf: query.asOf ?? now.toISOString().slice(0, 10),
    knownAt: query.knownAt !== undefined ? new Date(query.knownAt).toISOString() : now.toISOString(),
  };
}

export const PageFields = {
  after: SlugSchema.optional().describe('the last id of the previous page; the page starts after it'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('how many items, at most'),
};
export const PageQuerySchema = z.strictObject(PageFields);
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** `{ after, limit }` without an `after` key when none was given (exactOptionalPropertyTypes). */
export function pageOf(query: { readonly after?: string | undefined; readonly limit: number }): { after?: string; limit: number } {
  return query.after !== undefined ? { after: query.after, limit: query.limit } : { limit: query.limit };
}

export const NextSchema = SlugSchema.nullable().describe('pass as `after` for the next page; null on the last page');

/** One unit's sum: low and high bounds as exact decimal strings, how many commitments, which qualifiers. */
export const TotalSchema = z
  .object({
    unit: CurrencyOrUnitSchema,
    low: AmountSchema,
    high: AmountSchema,
    commitments: z.number().int(),
    qualifiers: z.array(QualifierSchema),
  })
  .meta({ id: 'Total' });

export const TotalsFields = {
  totals: z.array(TotalSchema),
  unquantified: z.number().int().describe('commitments in effect that state no figure'),
};
export const TotalsSchema = z.object(TotalsFields).meta({ id: 'Totals' });

/** The point a balance was answered at, echoed back. */
export const PointInTimeFields = {
  asOf: CalendarDateSchema,
  knownAt: z.string().describe('RFC 3339 UTC'),
};
