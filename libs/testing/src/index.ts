export { openTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { createServerDatabase, databaseUrl } from './server-database';
export type { ServerDatabase } from './server-database';
