export { openDatabase } from './database';
export type { DatabaseKind, DatabaseOptions, LedgerDatabase } from './database';
export { migrateToLatest, MigrationFailed, MIGRATIONS_DIR } from './migrate';
export { executeInOneTrip, sendsInOneTrip } from './one-trip';
