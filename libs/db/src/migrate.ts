import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';

/** The project's `migrations/` folder: frozen files named `NNNN_what.ts`, applied in name order. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

/**
 * Loads migrations with `require`, not Kysely's FileMigrationProvider: that one uses `import()`,
 * which neither the TypeScript loader of `npm start` nor jest's module system can intercept.
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(this.folder).sort()) {
      const match = /^(\d{4}_[a-z0-9_]+)\.ts$/.exec(file);
      if (!match) continue;
      migrations[match[1]!] = require(path.join(this.folder, file)) as Migration;
    }
    return migrations;
  }
}

export class MigrationFailed extends Error {
  override readonly name = 'MigrationFailed';
}

/** Applies every pending migration; a second call is a no-op. */
// Migrations work on the database as a whole, whatever tables a caller's handle is typed with.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<MigrationResultSet> {
  const provider = new FolderMigrationProvider(folder);
  // With nothing to do the migrator is not run at all: it would take its lock (an UPDATE) and
  // create its tables if missing, rights the server's restricted role does not have.
  if (!(await migratorNeeded(db, provider))) return { results: [] };
  const migrator = new Migrator({ db, provider });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((entry) => entry.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailed(`migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/**
 * Whether the migrator has something to do: a migration not applied yet (all of them when its
 * table does not exist), or one applied that this code does not know, which the migrator refuses
 * with its own message (a database migrated by newer code).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function migratorNeeded(db: Kysely<any>, provider: MigrationProvider): Promise<boolean> {
  const names = new Set(Object.keys(await provider.getMigrations()));
  let applied: string[];
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    applied = rows.rows.map((row) => row.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return true;
    throw error;
  }
  return applied.length !== names.size || applied.some((name) => !names.has(name));
}

const UNDEFINED_TABLE = '42P01';
