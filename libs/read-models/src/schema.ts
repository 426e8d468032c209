import type { Kysely } from 'kysely';
import type { EventStoreTables } from '@ledger/event-store';

/** The end of a version's valid or recorded interval that is still open: after every date and instant (migrations/0006). */
export const OPEN_END = 'infinity' as const;

/** The read-model tables (migrations/0002_read_models.ts). Numeric columns come back as strings. */
export interface ReadModelTables {
  rm_sources: {
    id: string; publisher: string; title: string; language: string; published_on: string;
    url: string | null; origin: string; position: number; recorded_at: Date;
  };
  rm_citations: {
    source_id: string; position: number; event_id: string; stream: string; type: string;
    effective_on: string; recorded_at: Date;
  };
  rm_institutions: {
    id: string; name: string; kind: string; country: string | null; aliases: string[];
    position: number; recorded_at: Date;
  };
  rm_programmes: {
    id: string; name: string; aliases: string[]; parent: string | null; owners: string[];
    position: number; recorded_at: Date;
  };
  /** programme_position: the programme's registration position, the key a balance scans its versions by (migrations/0007). */
  rm_programme_tree: { ancestor: string; programme: string; depth: number; programme_position: number };
  rm_commitments: {
    id: string; programme: string; announced_by: string; kind: string; part_of: string | null;
    horizon: string | null; effective_on: string; position: number; recorded_at: Date; reversed_at: Date | null;
  };
  rm_commitment_ancestors: { commitment: string; ancestor: string; depth: number };
  rm_commitment_versions: {
    commitment: string; programme: string; valid_from: string; valid_to: string | typeof OPEN_END;
    recorded_from: Date; recorded_to: Date | typeof OPEN_END; unit: string; qualifier: string;
    low: string | null; high: string | null; pledgers: string[]; effective_on: string; source_position: number;
    part_of: string | null;
    /** The programme's registration position, as in rm_programme_tree (migrations/0007). */
    programme_position: number;
    /** How many levels above its programme a programme's subtree first holds one of its wholes too (migrations/0005); null when none does. */
    whole_level: number | null;
  };
  rm_pledges: {
    institution: string; commitment: string; valid_from: string; valid_to: string | typeof OPEN_END;
    recorded_from: Date; recorded_to: Date | typeof OPEN_END; unit: string; qualifier: string;
    low: string | null; high: string | null; joint: boolean; part_of: string | null;
  };
  rm_agreements: {
    id: string; kind: string; parties: string[]; programmes: string[]; effective_on: string;
    sources: string[]; position: number; recorded_at: Date; reversed_at: Date | null;
  };
  rm_discrepancies: {
    id: string; commitment: string | null; field: string; accounts: unknown; note: string;
    effective_on: string; sources: string[]; position: number; recorded_at: Date; reversed_at: Date | null;
  };
  rm_checkpoint: { id: number; position: number };
}

export type LedgerTables = ReadModelTables & EventStoreTables;

/**
 * The journal's view of a ledger database handle. Kysely types are invariant in their tables, so a
 * handle over more tables than the event store's must be narrowed explicitly to call it.
 */
export function journal(db: Kysely<LedgerTables>): Kysely<EventStoreTables> {
  return db as unknown as Kysely<EventStoreTables>;
}
