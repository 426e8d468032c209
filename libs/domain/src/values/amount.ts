import { z } from 'zod';

/**
 * Amounts are decimal strings in major units. Arithmetic goes through BigInt scaled by 10^18 so
 * that no amount ever passes through a JavaScript number, which would silently round large figures.
 */
const FRACTION_DIGITS = 18;
const INTEGER_DIGITS = 30;
const SCALE = 10n ** BigInt(FRACTION_DIGITS);
const PLAIN_DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/;

/**
 * The canonical spelling of a non-negative plain decimal: no leading zeros, no trailing fractional
 * zeros, no '+', '0' for zero. Throws on anything that is not a plain decimal.
 */
export function normaliseAmount(amount: string): string {
  if (!PLAIN_DECIMAL.test(amount)) throw new Error(`not a plain decimal amount: ${JSON.stringify(amount)}`);
  const [integerPart = '0', fractionPart = ''] = amount.split('.');
  const integer = integerPart.replace(/^0+(?=.)/, '');
  const fraction = fractionPart.replace(/0+$/, '');
  return fraction === '' ? integer : `${integer}.${fraction}`;
}

// Both conversions work on the digits as a string, one BigInt parse or print each: normalising
// first and splitting into integer and fraction BigInts cost several times as much, and a balance
// adds up dozens of amounts per request.
function toScaled(amount: string): bigint {
  if (!PLAIN_DECIMAL.test(amount)) throw new Error(`not a plain decimal amount: ${JSON.stringify(amount)}`);
  const dot = amount.indexOf('.');
  if (dot < 0) return BigInt(amount) * SCALE;
  let fraction = amount.slice(dot + 1);
  if (fraction.length > FRACTION_DIGITS) fraction = fraction.replace(/0+$/, '');
  if (fraction.length > FRACTION_DIGITS) throw new Error(`more than ${FRACTION_DIGITS} fraction digits: ${amount}`);
  return BigInt(amount.slice(0, dot) + fraction.padEnd(FRACTION_DIGITS, '0'));
}

function fromScaled(scaled: bigint): string {
  if (scaled < 0n) throw new Error('amounts are never negative');
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, '0');
  const integer = digits.slice(0, -FRACTION_DIGITS);
  let end = digits.length;
  while (end > integer.length && digits.charCodeAt(end - 1) === 48) end -= 1; // trailing '0's
  return end === integer.length ? integer : `${integer}.${digits.slice(integer.length, end)}`;
}

/** Compares two amounts by value ("7.50" equals "7.5"). */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const x = toScaled(a);
  const y = toScaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact sum of any number of amounts; '0' for none. */
export function sumAmounts(amounts: readonly string[]): string {
  return fromScaled(amounts.reduce((total, amount) => total + toScaled(amount), 0n));
}

/**
 * A non-negative decimal string in major units. Rejects JSON numbers (floats lose money),
 * exponents, signs, and figures beyond 30 integer or 18 fraction digits; the parsed value is the
 * normalised spelling ("007.50" becomes "7.5").
 */
export const AmountSchema = z
  .string()
  .regex(PLAIN_DECIMAL, 'must be a non-negative decimal string such as "200000000000" or "0.5", without exponent or sign')
  // A value that failed the pattern is left alone: zod still runs later checks and must not throw.
  .overwrite((amount) => (PLAIN_DECIMAL.test(amount) ? normaliseAmount(amount) : amount))
  .refine((amount) => (amount.split('.')[0] ?? '').length <= INTEGER_DIGITS, `at most ${INTEGER_DIGITS} integer digits`)
  .refine((amount) => (amount.split('.')[1] ?? '').length <= FRACTION_DIGITS, `at most ${FRACTION_DIGITS} fraction digits`)
  .meta({ id: 'Amount', description: 'A decimal amount in major units, as a string', example: '200000000000' });

export type Amount = z.infer<typeof AmountSchema>;
