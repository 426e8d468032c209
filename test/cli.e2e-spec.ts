import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, createLogger } from '@ledger/api';
import { expectedBalances, type ExpectedBalance } from '@ledger/seeds';
import { openTestDatabase, type TestDatabase } from '@ledger/testing';

// The terminal commands, run as a user runs them (`npm run ledger -- …`), against a ledger the
// server seeded and then let go of: PGlite in a folder of its own (one process at a time), or a
// PostgreSQL database of its own.

const ROOT = path.resolve(__dirname, '..');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let env: NodeJS.ProcessEnv;
let server: TestDatabase | undefined;
let folder: string | undefined;

function ledger(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'scripts/run.cjs'), path.join(ROOT, 'apps/cli/src/ledger.ts'), ...args], { env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  const base = { ...process.env };
  delete base['DATABASE_URL'];
  delete base['LEDGER_DATA_DIR'];
  if (process.env['DATABASE_URL']) {
    server = await openTestDatabase();
    env = { ...base, DATABASE_URL: server.url };
  } else {
    folder = mkdtempSync(path.join(tmpdir(), 'ledger-cli-'));
    env = { ...base, LEDGER_DATA_DIR: folder };
  }
  // The app opens the configured database itself, seeds it during init and closes it again.
  const app = await createApp({
    config: { port: 0, databaseUrl: server?.url, dataDir: folder ?? 'memory://', writers: undefined, seed: true },
    writers: [],
    logger: createLogger({ level: 'warn' }),
  });
  await app.close();
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

type ProgrammeRow = Extract<ExpectedBalance, { subject: { programme: string } }>;
const programmeRow = expectedBalances
  .filter((row): row is ProgrammeRow => 'programme' in row.subject)
  .find((row) => row.knownAt === undefined && row.expect.totals.length > 1)!;

describe('npm run ledger', () => {
  it('prints a seeded programme balance as the hand-derived table has it', async () => {
    const { programme } = programmeRow.subject;
    const run = await ledger('balance', programme, '--as-of', programmeRow.asOf);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${programme} (programme) as of ${programmeRow.asOf}`);
    for (const total of programmeRow.expect.totals) {
      const line = [total.unit, total.low, total.high, String(total.commitments), total.qualifiers.join(',')].join('\\s+');
      expect(run.stdout).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    expect(run.stdout).toContain(`unquantified commitments left out: ${programmeRow.expect.unquantified}`);
  }, 60_000);

  it('refuses an instant without a zone in one line, with no stack trace', async () => {
    const run = await ledger('balance', programmeRow.subject.programme, '--as-of', programmeRow.asOf, '--known-at', '2026-01-01T00:00:00');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: --known-at needs an RFC 3339 instant/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  }, 60_000);
});
