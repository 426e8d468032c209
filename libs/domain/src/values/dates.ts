import { z } from 'zod';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DATE = /^(\d{4})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = FULL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A full date or a month (YYYY-MM) when a source gives only the month. */
export function isEffectiveDate(value: string): boolean {
  const month = MONTH_DATE.exec(value);
  if (month) return Number(month[2]) >= 1 && Number(month[2]) <= 12;
  return isCalendarDate(value);
}

export type Precision = 'day' | 'month';

export function precisionOf(date: string): Precision {
  return MONTH_DATE.test(date) ? 'month' : 'day';
}

/** The first day of the period a date names: a reduced date counts from the start of its month. */
export function dateStart(date: string): string {
  return MONTH_DATE.test(date) ? `${date}-01` : date;
}

/** Compares effective dates by the first day of their periods. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const x = dateStart(a);
  const y = dateStart(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const CalendarDateSchema = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
  .meta({ id: 'CalendarDate', example: '2025-02-11' });

export const EffectiveDateSchema = z
  .string()
  .refine(isEffectiveDate, 'must be a date YYYY-MM-DD, or YYYY-MM when only the month is known')
  .meta({ id: 'EffectiveDate', example: '2025-02-11' });

export type EffectiveDate = z.infer<typeof EffectiveDateSchema>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 instant with Z or an offset (a local time without one would depend on the machine). */
export const InstantSchema = z
  .string()
  .regex(RFC3339, 'must be an RFC 3339 instant with Z or an offset, such as 2026-01-01T00:00:00Z')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a real instant')
  .meta({ example: '2026-01-01T00:00:00Z' });

/** Milliseconds since the epoch of an RFC 3339 instant; throws when it is not one. */
export function instantMs(instant: string): number {
  const ms = RFC3339.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`not an RFC 3339 instant: ${instant}`);
  return ms;
}
