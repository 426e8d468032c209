import { z } from 'zod';
import { AmountSchema, compareAmounts } from './amount';

const ISO_CURRENCY = /^[A-Z]{3}$/;
const POWER_UNIT = /^(?:GW|MW)$/;
const UNIT_SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/**
 * Three lowercase letters look like a mistyped currency code ("eur"), and "gw" or "mw" like a
 * mistyped power unit, so they are refused rather than becoming a unit of their own.
 */
const LOWERCASE_LOOKALIKE = /^(?:[a-z]{3}|gw|mw)$/;

/**
 * An ISO 4217 currency code (`EUR`, `USD`) or a capacity unit: a lowercase slug
 * (`ai-factory`, `ai-gigafactory`) or a power unit (`GW`, `MW`).
 */
export const CurrencyOrUnitSchema = z
  .string()
  .max(40)
  .refine(
    (unit) =>
      ISO_CURRENCY.test(unit) || POWER_UNIT.test(unit) || (UNIT_SLUG.test(unit) && !LOWERCASE_LOOKALIKE.test(unit)),
    'must be an uppercase ISO 4217 currency code (EUR), GW, MW, or a lowercase capacity unit slug (ai-factory)',
  )
  .meta({ id: 'Unit', example: 'EUR' });

export const QUALIFIERS = ['exact', 'about', 'up-to', 'at-least', 'range', 'unquantified'] as const;
export const QualifierSchema = z.enum(QUALIFIERS).meta({ id: 'Qualifier' });
export type Qualifier = z.infer<typeof QualifierSchema>;

const UnquantifiedSchema = z.strictObject({
  unit: CurrencyOrUnitSchema,
  qualifier: z.literal('unquantified'),
});

const QuantifiedSchema = z
  .strictObject({
    unit: CurrencyOrUnitSchema,
    low: AmountSchema,
    high: AmountSchema,
    qualifier: z.enum(['exact', 'about', 'up-to', 'at-least', 'range']),
  })
  .superRefine((quantity, ctx) => {
    // zod runs this even when an amount already failed its own check; that failure is the answer.
    if (!AmountSchema.safeParse(quantity.low).success || !AmountSchema.safeParse(quantity.high).success) return;
    const order = compareAmounts(quantity.low, quantity.high);
    if (order > 0) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: 'low must not be above high' });
    } else if (quantity.qualifier === 'range' && order === 0) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'a range needs low below high' });
    } else if (quantity.qualifier !== 'range' && order !== 0) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: `an ${quantity.qualifier} figure stores low equal to high` });
    }
  });

/**
 * A unit with an interval and a qualifier. Only `range` has low < high; `exact`, `about`, `up-to`
 * and `at-least` keep low = high and say how to read it; `unquantified` carries no amount at all.
 */
export const QuantitySchema = z
  .discriminatedUnion('qualifier', [UnquantifiedSchema, QuantifiedSchema])
  .meta({ id: 'Quantity' });
export type Quantity = z.infer<typeof QuantitySchema>;
export type QuantifiedQuantity = Extract<Quantity, { low: string }>;

export function isQuantified(quantity: Quantity): quantity is QuantifiedQuantity {
  return quantity.qualifier !== 'unquantified';
}

/** Two quantities state the same figure: same unit, qualifier and interval (compared by value). */
export function sameQuantity(a: Quantity, b: Quantity): boolean {
  if (a.unit !== b.unit || a.qualifier !== b.qualifier) return false;
  if (!isQuantified(a) || !isQuantified(b)) return true;
  return compareAmounts(a.low, b.low) === 0 && compareAmounts(a.high, b.high) === 0;
}
