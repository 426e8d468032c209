import 'reflect-metadata';
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
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
