import { createHash } from 'node:crypto';
import type { JsonValue } from './types';

/**
 * The canonical JSON text of a value: object keys sorted, no whitespace, undefined members dropped.
 * The hash chain is computed over it, so it must give the same text for the value as written and
 * for the value read back from jsonb.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, JsonValue | undefined>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no representation for ${typeof value}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/** The body of an event as hashed: everything the client chose, nothing the store assigned. */
export function eventBody(event: { eventId: string; type: string; data: unknown; metadata: unknown }): string {
  return canonicalJson({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
}

/** The chain link: must match ledger_chain_hash() in migrations/0003_append_one_event.ts character for character. */
export function chainHash(
  prevHash: string,
  event: { position: number; recordedAt: Date; stream: string; version: number; body: string },
): string {
  return sha256Hex(
    `${prevHash}\n${event.position}\n${event.recordedAt.toISOString()}\n${event.stream}\n${event.version}\n${event.body}`,
  );
}
