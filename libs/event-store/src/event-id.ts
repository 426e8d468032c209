import { randomUUID } from 'node:crypto';

/** An event id: a UUID written as 8-4-4-4-12 hex digits, in either case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEventId(text: string): boolean {
  return UUID.test(text);
}

/**
 * An event id as the database gives it back: a uuid column reads out in lower case with hyphens, and
 * verifyChain() rebuilds the hashed body from what it reads, so the body must hold the id in that form.
 */
export function canonicalEventId(eventId: string): string {
  if (!UUID.test(eventId)) throw new RangeError(`event id ${eventId} must be a UUID written as 8-4-4-4-12 hex digits`);
  return eventId.toLowerCase();
}

// The time part of the ids made in the current millisecond: writing a number in hex costs twice as
// much as the random part, and an append of many events makes them all within a millisecond or two.
let prefixMs = -1;
let prefix = '';

/**
 * A new event id: a version 7 UUID (RFC 9562), the creation time in milliseconds in its first 48
 * bits, then 74 random bits. Ids made in a later millisecond sort later, so each append adds its ids
 * at the right-hand end of the unique index on event_id, where PostgreSQL's fast path inserts without
 * descending the tree and the pages written are the ones already in memory. Random (version 4) ids
 * land anywhere in that index: every insert descends it and dirties another page, and once the index
 * outgrows memory each one may read a page back from disk.
 */
export function newEventId(): string {
  const now = Date.now();
  if (now !== prefixMs) {
    const time = now.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixMs = now;
  }
  // The random parts of a version 4 UUID, variant bits included, after its version digit.
  return prefix + randomUUID().slice(15);
}
