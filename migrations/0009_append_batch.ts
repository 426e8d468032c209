import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// Appends of many events, measured by `npm run bench:store`: a 100-event append cost the client about
// as much as the database, and half of the client's share went to the shape of the conversation, not
// to the events. The request named the stream and the expectation once per event (100 array elements
// escaped by the client and unpacked by the server for one stream), and the answer came as one row
// per event (100 rows of 7 columns, each row and field parsed by the driver).
//
// ledger_append_batch() takes the request as the client holds it: one entry per stream in the request
// (its name, its expectation, how many of the bodies are its) and the bodies as one text, a body per
// line, in request order. It answers with one row: the first position (the others follow it without a
// gap), the recording time they share, and each event's version and hash in request order (versions
// joined by commas, hashes by line breaks); the client knows the rest. A repeat of an idempotency key
// answers with the result the key keeps instead, as stored. Under the lock, besides the versions of
// streams not checked before it, only a loop chaining the hashes is left per event. The client's CPU per 100-event append went from 1.6-2.2 ms to 1.0-1.4 ms, one writer's
// throughput from 18-23k to 25-30k events a second.
//
// ledger_append_one() answers in the same shape, so the client reads both answers one way, and sends
// no column the client already has (each column of an answer costs the driver on every append).
// ledger_append_events() and ledger_replay() are dropped: nothing calls them any more. A server older
// than this migration still running beside a newer one fails its appends (appending nothing) until it
// is replaced.

