import type { Generated } from 'kysely';
import type { JsonObject } from './types';

/** The tables the event store owns (migrations/0001_event_store.ts). */
export interface EventStoreTables {
  events: {
    position: number;
    event_id: string;
    stream: string;
    version: number;
    type: string;
    data: JsonObject;
    metadata: JsonObject;
    recorded_at: Date;
    prev_hash: string;
    hash: string;
  };
  idempotency_keys: {
    key: string;
    request_hash: string;
    result: unknown;
    recorded_at: Date;
  };
  subscription_checkpoints: {
    name: string;
    position: number;
    updated_at: Generated<Date>;
  };
}
