import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// Appends of many events, measured by `npm run bench:store`, spent a sixth of the database's time
// parsing JSON twice: the request came as one jsonb document whose members held each event's body as
// an escaped string, and each body was then parsed again. ledger_append_events() takes the streams and
// expectations as arrays and the bodies as one text, each body on its own line (canonical JSON has no
// line break: JSON escapes one inside a string), so nothing is escaped for the trip and each body is
// parsed once, before the lock. Like ledger_append_one() below, it checks exact expectations before
// the lock. It replaces ledger_append(), which nothing calls any more: a server older than this
// migration still running beside a newer one fails its many-event appends (appending nothing) until
// it is replaced.
//
// ledger_append_one() keeps its contract and does less while it holds the lock: an exact expectation
// is checked before the lock (versions only grow, and the unique key on (stream, version) refuses a
// stream that moved on in between, as the issue asks of the final guard), and under the lock one
// plain INSERT ... SELECT reads the head and inserts after it. Under pgbench with 8 clients and exact
// versions this went from 0.76 to 0.82 of the raw locked INSERT.

export async function up(db: Kysely<any>): Promise<void> {
  // A stream's version (0 before its first event), checked against an expectation: LDG01 (detail:
  // the stream) when the expectation is exact and the stream is elsewhere; null expects nothing. Both
  // append functions call it, before the lock for an unkeyed exact expectation, under it otherwise.
  await sql`
    create function ledger_stream_version(p_stream text, p_expected integer) returns integer
    language plpgsql stable as $fn$
    declare
      v_version integer;
    begin
      select coalesce(max(e.version), 0) into v_version from events e where e.stream = p_stream;
      if v_version <> p_expected then
        raise exception 'stream % is at version %, not %', p_stream, v_version, p_expected
          using errcode = 'LDG01', detail = p_stream;
      end if;
      return v_version;
    end
    $fn$`.execute(db);

  // p_streams[i], p_expected[i] and line i of p_bodies: the stream, the expectation (an exact version,
  // 0 = no stream yet, null = any) and the body (the canonical JSON text of { eventId, type, data,
  // metadata } made by the client, hashed exactly as sent) of the i-th event. When one stream appears more than
  // once, its first expectation counts and the rest follow on. Errors as ledger_append(): LDG01 a
  // stream is not at its expected version (detail: the stream); LDG02 an idempotency key reused with
  // another request.
  await sql`
    create function ledger_append_events(p_streams text[], p_expected integer[], p_bodies text,
                                         p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      v_bodies     text[] := string_to_array(p_bodies, E'\\n');
      v_count      integer := coalesce(cardinality(v_bodies), 0);
      v_docs       jsonb[];
      v_ids        uuid[];
      v_head       bigint;
      v_hash       text;
      v_at         timestamptz;
      -- Each stream once, in order of appearance: its version before this append (null until known),
      -- its first expectation, and how many of the events are its.
      v_seen       text[] := '{}';
      v_seen_at    integer[] := '{}';
      v_seen_expected integer[] := '{}';
      v_seen_count integer[] := '{}';
      v_slot       integer;
      -- Each event's stream (as a slot in v_seen) and its number among that stream's events here.
      v_slots      integer[];
      v_offsets    integer[];
      v_numbers    integer[];
      v_prevs      text[];
      v_hashes     text[];
    begin
      if v_count = 0 or cardinality(p_streams) is distinct from v_count
         or cardinality(p_expected) is distinct from v_count then
        raise exception 'an append needs one stream, one expectation and one body for each of its events'
          using errcode = '22023';
      end if;
      -- Before the lock: the bodies parsed, the events counted per stream, and each stream's first
      -- expectation, where exact, checked as in ledger_append_one() (a keyed request's under the lock).
      for i in 1 .. v_count loop
        v_docs[i] := v_bodies[i]::jsonb;
        v_ids[i] := (v_docs[i]->>'eventId')::uuid;
        v_slot := array_position(v_seen, p_streams[i]);
        if v_slot is null then
          v_seen := v_seen || p_streams[i];
          v_seen_at := v_seen_at || case when p_expected[i] is not null and p_idempotency_key is null
                                         then ledger_stream_version(p_streams[i], p_expected[i]) end;
          v_seen_expected := v_seen_expected || p_expected[i];
          v_seen_count := v_seen_count || 0;
          v_slot := cardinality(v_seen);
        end if;
        v_seen_count[v_slot] := v_seen_count[v_slot] + 1;
        v_slots[i] := v_slot;
        v_offsets[i] := v_seen_count[v_slot];
      end loop;

      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        return query select * from ledger_replay(p_idempotency_key, p_request_hash);
        if found then return; end if;
      end if;

      select e.position, e.hash into v_head, v_hash from events e order by e.position desc limit 1;
      if not found then
        v_head := 0;
        v_hash := repeat('0', 64);
      end if;
      -- The streams not checked before the lock are read under it.
      for v_slot in 1 .. cardinality(v_seen) loop
        if v_seen_at[v_slot] is null then
          v_seen_at[v_slot] := ledger_stream_version(v_seen[v_slot], v_seen_expected[v_slot]);
        end if;
      end loop;
      v_at := date_trunc('milliseconds', clock_timestamp());

      -- The chain, event by event; the i-th event takes position v_head + i. Only what needs the head
      -- and the versions is left for this loop under the lock.
      for i in 1 .. v_count loop
        v_numbers[i] := v_seen_at[v_slots[i]] + v_offsets[i];
        v_prevs[i] := v_hash;
        v_hash := ledger_chain_hash(v_hash, v_head + i, v_at, p_streams[i], v_numbers[i], v_bodies[i]);
        v_hashes[i] := v_hash;
      end loop;

      insert into events (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select v_head + i, id, s, n, d->>'type', d->'data', d->'metadata', v_at, ph, h
        from unnest(v_ids, p_streams, v_numbers, v_docs, v_prevs, v_hashes) with ordinality as t(id, s, n, d, ph, h, i);

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        select p_idempotency_key, p_request_hash,
               jsonb_agg(ledger_result_entry(v_head + i, s, n, id, v_at, h) order by i),
               v_at
          from unnest(p_streams, v_numbers, v_ids, v_hashes) with ordinality as t(s, n, id, h, i);
      end if;

      return query
        select v_head + i, s, n, id, v_at, h, false
          from unnest(p_streams, v_numbers, v_ids, v_hashes) with ordinality as t(s, n, id, h, i)
         order by i;
    end
    $fn$`.execute(db);
  await sql`grant execute on function ledger_append_events(text[], integer[], text, text, text),
                                      ledger_stream_version(text, integer) to ledger_app`.execute(db);
  await sql`drop function ledger_append(jsonb, text, text)`.execute(db);

  await sql`
    create or replace function ledger_append_one(p_stream text, p_expected integer, p_body text,
                                                 p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      -- Everything that does not read the journal is worked out before the lock.
      v_doc      jsonb := p_body::jsonb;
      v_type     text := v_doc->>'type';
      v_data     jsonb := v_doc->'data';
      v_metadata jsonb := v_doc->'metadata';
    begin
      r_event_id := (v_doc->>'eventId')::uuid;
      r_stream := p_stream;
      r_replayed := false;
      -- An exact expectation is checked before the lock: versions only grow, so a stream past it never
      -- returns to it, and a version the client has seen committed is in this snapshot, so a stream
      -- short of it is refused rightly. A stream that moves on between here and the insert is refused
      -- by the unique key on (stream, version), which the client reports as the same error. A keyed
      -- request may repeat one whose expectation held when it was made: its check waits until the
      -- key is known to be new, under the lock.
      if p_expected is not null and p_idempotency_key is null then
        r_version := ledger_stream_version(p_stream, p_expected);
      end if;

      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        return query select * from ledger_replay(p_idempotency_key, p_request_hash);
        if found then return; end if;
      end if;

      -- Any version, or a keyed request: the stream's version read under the lock.
      if p_expected is null or p_idempotency_key is not null then
        r_version := ledger_stream_version(p_stream, p_expected);
      end if;
      r_version := r_version + 1;
      r_recorded_at := date_trunc('milliseconds', clock_timestamp());

      -- The head (position 0 and the genesis hash in an empty journal) is read by the statement that
      -- inserts after it: one statement under the lock.
      insert into events as e (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select h.position + 1, r_event_id, p_stream, r_version, v_type, v_data, v_metadata,
             r_recorded_at, h.hash, ledger_chain_hash(h.hash, h.position + 1, r_recorded_at, p_stream, r_version, p_body)
        from (select coalesce(l.position, 0) as position, coalesce(l.hash, repeat('0', 64)) as hash
                from (select) as one
                left join (select e.position, e.hash from events e order by e.position desc limit 1) l on true) h
      returning e.position, e.hash into r_position, r_hash;

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        values (p_idempotency_key, p_request_hash,
                jsonb_build_array(ledger_result_entry(r_position, r_stream, r_version, r_event_id, r_recorded_at, r_hash)),
                r_recorded_at);
      end if;
      return next;
    end
    $fn$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