export async function up(db: Kysely<any>): Promise<void> {
  // What an idempotency key keeps, for a repeat of the same request to answer with: the first
  // append's result, a JSON array of ledger_result_entry() objects; null when the key is new; LDG02
  // when the key was used for another request. It replaces ledger_replay(), which gave the same as
  // rows, one per event.
  await sql`
    create function ledger_kept_result(p_idempotency_key text, p_request_hash text) returns jsonb
    language plpgsql stable as $fn$
    declare
      v_kept idempotency_keys%rowtype;
    begin
      select * into v_kept from idempotency_keys where key = p_idempotency_key;
      if not found then
        return null;
      end if;
      if v_kept.request_hash is distinct from p_request_hash then
        raise exception 'idempotency key % was used for another request', p_idempotency_key using errcode = 'LDG02';
      end if;
      return v_kept.result;
    end
    $fn$`.execute(db);

  // The journal's head: the last event's position and hash, or position 0 and the genesis hash when
  // there is none (as head() in libs/event-store). One SQL query, so a statement that reads it from
  // FROM gets it inlined; both append functions read it after taking the lock.
  await sql`
    create function ledger_head() returns table (head_position bigint, head_hash text) language sql stable as $fn$
      select coalesce(l.position, 0), coalesce(l.hash, repeat('0', 64))
        from (select) as one
        left join (select e.position, e.hash from events e order by e.position desc limit 1) as l on true
    $fn$`.execute(db);

  // p_streams[g], p_expected[g], p_counts[g]: the stream of the request's g-th entry, its expectation
  // (an exact version, 0 = no stream yet, null = any) and its number of events, whose bodies (the
  // canonical JSON text of { eventId, type, data, metadata } made by the client, hashed exactly as
  // sent) are the next p_counts[g] lines of p_bodies. A stream named by several entries is checked
  // against the first entry's expectation; the later entries follow on. r_replay, the result an
  // idempotency key keeps (entries made by ledger_result_entry()), is null unless the call repeats
  // the key, and then the only column set. Errors: LDG01 a stream is not at its expected version
  // (detail: the stream); LDG02 an idempotency key reused with another request; 22023 a request
  // whose parts do not add up.
  await sql`
    create function ledger_append_batch(p_streams text[], p_expected integer[], p_counts integer[], p_bodies text,
                                        p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_recorded_at timestamptz, r_versions text, r_hashes text, r_replay jsonb)
    language plpgsql volatile as $fn$
    declare
      v_bodies  text[] := string_to_array(p_bodies, E'\\n');
      v_count   integer := coalesce(cardinality(v_bodies), 0);
      v_entries integer := coalesce(cardinality(p_streams), 0);
      v_docs    jsonb[];
      -- Per entry: the entry that first names its stream, and that stream's version before this
      -- append (kept on the first entry; null until known).
      v_first   integer[];
      v_base    integer[];
      -- Per event, in request order: stream, version, hash.
      v_streams text[] := '{}';
      v_numbers integer[] := '{}';
      v_hashes  text[];
      v_head    bigint;
      v_head_hash text;
      v_at      timestamptz;
      v_next    integer;
    begin
      if v_count = 0 or v_entries = 0 or cardinality(p_expected) is distinct from v_entries
         or cardinality(p_counts) is distinct from v_entries
         or (select sum(c) from unnest(p_counts) c) is distinct from v_count
         or 0 >= any (p_counts) or array_position(p_counts, null) is not null
         or array_position(p_streams, null) is not null then
        raise exception 'an append needs, for each stream in it, an expectation and a count of at least one event, and as many bodies as the counts add up to'
          using errcode = '22023';
      end if;
      -- Before the lock: the bodies parsed, and each stream's first exact expectation checked as in
      -- ledger_append_one() (a keyed request's under the lock, after the replay lookup).
      for i in 1 .. v_count loop
        v_docs[i] := v_bodies[i]::jsonb;
      end loop;
      for g in 1 .. v_entries loop
        v_first[g] := array_position(p_streams, p_streams[g]);
        if v_first[g] = g and p_expected[g] is not null and p_idempotency_key is null then
          v_base[g] := ledger_stream_version(p_streams[g], p_expected[g]);
        end if;
      end loop;

      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        r_replay := ledger_kept_result(p_idempotency_key, p_request_hash);
        if r_replay is not null then
          return next;
          return;
        end if;
      end if;

      select h.head_position, h.head_hash into v_head, v_head_hash from ledger_head() as h;
      -- The streams not checked before the lock are read under it; then each entry's events take the
      -- versions after those of the entries before it on the same stream.
      for g in 1 .. v_entries loop
        if v_first[g] = g and v_base[g] is null then
          v_base[g] := ledger_stream_version(p_streams[g], p_expected[g]);
        end if;
        v_next := v_base[v_first[g]];
        v_base[v_first[g]] := v_next + p_counts[g];
        v_streams := v_streams || array_fill(p_streams[g], array[p_counts[g]]);
        v_numbers := v_numbers || array(select generate_series(v_next + 1, v_next + p_counts[g]));
      end loop;
      v_at := date_trunc('milliseconds', clock_timestamp());

      -- The chain: the i-th event takes position v_head + i and links to the hash before it.
      for i in 1 .. v_count loop
        v_hashes[i] := ledger_chain_hash(coalesce(v_hashes[i - 1], v_head_hash), v_head + i, v_at, v_streams[i],
                                         v_numbers[i], v_bodies[i]);
      end loop;

      insert into events (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select v_head + i, (d->>'eventId')::uuid, s, n, d->>'type', d->'data', d->'metadata', v_at,
             coalesce(v_hashes[i - 1], v_head_hash), h
        from unnest(v_streams, v_numbers, v_docs, v_hashes) with ordinality as t(s, n, d, h, i);

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        select p_idempotency_key, p_request_hash,
               jsonb_agg(ledger_result_entry(v_head + i, s, n, (d->>'eventId')::uuid, v_at, h) order by i),
               v_at
          from unnest(v_streams, v_numbers, v_docs, v_hashes) with ordinality as t(s, n, d, h, i);
      end if;

      r_position := v_head + 1;
      r_recorded_at := v_at;
      r_versions := array_to_string(v_numbers, ',');
      r_hashes := array_to_string(v_hashes, E'\\n');
      return next;
    end
    $fn$`.execute(db);

  // One event, what nearly every command appends: the same answer as ledger_append_batch(), and the
  // same work as before this migration (see 0008_append_events.ts): the body parsed and an exact
  // expectation checked before the lock, one INSERT ... SELECT under it.
  await sql`drop function ledger_append_one(text, integer, text, text, text)`.execute(db);
  await sql`
    create function ledger_append_one(p_stream text, p_expected integer, p_body text,
                                      p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_recorded_at timestamptz, r_versions text, r_hashes text, r_replay jsonb)
    language plpgsql volatile as $fn$
    declare
      v_doc      jsonb := p_body::jsonb;
      v_version  integer;
    begin
      -- An unkeyed exact expectation is checked before the lock (docs/design.md, "Appending").
      if p_expected is not null and p_idempotency_key is null then
        v_version := ledger_stream_version(p_stream, p_expected);
      end if;

      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        r_replay := ledger_kept_result(p_idempotency_key, p_request_hash);
        if r_replay is not null then
          return next;
          return;
        end if;
      end if;
      if p_expected is null or p_idempotency_key is not null then
        v_version := ledger_stream_version(p_stream, p_expected);
      end if;
      v_version := v_version + 1;
      r_recorded_at := date_trunc('milliseconds', clock_timestamp());

      -- The head is read by the statement that inserts after it: one statement under the lock.
      insert into events as e (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select h.head_position + 1, (v_doc->>'eventId')::uuid, p_stream, v_version, v_doc->>'type', v_doc->'data',
             v_doc->'metadata', r_recorded_at, h.head_hash,
             ledger_chain_hash(h.head_hash, h.head_position + 1, r_recorded_at, p_stream, v_version, p_body)
        from ledger_head() as h
      returning e.position, e.hash into r_position, r_hashes;
      r_versions := v_version::text;

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        values (p_idempotency_key, p_request_hash,
                jsonb_build_array(ledger_result_entry(r_position, p_stream, v_version, (v_doc->>'eventId')::uuid,
                                                      r_recorded_at, r_hashes)),
                r_recorded_at);
      end if;
      return next;
    end
    $fn$`.execute(db);
  await sql`grant execute on function ledger_append_one(text, integer, text, text, text),
                                      ledger_append_batch(text[], integer[], integer[], text, text, text),
                                      ledger_kept_result(text, text), ledger_head() to ledger_app`.execute(db);
  await sql`drop function ledger_append_events(text[], integer[], text, text, text)`.execute(db);
  await sql`drop function ledger_replay(text, text)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
