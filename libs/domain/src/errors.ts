/**
 * Stable codes for the rules the domain refuses to break. They say what went wrong in business
 * terms; the HTTP adapter maps each to one status in one place.
 */
export const DOMAIN_ERROR_CODES = [
  'unknown-source',
  'unknown-institution',
  'unknown-programme',
  'unknown-commitment',
  'unknown-event',
  'already-registered',
  'commitment-withdrawn',
  'part-exceeds-whole',
  'unit-mismatch',
  'corroboration-differs',
  'part-of-cycle',
  'already-reversed',
  'not-reversible',
  'programme-cycle',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The ids or values involved, for the problem details of a response. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
