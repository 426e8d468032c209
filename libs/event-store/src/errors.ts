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
  // The unique key on (stream, version) refuses a stream that moved on after its expectation was
  // checked (appends check exact expectations before taking the lock, so this is how an ordinary
  // race ends), and any stream past an unkeyed 1-event append's exact expectation, since such an
  // append checks before the lock only that the expected version exists. It means the
  // same as LDG01. The stream is the request's when it named one, otherwise the one the database
  // names in its detail: Key (stream, version)=(<stream>, <n>) ... An event id already in the
  // journal is refused by its own unique key, checked first, and passes through as reported.
  if (code === '23505' && (error as { constraint?: unknown }).constraint === 'events_stream_version_key') {
    const detail = (error as { detail?: unknown }).detail;
    const named = stream ?? (typeof detail === 'string' ? /^Key \(stream, version\)=\((.*), \d+\) already exists\.$/s.exec(detail)?.[1] : undefined);
    return new ConcurrencyError(`${named === undefined ? 'a stream' : `stream ${named}`} moved past its expected version`, named);
  }
  if (code === 'LDG02') return new IdempotencyConflict(idempotencyKey ?? '');
  return error;
}
