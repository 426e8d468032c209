import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { migrateToLatest, openDatabase, type LedgerDatabase } from '@ledger/db';
import { openTestDatabase } from '@ledger/testing';
import { createApp, createLogger, LEDGER_DATABASE } from '@ledger/api';
import { startTestApp, type TestApp } from './support/app';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function answerOf(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('graceful shutdown', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.db.close();
  });

  it('stops accepting connections but lets a request in flight finish', async () => {
    const server = t.app.getHttpServer() as Server;
    const port = (server.address() as { port: number }).port;
    const body = JSON.stringify({ id: 'in-flight', pad: 'x'.repeat(200) });
    const socket = await open(port);
    const answer = answerOf(socket);
    const arrived = new Promise((resolve) => server.once('request', resolve));
    socket.write(
      `POST /v1/in-flight HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 20));
    await arrived;

    let closed = false;
    const closing = t.app.close().then(() => (closed = true));
    await until(() => !server.listening);
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);

    socket.write(body.slice(20));
    const text = await answer;
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    expect(text).toContain('"instance":"/v1/in-flight"');
    await closing;
    expect(closed).toBe(true);
  });
});

describe('graceful shutdown of an application that opened its own database', () => {
  const token = randomBytes(24).toString('hex');
  const logs: Record<string, unknown>[] = [];
  let app: NestExpressApplication | undefined;
  let socket: Socket | undefined;

  afterAll(async () => {
    // Only when the test failed midway: a half-sent request would hold the closing server open.
    socket?.destroy();
    if (app?.getHttpServer().listening) await app.close();
  });

  it('closes the database only after the request in flight has been answered', async () => {
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
    // No `database` option: the application opens (and migrates) the embedded one itself, and so owns it.
    app = await createApp({
      config: { port: 0, databaseUrl: undefined, dataDir: 'memory://', writers: undefined, seed: false },
      writers: [{ name: 'tester', token }],
      logger,
    });
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    const port = (server.address() as { port: number }).port;

    // What happened, in order: the answer leaving, and the handle being closed.
    const order: string[] = [];
    const database = app.get<LedgerDatabase>(LEDGER_DATABASE);
    const head = () => database.db.selectFrom('events').select('position').execute();
    await expect(head()).resolves.toEqual([]);
    const close = database.close.bind(database);
    Object.assign(database, { close: () => (order.push('database closed'), close()) });
    server.once('request', (_request, response) => response.once('finish', () => order.push('request answered')));

    // A write that reaches the database only once the rest of its body arrives, after close() began.
    const body = JSON.stringify({
      id: 'shutdown-source', publisher: 'E2E', title: 'Written while closing', language: 'en',
      publishedOn: '2025-03-01', url: null, origin: 'shutdown-source',
    });
    socket = await open(port);
    const answer = answerOf(socket);
    const arrived = new Promise((resolve) => server.once('request', resolve));
    socket.write(
      `POST /v1/sources HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 20));
    await arrived;

    const closing = app.close();
    await until(() => !server.listening);
    expect(order).toEqual([]);

    socket.write(body.slice(20));
    const text = await answer;
    await closing;
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(order).toEqual(['request answered', 'database closed']);
    await expect(head()).rejects.toThrow(/destroyed/);
    expect(logs.map((line) => line.msg)).toContain('pglite database closed');
  });
});

describe('an application whose database refuses its migrations', () => {
  it('fails to start, says why, and closes the database it opened', async () => {
    // A database migrated by a newer build: its list of applied migrations names one this build lacks.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-newer-'));
    const server = process.env['DATABASE_URL'] ? await openTestDatabase() : undefined;
    const embedded = server ? undefined : await openDatabase({ dataDir });
    const owner = (server ?? embedded)!;
    const connections = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database()`.execute(owner.db)).rows[0]!.n;
    const closes = jest.spyOn(PGlite.prototype, 'close');
    const logs: Record<string, unknown>[] = [];
    try {
      await migrateToLatest(owner.db);
      await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_build', now())`.execute(owner.db);
      // The embedded database allows one process at a time: the application opens it after us.
      await embedded?.close();
      closes.mockClear();
      const before = server ? await connections() : 0;

      const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
      const started = createApp({ config: { port: 0, databaseUrl: server?.url, dataDir, writers: undefined, seed: false }, logger });
      await expect(started).rejects.toThrow(/9999_from_a_newer_build/);

      expect(logs.map((line) => line.msg)).toContain(`${server ? 'postgres' : 'pglite'} database closed: its migrations did not apply`);
      if (server) {
        // The application's pool is gone: the server soon sees only the test's own connections (a
        // backend leaves pg_stat_activity a moment after its client hangs up).
        const deadline = Date.now() + 5000;
        while ((await connections()) !== before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await connections()).toBe(before);
      } else {
        expect(closes).toHaveBeenCalledTimes(1);
      }
    } finally {
      closes.mockRestore();
      await server?.close();
      await embedded?.close().catch(() => undefined); // when the test failed before closing it
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
