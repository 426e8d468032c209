import 'reflect-metadata';
import { loadConfigOrExit } from '@ledger/config';
import { createApp } from './app';
import { createLogger } from './http/logger';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger();
  const app = await createApp({ config, logger });
  // On SIGTERM/SIGINT Nest stops accepting connections, lets in-flight requests finish, and only
  // then runs the shutdown hooks that close the database. It then ends with process.exit, not by
  // re-raising the signal, so pino's exit handler flushes the last log lines.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.listen(config.port);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ url: `http://localhost:${port}` }, `listening on http://localhost:${port}`);
}

main().catch((error: unknown) => {
  // A start-up failure (database unreachable, migration refused) is reported in one line.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ledger api failed to start: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
