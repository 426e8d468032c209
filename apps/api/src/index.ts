/**
 * The HTTP adapter as a library, for the e2e harness, benchmarks and tools that start the
 * application in-process. `main.ts` is the process entry point.
 */
export { createApp, configureHttp } from './app';
export type { AppOptions } from './app';
export { AppModule } from './app.module';
export { LEDGER_DATABASE, DatabaseModule } from './database/database.module';
export { createLogger } from './http/logger';
