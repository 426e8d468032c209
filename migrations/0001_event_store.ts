import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// The journal of the ledger. Appends go through ledger_append(), which serialises writers behind one
// transaction-scoped advisory lock taken before anything else, so that global positions, recorded
// times and the hash chain all follow commit order: a reader polling `position > p` can never miss an
// event that commits later with a smaller position.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table events (
      position     bigint      primary key,
      event_id     uuid        not null,
      -- Byte order, whatever the server's default collation: stream order must not depend on the
      -- machine, and "stream like 'prefix%'" can then use the (stream, version) index.
      stream       text        collate "C" not null,
      version      integer     not null check (version > 0),
      type         text        not null,
      data         jsonb       not null,
      metadata     jsonb       not null,
      recorded_at  timestamptz not null,
      prev_hash    text        not null,
      hash         text        not null,
      constraint events_event_id_key unique (event_id),
      constraint events_stream_version_key unique (stream, version)
    )`.execute(db);

  await sql`
    create table idempotency_keys (
      key          text        primary key,
      request_hash text        not null,
      result       jsonb       not null,
      recorded_at  timestamptz not null
    )`.execute(db);

  await sql`
    create table subscription_checkpoints (
      name        text        primary key,
      position    bigint      not null check (position >= 0),
      updated_at  timestamptz not null default now()
    )`.execute(db);

  // Nothing in the journal is ever updated or deleted: corrections are new events.
  await sql`
    create function ledger_refuse_change() returns trigger language plpgsql as $fn$
    begin
      raise exception 'the event journal is append-only: % is refused', tg_op using errcode = 'LDG03';
    end
    $fn$`.execute(db);
  await sql`
    create trigger events_append_only before update or delete on events
      for each row execute function ledger_refuse_change()`.execute(db);
  await sql`
    create trigger events_no_truncate before truncate on events
      for each statement execute function ledger_refuse_change()`.execute(db);

  // The one lock that orders appends; rebuilds take it too for their final catch-up.
  await sql`
    create function ledger_lock_appends() returns void language sql as $fn$
      select pg_advisory_xact_lock(4851200001)
    $fn$`.execute(db);

  // p_events: a JSON array, in append order, of { "s": stream, "e": expectation, "b": body }, where the
  // expectation is an exact version (0 = no stream yet) or null for any, and the body is the canonical
  // JSON text of { eventId, type, data, metadata } made by the client; it is hashed exactly as sent.
  // When one stream appears more than once, its first expectation counts and the rest follow on.
  //
  // hash = sha256(prev_hash \n position \n recorded_at \n stream \n version \n body), hex.
  //
  // Errors: LDG01 a stream is not at its expected version (detail: the stream); LDG02 an idempotency
  // key reused with another request. The unique key on (stream, version) stays the final guard, for a
  // caller whose transaction took its snapshot before the lock; the client maps its violation to LDG01's
  // meaning.
  //
  // Every append waits for the lock and holds it through its commit, so the time spent under the lock
  // bounds the journal's throughput: the request is unpacked and parsed before the lock, and no subtransaction
  // (an exception block) or result document is made unless it is needed.
  await sql`
    create function ledger_append(p_events jsonb, p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      v_previous   idempotency_keys%rowtype;
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
      v_at_text    text;
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
        select * into v_previous from idempotency_keys where key = p_idempotency_key;
        if found then
          if v_previous.request_hash <> p_request_hash then
            raise exception 'idempotency key % was used for another request', p_idempotency_key
              using errcode = 'LDG02';
          end if;
          return query
            select (r->>'position')::bigint, r->>'stream', (r->>'version')::integer, (r->>'eventId')::uuid,
                   (r->>'recordedAt')::timestamptz, r->>'hash', true
              from jsonb_array_elements(v_previous.result) r;
          return;
        end if;
      end if;

      select e.position, e.hash into v_position, v_hash from events e order by e.position desc limit 1;
      if not found then
        v_position := 0;
        v_hash := repeat('0', 64);
      end if;
      v_at := date_trunc('milliseconds', clock_timestamp());
      v_at_text := to_char(v_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

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
        v_hash := encode(sha256(convert_to(
          v_hash || E'\n' || v_position::text || E'\n' || v_at_text || E'\n' || v_stream || E'\n' ||
          v_version::text || E'\n' || v_bodies[i], 'UTF8')), 'hex');
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
               jsonb_agg(jsonb_build_object('position', p, 'stream', s, 'version', n,
                         'eventId', id, 'recordedAt', v_at_text, 'hash', h) order by p),
               v_at
          from unnest(v_positions, v_streams, v_numbers, v_ids, v_hashes) as t(p, s, n, id, h);
      end if;

      return query
        select p, s, n, id, v_at, h, false
          from unnest(v_positions, v_streams, v_numbers, v_ids, v_hashes) as t(p, s, n, id, h);
    end
    $fn$`.execute(db);

  // A runtime role for the server on PostgreSQL: it may read and append to the journal, never change
  // it. Roles belong to the whole server, so creating it must tolerate another database's migration
  // having done so first.
  await sql`
    do $do$
    begin
      if not exists (select 1 from pg_roles where rolname = 'ledger_app') then
        create role ledger_app login;
      end if;
    exception when duplicate_object or unique_violation then null;
    end
    $do$`.execute(db);
  await sql`grant select, insert on events, idempotency_keys to ledger_app`.execute(db);
  // The server reads the migrator's table at start to see that nothing is pending.
  await sql`grant select on kysely_migration to ledger_app`.execute(db);
  await sql`grant select, insert, update on subscription_checkpoints to ledger_app`.execute(db);
  await sql`grant execute on function ledger_append(jsonb, text, text), ledger_lock_appends() to ledger_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
