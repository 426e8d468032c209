/** A stream was not at the version the append expected; nothing was appended. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    message: string,
    readonly stream: string | undefined,
  ) {
    super(message);
  }
}

/** An idempotency key was reused with a different request; nothing was appended. */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict';
  constructor(readonly key: string) {
    super(`idempotency key ${key} was already used for a different request`);
  }
}

/** Maps the journal's own SQLSTATEs (see migrations/0001_event_store.ts) to typed errors. */
export function translateAppendError(error: unknown, idempotencyKey: string | undefined, stream?: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'LDG01') {
    const detail = (error as { detail?: unknown }).detail;
    return new ConcurrencyError((error as Error).message, typeof detail === 'string' ? detail : undefined);
  }
  // The unique key on (stream, version) catches what the version check could not see: an append from
  // a transaction whose snapshot predates the lock. It means the same as LDG01; `stream` names the
  // stream when the request had one.
  if (code === '23505' && (error as { constraint?: unknown }).constraint === 'events_stream_version_key') {
    return new ConcurrencyError(`${stream === undefined ? 'a stream' : `stream ${stream}`} moved past its expected version`, stream);
  }
  if (code === 'LDG02') return new IdempotencyConflict(idempotencyKey ?? '');
  return error;
}
