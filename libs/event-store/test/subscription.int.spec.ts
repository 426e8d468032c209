import { spawn } from 'node:child_process';
import path from 'node:path';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';
import { appendToStreams, catchUp, checkpointOf, head, type StoreDb } from '@ledger/event-store';
import { deposit, rejection } from './support';
import { appliedCounts, createProjectionTable, projection } from './fixtures/projection';

const REPO_ROOT = path.resolve(__dirname, '../../..');

let database: TestDatabase;
let db: StoreDb;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db as StoreDb;
  await createProjectionTable(db);
  await appendEvents(1000);
});
afterAll(async () => {
  await database.close();
});

async function appendEvents(count: number, prefix = 'sub'): Promise<void> {
  for (let done = 0; done < count; done += 100) {
    await appendToStreams(db, {
      streams: [
        {
          stream: `${prefix}-${done}`,
          expected: 'no-stream',
          events: Array.from({ length: Math.min(100, count - done) }, (_, i) => deposit(`${i}.00`)),
        },
      ],
    });
  }
}

/** Every position from 1 to the head applied exactly once, nothing else. */
function exactlyOnce(upTo: number): Map<number, number> {
  return new Map(Array.from({ length: upTo }, (_, i) => [i + 1, 1]));
}

class SimulatedCrash extends Error {}

describe('subscriptions', () => {
  it('resumes after a crash mid-batch without losing or repeating an event', async () => {
    const name = 'crash-once';
    let crashed = false;
    const crashing = projection({
      name,
      batchSize: 64,
      midBatch: async (events) => {
        if (!crashed && events.some((event) => event.position === 300)) {
          crashed = true;
          throw new SimulatedCrash('the process died after writing half of this batch');
        }
      },
    });
    expect(await rejection(catchUp(db, crashing))).toBeInstanceOf(SimulatedCrash);

    // The batch holding position 300 (257..320) rolled back with its half-written rows.
    expect(await checkpointOf(db, name)).toBe(256);
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(256));

    const resumed = await catchUp(db, crashing);
    const current = await head(db);
    expect(resumed).toEqual({ applied: current.position - 256, position: current.position });
    expect(await checkpointOf(db, name)).toBe(current.position);
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(current.position));
  });

  it('lets two runners of one subscription take turns instead of applying events twice', async () => {
    const name = 'two-runners';
    const runner = projection({ name, batchSize: 50 });
    const [a, b] = await Promise.all([catchUp(db, runner), catchUp(db, runner)]);
    const current = await head(db);
    expect(a.applied + b.applied).toBe(current.position);
    expect(await checkpointOf(db, name)).toBe(current.position);
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(current.position));
  });

  it('picks up events appended after it caught up', async () => {
    const name = 'later';
    const runner = projection({ name, batchSize: 128 });
    await catchUp(db, runner);
    const before = await head(db);
    await appendEvents(150, 'sub-later');
    expect(await catchUp(db, runner)).toEqual({ applied: 150, position: before.position + 150 });
    expect(await catchUp(db, runner)).toEqual({ applied: 0, position: before.position + 150 });
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(before.position + 150));
  });

  it('resumes exactly once after its process is killed with SIGKILL', async () => {
    // Killing a process needs a database another process can reach; PGlite lives inside this one,
    // where the simulated crash above stands in.
    const url = database.url;
    if (url === undefined) {
      expect(database.kind).toBe('pglite');
      return;
    }
    const name = 'killed';
    const child = spawn(
      process.execPath,
      ['scripts/run.cjs', 'libs/event-store/test/fixtures/projection-worker.ts', url, name, '20'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    // Killed while it is in the middle of its sixth batch, with half of that batch's rows written.
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.split('\n').filter((line) => line.startsWith('applying ')).length >= 6) resolve();
      });
      void exited.then((how) => reject(new Error(`worker exited (${String(how)}) before the kill: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const current = await head(db);
    const committed = await checkpointOf(db, name);
    expect(committed).toBeGreaterThanOrEqual(100);
    expect(committed).toBeLessThan(current.position);
    // Only whole batches survive the kill: the rows of the batch it died in went with its transaction.
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(committed));

    const resumed = await catchUp(db, projection({ name, batchSize: 20 }));
    expect(resumed).toEqual({ applied: current.position - committed, position: current.position });
    expect(await checkpointOf(db, name)).toBe(current.position);
    expect(await appliedCounts(db, name)).toEqual(exactlyOnce(current.position));
  });
});
