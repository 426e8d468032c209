import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LedgerConfig, Writer } from '@ledger/config';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import { createApp, createLogger } from '@ledger/api';

export interface TestApp {
  readonly app: NestExpressApplication;
  /** supertest bound to the app's HTTP server: `http.get('/health')`. */
  readonly http: ReturnType<typeof request>;
  readonly db: TestDatabase;
  /** The first writer's token, and its name. */
  readonly token: string;
  readonly writer: string;
  /** Every JSON log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Lines the app announced on stdout (a generated writer token). */
  readonly announced: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** The writers; by default one writer `tester` with a random token. `null` lets the app generate one. */
  readonly writers?: readonly Writer[] | null;
  readonly seed?: boolean;
}

/**
 * The application on a fresh database of its own (`openTestDatabase`: in-memory PGlite, or a new
 * PostgreSQL database when DATABASE_URL is set). Start one per spec file, in `beforeAll`.
 */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const logs: Record<string, unknown>[] = [];
  const announced: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  const writers =
    options.writers === null ? undefined : (options.writers ?? [{ name: 'tester', token: randomBytes(24).toString('hex') }]);
  const config: LedgerConfig = {
    port: 0,
    databaseUrl: db.url,
    dataDir: 'memory://',
    writers,
    seed: options.seed ?? false,
  };
  let app: NestExpressApplication;
  try {
    app = await createApp({ config, database: db, logger, announce: (line) => announced.push(line) });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await db.close();
    throw error;
  }
  const generated = announced.map((line) => /^writer token for "local": (\S+)$/.exec(line)).find(Boolean);
  const token = writers?.[0]?.token ?? generated?.[1] ?? '';
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    token,
    writer: writers?.[0]?.name ?? 'local',
    logs,
    announced,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
