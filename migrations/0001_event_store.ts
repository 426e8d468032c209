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
      stream       text        not null,
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
  //
  // hash = sha256(prev_hash \n position \n recorded_at \n stream \n version \n body), hex.
  //
  // Errors: LDG01 a stream is not at its expected version (the unique key on (stream, version) is the
  // final guard); LDG02 an idempotency key reused with another request.
  await sql`
    create function ledger_append(p_events jsonb, p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_stream text, r_version integer, r_event_id uuid,
                   r_recorded_at timestamptz, r_hash text, r_replayed boolean)
    language plpgsql volatile as $fn$
    declare
      v_previous  idempotency_keys%rowtype;
      v_position  bigint;
      v_hash      text;
      v_at        timestamptz;
      v_at_text   text;
      v_event     jsonb;
      v_stream    text;
      v_expected  integer;
      v_version   integer;
      v_versions  jsonb := '{}'::jsonb;
      v_positions bigint[] := '{}';
      v_streams   text[] := '{}';
      v_numbers   integer[] := '{}';
      v_bodies    jsonb[] := '{}';
      v_prevs     text[] := '{}';
      v_hashes    text[] := '{}';
      v_result    jsonb;
      v_violated  text;
    begin
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

      for v_event in select value from jsonb_array_elements(p_events) loop
        v_stream := v_event->>'s';
        if v_versions ? v_stream then
          v_version := (v_versions->>v_stream)::integer + 1;
        else
          v_expected := (v_event->>'e')::integer;
          if v_expected is null then
            select coalesce(max(e.version), 0) into v_version from events e where e.stream = v_stream;
          else
            -- An expectation ahead of the stream would leave a hole; one behind it is caught by the
            -- unique key below.
            if v_expected > 0 and not exists (
              select 1 from events e where e.stream = v_stream and e.version = v_expected) then
              raise exception 'stream % is not at version %', v_stream, v_expected
                using errcode = 'LDG01', detail = v_stream;
            end if;
            v_version := v_expected;
          end if;
          v_version := v_version + 1;
        end if;
        v_versions := jsonb_set(v_versions, array[v_stream], to_jsonb(v_version));
        v_position := v_position + 1;
        v_prevs := v_prevs || v_hash;
        v_hash := encode(sha256(convert_to(
          v_hash || E'\n' || v_position::text || E'\n' || v_at_text || E'\n' || v_stream || E'\n' ||
          v_version::text || E'\n' || (v_event->>'b'), 'UTF8')), 'hex');
        v_positions := v_positions || v_position;
        v_streams := v_streams || v_stream;
        v_numbers := v_numbers || v_version;
        v_bodies := v_bodies || ((v_event->>'b')::jsonb);
        v_hashes := v_hashes || v_hash;
      end loop;

      begin
        insert into events (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
        select p, (b->>'eventId')::uuid, s, n, b->>'type', b->'data', b->'metadata', v_at, ph, h
          from unnest(v_positions, v_streams, v_numbers, v_bodies, v_prevs, v_hashes) as t(p, s, n, b, ph, h);
      exception when unique_violation then
        get stacked diagnostics v_violated = constraint_name;
        if v_violated = 'events_stream_version_key' then
          raise exception 'a stream moved past its expected version' using errcode = 'LDG01';
        end if;
        raise;
      end;

      select coalesce(jsonb_agg(jsonb_build_object(
               'position', p, 'stream', s, 'version', n, 'eventId', b->>'eventId',
               'recordedAt', v_at_text, 'hash', h) order by p), '[]'::jsonb)
        into v_result
        from unnest(v_positions, v_streams, v_numbers, v_bodies, v_hashes) as t(p, s, n, b, h);

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        values (p_idempotency_key, p_request_hash, v_result, v_at);
      end if;

      return query
        select p, s, n, (b->>'eventId')::uuid, v_at, h, false
          from unnest(v_positions, v_streams, v_numbers, v_bodies, v_hashes) as t(p, s, n, b, h)
         order by p;
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
  await sql`grant select, insert, update on subscription_checkpoints to ledger_app`.execute(db);
  await sql`grant execute on function ledger_append(jsonb, text, text), ledger_lock_appends() to ledger_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
