import { CompiledQuery, sql, type Kysely } from 'kysely';
import { executeInOneTrip, sendsInOneTrip } from '@ledger/db';
import { canonicalJson, chainHash, eventBody, eventBodyParts, GENESIS_HASH, sha256Hex, type EventBodyParts } from './canonical';
import { translateAppendError } from './errors';
import { canonicalEventId, isEventId, newEventId } from './event-id';
import { replayedResult } from './idempotency';
import type { EventStoreTables } from './schema';
import type {
  AppendedEvent,
  AppendRequest,
  AppendResult,
  ChainHead,
  RecordedEvent,
  VerifyResult,
} from './types';

/** A database handle or a transaction over the event store's tables. */
export type StoreDb = Kysely<EventStoreTables>;

/**
 * What both append functions answer, one row for all the events: they take positions from r_position
 * on without a gap and share their recording time; versions and hashes are joined in request order
 * (the client knows the streams and event ids it sent). A repeat of an idempotency key has only
 * r_replay, the result the key keeps.
 */
interface AppendRow {
  r_position: number;
  r_recorded_ms: number;
  r_versions: string;
  r_hashes: string;
  r_replay: unknown;
}

/**
 * A recording time as epoch milliseconds (it is stored to the millisecond): turning a number into a
 * Date costs a fraction of parsing timestamp text, which dominated reading the whole journal.
 */
const epochMilliseconds = (column: string) => `(extract(epoch from ${column}) * 1000)::int8`;

/** The append functions' calls. The texts are fixed, so Kysely builds nothing per append. */
const RESULT = `r_position, ${epochMilliseconds('r_recorded_at')} as r_recorded_ms, r_versions, r_hashes, r_replay`;
const APPEND_ONE = `select ${RESULT} from ledger_append_one($1, $2, $3, $4, $5)`;
const APPEND_BATCH = `select ${RESULT} from ledger_append_batch($1::text[], $2::integer[], $3::integer[], $4, $5, $6)`;

/**
 * One event with an exact expectation and no idempotency key, made on PostgreSQL outside a
 * transaction (a plain appendToStreams call; commands append within theirs, through the function)
 * by two statements sent in one round trip (executeInOneTrip),
 * without a plpgsql function: the first checks the expectation and takes the lock, the second, which
 * starts after the lock is held and so sees every append before it, reads the head, links the chain
 * and inserts the next version. Before the lock only the expected version is looked up (versions
 * only grow): a stream short of it is refused by ledger_stream_version(), whose message says where
 * the stream is; a stream past it, or a 'no-stream' expectation on a stream that exists, by the
 * unique key on (stream, version). ledger_stream_version() raises or answers the version, never
 * null, so the first statement's condition holds or the statement fails: it never ends without the
 * lock. The insert is the one ledger_append_one() makes (migrations/0011_append_one_exact_check.ts),
 * with the data and metadata sent as the client wrote them into the hashed body. See docs/design.md.
 */
const CHECK_AND_LOCK =
  'select ledger_lock_appends() where $2::integer = 0 ' +
  'or exists (select from events e where e.stream = $1 and e.version = $2::integer) ' +
  'or ledger_stream_version($1, $2::integer) is not null';
const INSERT_NEXT = `insert into events as e (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
  select h.head_position + 1, $3::uuid, $1, $2::integer + 1, $4, $5::jsonb, $6::jsonb, t.at, h.head_hash,
         ledger_chain_hash(h.head_hash, h.head_position + 1, t.at, $1, $2::integer + 1, $7)
    from ledger_head() as h, (select date_trunc('milliseconds', clock_timestamp()) as at) as t
  returning e.position as r_position, ${epochMilliseconds('e.recorded_at')} as r_recorded_ms, e.hash as r_hashes`;

/**
 * Whether a type goes into its column as the body hashes it: a lone surrogate, which JSON writes as
 * an escape, would reach PostgreSQL as the replacement character. The function path refuses it.
 */
const plainText = (type: unknown): boolean => typeof type === 'string' && !/[\ud800-\udfff]/.test(type);

/**
 * Appends events to one or more streams atomically, in one round trip.
 *
 * Each stream's expectation is checked by the database (see docs/design.md, "Appending"); a stale one
 * appends nothing anywhere. Given a transaction, the append commits or rolls back with it (read models
 * use this to project in the same transaction); it must run at READ COMMITTED, the default, so that
 * what it reads after taking the append lock includes every append committed before.
 *
 * @throws ConcurrencyError when a stream is not at its expected version.
 * @throws IdempotencyConflict when the idempotency key was used for a different request.
 */
