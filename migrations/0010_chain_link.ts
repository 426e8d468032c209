import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// Many-event appends, measured by `npm run bench:store`: the loop that chains a 100-event append's
// hashes under the lock spent a third of its time writing the same recording time as text once per
// event (to_char inside ledger_chain_hash()). In a loop of 300 such chains, 0.27-0.46 ms per append
// became 0.19-0.30 ms; a whole 100-event append's database work, timed in one transaction, went from
// 2.30 to 2.18 ms (means of 8 interleaved blocks of 300 appends each).
//
// The formula now lives in ledger_chain_link(), which takes the recording time as the text it is
// hashed as; ledger_chain_hash() keeps its signature and meaning and writes the time for it, so
// ledger_append_one() and anything else calling it is unchanged. ledger_append_batch() is the same
// as in 0009_append_batch.ts but for writing the time once and linking through ledger_chain_link().

export async function up(db: Kysely<any>): Promise<void> {
  // hash = sha256(prev_hash \n position \n recorded_at \n stream \n version \n body), hex, with
  // recorded_at as ledger_instant_text() writes it. chainHash() in libs/event-store/src/canonical.ts
  // must match it character for character. One SQL expression, so callers get it inlined.
  await sql`
    create function ledger_chain_link(p_prev text, p_position bigint, p_at text, p_stream text,
                                      p_version integer, p_body text)
    returns text language sql stable as $fn$
      select encode(sha256(convert_to(
        p_prev || E'\\n' || p_position::text || E'\\n' || p_at || E'\\n' ||
        p_stream || E'\\n' || p_version::text || E'\\n' || p_body, 'UTF8')), 'hex')
    $fn$`.execute(db);
  await sql`
    create or replace function ledger_chain_hash(p_prev text, p_position bigint, p_at timestamptz, p_stream text,
                                                 p_version integer, p_body text)
    returns text language sql stable as $fn$
      select ledger_chain_link(p_prev, p_position, ledger_instant_text(p_at), p_stream, p_version, p_body)
    $fn$`.execute(db);

  // As in 0009_append_batch.ts (its comment there says what it takes and answers).
  await sql`
    create or replace function ledger_append_batch(p_streams text[], p_expected integer[], p_counts integer[], p_bodies text,
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
      v_at_text text;
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
      v_at_text := ledger_instant_text(v_at);

      -- The chain: the i-th event takes position v_head + i and links to the hash before it; the
      -- recording time they share is written as text once.
      for i in 1 .. v_count loop
        v_hashes[i] := ledger_chain_link(coalesce(v_hashes[i - 1], v_head_hash), v_head + i, v_at_text, v_streams[i],
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
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
