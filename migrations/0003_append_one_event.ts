import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// A faster append, measured by `npm run bench:store`. Appends are serialised behind one lock held
// through the commit, so whatever an append does under the lock bounds the journal's throughput.
// ledger_append() spends that time in five statements (head, version, insert, result) and array
// bookkeeping; most appends carry one event, and ledger_append_one() does all of its work under the
// lock in a single statement.
//
// What the two functions share has one home each: the chain link's formula, ledger_chain_hash(),
// which must match chainHash() in libs/event-store/src/canonical.ts character for character, and
// the idempotency result, written by ledger_result_entry() and read back by ledger_replay().

export async function up(db: Kysely<any>): Promise<void> {
  // The recording time as it is hashed and reported: UTC, to the millisecond.
  await sql`
    create function ledger_instant_text(p_at timestamptz) returns text language sql stable as $fn$
      select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    $fn$`.execute(db);

  // hash = sha256(prev_hash \n position \n recorded_at \n stream \n version \n body), hex.
  await sql`
    create function ledger_chain_hash(p_prev text, p_position bigint, p_at timestamptz, p_stream text,
                                      p_version integer, p_body text)
    returns text language sql stable as $fn$
      select encode(sha256(convert_to(
        p_prev || E'\\n' || p_position::text || E'\\n' || ledger_instant_text(p_at) || E'\\n' ||
        p_stream || E'\\n' || p_version::text || E'\\n' || p_body, 'UTF8')), 'hex')
    $fn$`.execute(db);

  // What an idempotency key keeps of each appended event, and how a repeat reads it back: a repeat
  // with the same request gets the first result (r_replayed true); with another, LDG02. No rows when
  // the key is new. Both append functions call it after taking the lock.
  await sql`
    create function ledger_result_entry(p_position bigint, p_stream text, p_version integer, p_event_id uuid,
                                        p_recorded_at timestamptz, p_hash text)
    returns jsonb language sql stable as $fn$
      select jsonb_build_object('position', p_position, 'stream', p_stream, 'version', p_version,
                                'eventId', p_event_id, 'recordedAt', ledger_instant_text(p_recorded_at), 'hash', p_hash)
    $fn$`.execute(db);
  await sql`
    create function ledger_replay(p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql stable as $fn$
    declare
      v_previous idempotency_keys%rowtype;
    begin
      select * into v_previous from idempotency_keys where key = p_idempotency_key;
      if not found then return; end if;
      if v_previous.request_hash <> p_request_hash then
        raise exception 'idempotency key % was used for another request', p_idempotency_key
          using errcode = 'LDG02';
      end if;
      return query
        select (r->>'position')::bigint, r->>'stream', (r->>'version')::integer, (r->>'eventId')::uuid,
               (r->>'recordedAt')::timestamptz, r->>'hash', true
          from jsonb_array_elements(v_previous.result) r;
    end
    $fn$`.execute(db);

  // The general append, as in 0001 but for the chain link and the idempotency result, which now
  // come from the functions above.
  await sql`
    create or replace function ledger_append(p_events jsonb, p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      v_count      integer;
      v_streams    text[];
      v_expected   integer[];
      v_bodies     text[];
      v_ids        uuid[];
      v_types      text[];
      v_data       jsonb[];
      v_metadata   jsonb[];
      v_position   bigint;
      v_hash       text;
      v_at         timestamptz;
      v_stream     text;
      v_version    integer;
      v_current    integer;
      v_seen       text[] := '{}';
      v_seen_at    integer[] := '{}';
      v_slot       integer;
      v_positions  bigint[] := '{}';
      v_numbers    integer[] := '{}';
      v_prevs      text[] := '{}';
      v_hashes     text[] := '{}';
    begin
      -- One sorted subquery feeds all the aggregates in append order (an ORDER BY in each aggregate
      -- would sort the request once per column).
      select array_agg(x.s), array_agg(x.e), array_agg(x.b), array_agg((x.d->>'eventId')::uuid),
             array_agg(x.d->>'type'), array_agg(x.d->'data'), array_agg(x.d->'metadata')
        into v_streams, v_expected, v_bodies, v_ids, v_types, v_data, v_metadata
        from (select e->>'s' as s, (e->>'e')::integer as e, e->>'b' as b, (e->>'b')::jsonb as d
                from jsonb_array_elements(p_events) with ordinality as t(e, i)
               order by i) as x;
      v_count := coalesce(array_length(v_streams, 1), 0);

      -- Everything from here on reads the journal, so it must see every append committed before ours.
      -- Parsing the bodies above, outside the lock, is a third of an append's work.
      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        return query select * from ledger_replay(p_idempotency_key, p_request_hash);
        if found then return; end if;
      end if;

      select e.position, e.hash into v_position, v_hash from events e order by e.position desc limit 1;
      if not found then
        v_position := 0;
        v_hash := repeat('0', 64);
      end if;
      v_at := date_trunc('milliseconds', clock_timestamp());

      for i in 1 .. v_count loop
        v_stream := v_streams[i];
        v_slot := array_position(v_seen, v_stream);
        if v_slot is not null then
          v_version := v_seen_at[v_slot] + 1;
          v_seen_at[v_slot] := v_version;
        else
          select e.version into v_current from events e where e.stream = v_stream order by e.version desc limit 1;
          v_current := coalesce(v_current, 0);
          if v_expected[i] is not null and v_expected[i] <> v_current then
            raise exception 'stream % is at version %, not %', v_stream, v_current, v_expected[i]
              using errcode = 'LDG01', detail = v_stream;
          end if;
          v_version := v_current + 1;
          v_seen := v_seen || v_stream;
          v_seen_at := v_seen_at || v_version;
        end if;
        v_position := v_position + 1;
        v_prevs[i] := v_hash;
        v_hash := ledger_chain_hash(v_hash, v_position, v_at, v_stream, v_version, v_bodies[i]);
        v_positions[i] := v_position;
        v_numbers[i] := v_version;
        v_hashes[i] := v_hash;
      end loop;

      insert into events (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select p, id, s, n, ty, da, me, v_at, ph, h
        from unnest(v_positions, v_ids, v_streams, v_numbers, v_types, v_data, v_metadata, v_prevs, v_hashes)
          as t(p, id, s, n, ty, da, me, ph, h);

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        select p_idempotency_key, p_request_hash,
               jsonb_agg(ledger_result_entry(p, s, n, id, v_at, h) order by p),
               v_at
          from unnest(v_positions, v_streams, v_numbers, v_ids, v_hashes) as t(p, s, n, id, h);
      end if;

      return query
        select p, s, n, id, v_at, h, false
          from unnest(v_positions, v_streams, v_numbers, v_ids, v_hashes) as t(p, s, n, id, h);
    end
    $fn$`.execute(db);

  // One event to one stream: what almost every command appends. The same contract as ledger_append()
  // (errors LDG01 and LDG02, the same result rows), with the head read, the stream's version, the
  // chain link and the insert made by one statement under the lock. The expectation is checked after
  // that insert: a mismatch raises, which undoes the insert with the rest of the call.
  await sql`
    create function ledger_append_one(p_stream text, p_expected integer, p_body text,
                                      p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      -- Parsed before the lock.
      v_doc      jsonb := p_body::jsonb;
    begin
      perform ledger_lock_appends();

      if p_idempotency_key is not null then
        return query select * from ledger_replay(p_idempotency_key, p_request_hash);
        if found then return; end if;
      end if;

      with head as (select e.position, e.hash from events e order by e.position desc limit 1),
           link as (
             select coalesce((select h.position from head h), 0) + 1 as position,
                    coalesce((select h.hash from head h), repeat('0', 64)) as prev_hash,
                    coalesce((select e.version from events e where e.stream = p_stream
                               order by e.version desc limit 1), 0) + 1 as version,
                    date_trunc('milliseconds', clock_timestamp()) as at)
      insert into events as e (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select l.position, (v_doc->>'eventId')::uuid, p_stream, l.version, v_doc->>'type', v_doc->'data',
             v_doc->'metadata', l.at, l.prev_hash, ledger_chain_hash(l.prev_hash, l.position, l.at, p_stream, l.version, p_body)
        from link l
      returning e.position, e.stream, e.version, e.event_id, e.recorded_at, e.hash, false
        into r_position, r_stream, r_version, r_event_id, r_recorded_at, r_hash, r_replayed;

      if p_expected is not null and r_version - 1 <> p_expected then
        raise exception 'stream % is at version %, not %', p_stream, r_version - 1, p_expected
          using errcode = 'LDG01', detail = p_stream;
      end if;

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        values (p_idempotency_key, p_request_hash,
                jsonb_build_array(ledger_result_entry(r_position, r_stream, r_version, r_event_id, r_recorded_at, r_hash)),
                r_recorded_at);
      end if;
      return next;
    end
    $fn$`.execute(db);

  await sql`grant execute on function ledger_append_one(text, integer, text, text, text) to ledger_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
