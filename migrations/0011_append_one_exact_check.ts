import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never change once applied anywhere; later changes get a new file.
//
// 1-event appends from 8 writers, measured through Node as `npm run bench:store` measures them: the
// stream's version read before the lock (ledger_stream_version(): a plpgsql call, max(version), a
// comparison) was the largest part of an append's CPU after the hash, and on a 2-core machine every
// µs of it slows the lock's holder, which shares the cores. Its replacement asks only what the
// expectation needs before the lock: that the stream holds an event at the expected version. A
// stream short of it is refused there, as before, by ledger_stream_version() (which says where the
// stream is); a stream past it, or a 'no-stream' expectation on a stream that exists, is refused by
// the unique key on (stream, version) when the insert tries the next version, which the client has
// always reported as the same ConcurrencyError. Such a stale request now waits for the lock before
// it is refused; requests that hold are what the lock's throughput is for. The path that checks
// before the lock also runs fewer plpgsql statements.
//
// In 5 interleaved runs of a one-off copy of the bench (12 s per step, 8 writers), this function
// appended 1.01-1.06 times as fast as the one it replaces. Under pgbench (a copy of
// `npm run bench:lock-parts` with the replaced function beside it, 2 runs) it ran 1.02-1.04 times
// as fast and cost the whole machine 12-13 µs less CPU per append. Keyed requests and 'any' are
// unchanged: their versions are read under the lock, after the idempotency key is known to be new.

export async function up(db: Kysely<any>): Promise<void> {
  // The answer and contract of 0009_append_batch.ts, but for one error: a stream past an unkeyed
  // exact expectation is refused by the unique key (23505 on events_stream_version_key), not LDG01.
  await sql`
    create or replace function ledger_append_one(p_stream text, p_expected integer, p_body text,
                                                 p_idempotency_key text, p_request_hash text)
    returns table (r_position bigint, r_recorded_at timestamptz, r_versions text, r_hashes text, r_replay jsonb)
    language plpgsql volatile as $fn$
    declare
      v_doc      jsonb := p_body::jsonb;
      -- The stream's version before this append.
      v_version  integer := p_expected;
    begin
      if p_idempotency_key is null and p_expected is not null then
        -- Versions only grow: a stream that holds the expected version now holds it after the lock.
        if p_expected > 0 and not exists (select from events e where e.stream = p_stream and e.version = p_expected) then
          perform ledger_stream_version(p_stream, p_expected);
        end if;
        perform ledger_lock_appends();
      else
        perform ledger_lock_appends();
        if p_idempotency_key is not null then
          r_replay := ledger_kept_result(p_idempotency_key, p_request_hash);
          if r_replay is not null then
            return next;
            return;
          end if;
        end if;
        v_version := ledger_stream_version(p_stream, p_expected);
      end if;
      r_recorded_at := date_trunc('milliseconds', clock_timestamp());

      -- The head is read by the statement that inserts after it: one statement under the lock.
      insert into events as e (position, event_id, stream, version, type, data, metadata, recorded_at, prev_hash, hash)
      select h.head_position + 1, (v_doc->>'eventId')::uuid, p_stream, v_version + 1, v_doc->>'type', v_doc->'data',
             v_doc->'metadata', r_recorded_at, h.head_hash,
             ledger_chain_hash(h.head_hash, h.head_position + 1, r_recorded_at, p_stream, v_version + 1, p_body)
        from ledger_head() as h
      returning e.position, e.version::text, e.hash into r_position, r_versions, r_hashes;

      if p_idempotency_key is not null then
        insert into idempotency_keys (key, request_hash, result, recorded_at)
        values (p_idempotency_key, p_request_hash,
                jsonb_build_array(ledger_result_entry(r_position, p_stream, v_version + 1, (v_doc->>'eventId')::uuid,
                                                      r_recorded_at, r_hashes)),
                r_recorded_at);
      end if;
      return next;
    end
    $fn$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the event journal is never migrated down');
}