export async function appendToStreams(db: StoreDb, request: AppendRequest): Promise<AppendResult> {
  // The request as the database functions take it: per entry its stream, expectation and number of
  // events; the bodies in request order, as one text with a body per line (canonical JSON never holds
  // a raw line break, so nothing needs escaping).
  const streams: string[] = [];
  const expectations: (number | null)[] = [];
  const counts: number[] = [];
  const eventIds: string[] = [];
  const bodies: string[] = [];
  // The last event's type and serialised parts, which a 1-event append inserts as they are.
  let type = '';
  let parts: EventBodyParts | undefined;
  for (const { stream, expected, events } of request.streams) {
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new RangeError(`expected version of ${stream} must be a non-negative integer`);
    }
    if (events.length === 0) continue;
    streams.push(stream);
    expectations.push(expected === 'any' ? null : expected === 'no-stream' ? 0 : expected);
    counts.push(events.length);
    for (const event of events) {
      const eventId = event.eventId === undefined ? newEventId() : canonicalEventId(event.eventId);
      type = event.type;
      parts = eventBodyParts({ eventId, type, data: event.data, metadata: event.metadata ?? {} });
      eventIds.push(eventId);
      bodies.push(parts.body);
    }
  }
  if (bodies.length === 0) throw new RangeError('an append needs at least one event');

  // Only a keyed request is ever compared with another, so only a keyed one pays for hashing itself.
  const requestHash =
    request.idempotencyKey === undefined ? null : (request.requestHash ?? defaultRequestHash(request));
  const key = request.idempotencyKey ?? null;
  try {
    if (bodies.length === 1 && key === null && expectations[0] !== null && sendsInOneTrip(db) && plainText(type)) {
      const expected = expectations[0]!;
      const [, inserted] = await executeInOneTrip(db, [
        CompiledQuery.raw(CHECK_AND_LOCK, [streams[0], expected]),
        CompiledQuery.raw(INSERT_NEXT, [streams[0], expected, eventIds[0], type, parts!.data, parts!.metadata, bodies[0]]),
      ]);
      const row = inserted![0] as Omit<AppendRow, 'r_versions' | 'r_replay'>;
      return appendedEvents({ ...row, r_versions: String(expected + 1), r_replay: null }, streams, counts, eventIds);
    }
    // Otherwise one call of a function, for one event or for many: also for one event within a
    // transaction (the command path, where two statements would be two round trips) or on PGlite.
    const query =
      bodies.length === 1
        ? CompiledQuery.raw(APPEND_ONE, [streams[0], expectations[0], bodies[0], key, requestHash])
        : CompiledQuery.raw(APPEND_BATCH, [streams, expectations, counts, bodies.join('\n'), key, requestHash]);
    const [row] = (await db.executeQuery<AppendRow>(query)).rows;
    return row!.r_replay === null ? appendedEvents(row!, streams, counts, eventIds) : replayedResult(row!.r_replay);
  } catch (error) {
    const stream = request.streams.length === 1 ? request.streams[0]!.stream : undefined;
    throw translateAppendError(error, request.idempotencyKey, stream);
  }
}

/** Unpacks an append function's row into the events it stands for, in request order. */
function appendedEvents(row: AppendRow, streams: string[], counts: number[], eventIds: string[]): AppendResult {
  const versions = row.r_versions.split(',');
  const hashes = row.r_hashes.split('\n');
  const first = Number(row.r_position);
  const recordedAt = new Date(Number(row.r_recorded_ms));
  const events: AppendedEvent[] = [];
  for (let entry = 0; entry < streams.length; entry += 1) {
    for (let n = 0; n < counts[entry]!; n += 1) {
      const i = events.length;
      events.push({
        position: first + i,
        stream: streams[entry]!,
        version: Number(versions[i]),
        eventId: eventIds[i]!,
        recordedAt,
        hash: hashes[i]!,
      });
    }
  }
  return { replayed: false, events };
}

/** Identifies a request by what it asks for, leaving out the event ids generated for it. */
function defaultRequestHash(request: AppendRequest): string {
  return sha256Hex(
    canonicalJson(
      request.streams.map(({ stream, expected, events }) => ({
        stream,
        expected,
        events: events.map(({ type, data, metadata }) => ({ type, data, metadata: metadata ?? {} })),
      })),
    ),
  );
}

