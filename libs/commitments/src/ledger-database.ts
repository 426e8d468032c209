import type { Kysely } from 'kysely';
import type { LedgerTables } from '@ledger/read-models';

/**
 * The injection token of the open ledger database (a Kysely handle over the journal and the read
 * models). The application provides it; this library only consumes it.
 */
export const LEDGER_DB = Symbol('LEDGER_DB');
export type LedgerDb = Kysely<LedgerTables>;

/** A read asked for an id the ledger never registered. Readers map it to 404. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  readonly code = 'not-found';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} is not registered`);
  }
}
