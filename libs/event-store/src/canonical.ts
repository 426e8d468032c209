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
  // Built by concatenation, without the intermediate arrays of entries and parts: every appended
  // event is serialised here, and this was a fifth of the client's work per event.
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) text += (i === 0 ? '' : ',') + canonicalJson(value[i] ?? null);
    return `${text}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, JsonValue | undefined>;
    // The default sort compares UTF-16 code units, the order the chain has always used.
    const keys = Object.keys(record).sort();
    let text = '{';
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      text += (text.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
    }
    return `${text}}`;
  }
  throw new TypeError(`canonical JSON has no representation for ${typeof value}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The body of an event as hashed: everything the client chose, nothing the store assigned. It is
 * canonicalJson({ eventId, type, data, metadata }), written with its four keys already in order:
 * every appended event and every event verify() reads is serialised here, and sorting and copying
 * the outer object was a third of the cost.
 */
export function eventBody(event: EventBodyFields): string {
  return eventBodyParts(event).body;
}

/**
 * eventBody(), and the canonical JSON of the data and metadata written into it, as the journal's
 * columns take them (null for one that is missing, which the journal refuses).
 */
export function eventBodyParts(event: EventBodyFields): EventBodyParts {
  // Anything the template would not write as canonicalJson does takes the general path.
  if (typeof event.eventId !== 'string' || typeof event.type !== 'string' || event.data === undefined || event.metadata === undefined) {
    return {
      body: canonicalJson({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }),
      data: event.data === undefined ? null : canonicalJson(event.data),
      metadata: event.metadata === undefined ? null : canonicalJson(event.metadata),
    };
  }
  const data = canonicalJson(event.data);
  const metadata = canonicalJson(event.metadata);
  return { body: `{"data":${data},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadata},"type":${JSON.stringify(event.type)}}`, data, metadata };
}

export interface EventBodyParts {
  body: string;
  data: string | null;
  metadata: string | null;
}

interface EventBodyFields {
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/** The chain link: must match ledger_chain_link() in migrations/0010_chain_link.ts character for character. */
export function chainHash(
  prevHash: string,
  event: { position: number; recordedAt: Date; stream: string; version: number; body: string },
): string {
  return sha256Hex(
    `${prevHash}\n${event.position}\n${event.recordedAt.toISOString()}\n${event.stream}\n${event.version}\n${event.body}`,
  );
}
