import { canonicalEventId, isEventId, newEventId } from './event-id';

/** The creation time a version 7 UUID carries in its first 48 bits, in epoch milliseconds. */
const madeAt = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('newEventId', () => {
  it('makes version 7 UUIDs (RFC 9562) that carry the time they were made', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1000 }, newEventId);
    const after = Date.now();
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isEventId(id)).toBe(true);
      expect(canonicalEventId(id)).toBe(id);
      expect(madeAt(id)).toBeGreaterThanOrEqual(before);
      expect(madeAt(id)).toBeLessThanOrEqual(after);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts an id made in a later millisecond after one made earlier', () => {
    const earlier = newEventId();
    // The next millisecond of the clock the ids read.
    const made = Date.now();
    while (Date.now() === made);
    const later = newEventId();
    expect(madeAt(later)).toBeGreaterThan(madeAt(earlier));
    expect(later > earlier).toBe(true);
  });
});

describe('canonicalEventId', () => {
  it('writes an id in lower case and refuses a text that is no 8-4-4-4-12 UUID', () => {
    expect(canonicalEventId('6F1F1A52-4F43-4F0E-9A1E-0C4A3A7B2D11')).toBe('6f1f1a52-4f43-4f0e-9a1e-0c4a3a7b2d11');
    expect(() => canonicalEventId('{6f1f1a52-4f43-4f0e-9a1e-0c4a3a7b2d11}')).toThrow(RangeError);
    expect(isEventId('not-a-uuid')).toBe(false);
  });
});
