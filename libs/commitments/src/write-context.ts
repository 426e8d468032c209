/** What an adapter knows about a write beyond its body: who asks, and how to make it safe to repeat. */
export interface WriteContext {
  /** The authenticated writer; it becomes every event's `recordedBy`. */
  readonly recordedBy: string;
  /** Makes the write safe to repeat: the same key and request give the first answer again. */
  readonly idempotencyKey?: string;
  /** Identifies "the same request" for the idempotency key (e.g. a hash of method, path and body). */
  readonly requestHash?: string;
  /** The stream version the writer last saw (If-Match); without it the write uses the version it read. */
  readonly expectedVersion?: number;
}

/** The answer to every write: where the (first) new event landed. */
export interface WriteResult {
  readonly eventId: string;
  readonly position: number;
  readonly stream: string;
  readonly version: number;
  readonly recordedAt: string;
  /** True when an idempotent repeat returned the first answer and appended nothing. */
  readonly replayed: boolean;
}