/** The columns every read takes, the recording time as epoch milliseconds. */
const EVENT_COLUMNS = [
  'position',
  'event_id',
  'stream',
  'version',
  'type',
  'data',
  'metadata',
  sql.raw<number>(epochMilliseconds('recorded_at')).as('recorded_ms'),
  'prev_hash',
  'hash',
] as const;

type EventRow = Omit<EventStoreTables['events'], 'recorded_at'> & { recorded_ms: number };

function toRecorded(row: EventRow): RecordedEvent {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(Number(row.recorded_ms)),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Takes the journal's append lock for the rest of the transaction `db` runs in, so nothing else is
 * appended until it commits: what the transaction reads after this is what its own appends follow.
 * Appends take the same lock again, which PostgreSQL allows the holder.
 */
export async function lockAppends(db: StoreDb): Promise<void> {
  await sql`select ledger_lock_appends()`.execute(db);
}

/** Every event of one stream, in version order. */
export async function readStream(db: StoreDb, stream: string): Promise<RecordedEvent[]> {
  const rows = await db.selectFrom('events').select(EVENT_COLUMNS).where('stream', '=', stream).orderBy('version').execute();
  return rows.map(toRecorded);
}

/** The current version of a stream: the number of events in it, 0 when it does not exist. */
export async function streamVersion(db: StoreDb, stream: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select('version')
    .where('stream', '=', stream)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** The event with this id; undefined when there is none, including for a text that is no UUID. */
export async function readEvent(db: StoreDb, eventId: string): Promise<RecordedEvent | undefined> {
  if (!isEventId(eventId)) return undefined;
  const row = await db.selectFrom('events').select(EVENT_COLUMNS).where('event_id', '=', eventId).executeTakeFirst();
  return row && toRecorded(row);
}

export interface Page {
  readonly events: RecordedEvent[];
  /** The position to pass as `after` for the next page; null when this page reached the head. */
  readonly next: number | null;
}

/**
 * One page of the journal in global order. Positions are assigned in commit order, so a reader that
 * keeps asking `after = next` sees every event exactly once, even while writers append.
 */
export async function readAll(db: StoreDb, options: { after?: number; limit?: number } = {}): Promise<Page> {
  const after = options.after ?? 0;
  const limit = options.limit ?? 100;
  const rows = await db
    .selectFrom('events')
    .select(EVENT_COLUMNS)
    .where('position', '>', after)
    .orderBy('position')
    .limit(limit + 1)
    .execute();
  const events = rows.slice(0, limit).map(toRecorded);
  const next = rows.length > limit ? events[events.length - 1]!.position : null;
  return { events, next };
}

/**
 * The journal from a position on, as an async iterator that holds at most two batches in memory.
 * It ends at the head it finds; events appended after that are left for the next call.
 */
export async function* iterateAll(
  db: StoreDb,
  options: { after?: number; batchSize?: number; until?: number; types?: readonly string[] } = {},
): AsyncGenerator<RecordedEvent> {
  // 2,000 events a batch: reading a million with 5,000 peaked 30 MB higher (batches outlived the young
  // generation) and ran no faster.
  const batchSize = options.batchSize ?? 2000;
  const until = options.until;
  const types = options.types;
  const fetch = (after: number): Promise<EventRow[]> => {
    let query = db
      .selectFrom('events')
      .select(EVENT_COLUMNS)
      .where('position', '>', after)
      .orderBy('position')
      .limit(batchSize);
    if (until !== undefined) query = query.where('position', '<=', until);
    if (types !== undefined) query = query.where('type', 'in', types.length > 0 ? [...types] : ['']);
    return query.execute();
  };
  // The next batch is asked for before the current one is handed out, so the database and the
  // consumer work at the same time.
  let pending = fetch(options.after ?? 0);
  for (;;) {
    const rows = await pending;
    const full = rows.length === batchSize;
    if (full) {
      pending = fetch(Number(rows[rows.length - 1]!.position));
      // A consumer that stops early leaves this read unawaited; its failure must not go unhandled.
      pending.catch(() => undefined);
    }
    for (const row of rows) yield toRecorded(row);
    if (!full) return;
  }
}

/**
 * Every event of several streams, in global order, optionally only up to a position. One query for
 * many streams, for callers that fold a batch of streams at once.
 */
export async function readStreams(
  db: StoreDb,
  streams: readonly string[],
  options: { until?: number; types?: readonly string[] } = {},
): Promise<RecordedEvent[]> {
  const result: RecordedEvent[] = [];
  const unique = [...new Set(streams)];
  for (let index = 0; index < unique.length; index += 1000) {
    let query = db.selectFrom('events').select(EVENT_COLUMNS).where('stream', 'in', unique.slice(index, index + 1000));
    if (options.until !== undefined) query = query.where('position', '<=', options.until);
    if (options.types !== undefined) query = query.where('type', 'in', options.types.length > 0 ? [...options.types] : ['']);
    result.push(...(await query.orderBy('position').execute()).map(toRecorded));
  }
  return result.sort((a, b) => a.position - b.position);
}

/**
 * The events of every stream whose name starts with `prefix`, stream by stream (each in version
 * order), as pages that never split a stream: a consumer can fold each stream of a page whole. The
 * next page is read while the consumer works on the current one.
 */
export async function* iterateStreams(
  db: StoreDb,
  options: { prefix: string; until?: number; pageSize?: number; types?: readonly string[] },
): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? 20_000;
  // A LIKE on the escaped prefix; the column's "C" collation lets it use the (stream, version) index.
  const pattern = `${options.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const fetch = (after: { stream: string; version: number } | undefined): Promise<EventRow[]> => {
    let query = db.selectFrom('events').select(EVENT_COLUMNS)
      .where('stream', 'like', pattern)
      .orderBy('stream').orderBy('version').limit(pageSize);
    if (options.until !== undefined) query = query.where('position', '<=', options.until);
    if (options.types !== undefined) query = query.where('type', 'in', options.types.length > 0 ? [...options.types] : ['']);
    if (after) {
      const { stream, version } = after;
      // A row comparison, which the (stream, version) index can start from; an OR of the two
      // conditions made each page scan from the start.
      query = query.where((eb) => eb(eb.refTuple('stream', 'version'), '>', eb.tuple(stream, version)));
    }
    return query.execute();
  };
  let carried: RecordedEvent[] = [];
  let pending = fetch(undefined);
  for (;;) {
    const rows = await pending;
    const done = rows.length < pageSize;
    const last = rows.at(-1);
    if (!done) {
      pending = fetch({ stream: last!.stream, version: last!.version });
      pending.catch(() => undefined);
    }
    const events = [...carried, ...rows.map(toRecorded)];
    if (done) {
      if (events.length > 0) yield events;
      return;
    }
    // The last stream of a page may go on in the next one: hold it back until it is whole.
    carried = events.filter((event) => event.stream === last!.stream);
    const whole = events.filter((event) => event.stream !== last!.stream);
    if (whole.length > 0) yield whole;
  }
}

/** The last event's position and hash; position 0 and the genesis hash for an empty journal. */
export async function head(db: StoreDb): Promise<ChainHead> {
  const row = await db
    .selectFrom('events')
    .select(['position', 'hash'])
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
}

/**
 * Recomputes the hash chain over the whole journal, streaming it, and names the first position that
 * does not hold: a changed event, a changed link, or a missing one.
 */
export async function verifyChain(db: StoreDb, options: { batchSize?: number } = {}): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedPosition = 1;
  let count = 0;
  for await (const event of iterateAll(db, options)) {
    const broken = (reason: string): VerifyResult => ({ ok: false, events: count, brokenAt: expectedPosition, reason });
    if (event.position !== expectedPosition) return broken(`position ${expectedPosition} is missing`);
    if (event.prevHash !== prevHash) return broken('its link to the previous event does not match');
    const hash = chainHash(prevHash, { ...event, body: eventBody(event) });
    if (hash !== event.hash) return broken('its content does not match its hash');
    prevHash = hash;
    expectedPosition += 1;
    count += 1;
  }
  return { ok: true, events: count, head: { position: count, hash: prevHash } };
}

/** Whether a head a client kept earlier is still part of the chain. */
export async function isInChain(db: StoreDb, kept: ChainHead): Promise<boolean> {
  if (kept.position === 0) return kept.hash === GENESIS_HASH;
  const row = await db.selectFrom('events').select('hash').where('position', '=', kept.position).executeTakeFirst();
  return row?.hash === kept.hash;
}
