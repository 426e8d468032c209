import { Client } from 'pg';

/** A database of its own on a PostgreSQL server: its connection string, and how to drop it. */
export interface ServerDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** The connection string of database `name` on the server `serverUrl` names. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates database `name` on the server `serverUrl` names. With `replace`, one an earlier run left
 * behind under that name is dropped first (benchmarks use fixed names; tests use fresh ones).
 */
export async function createServerDatabase(serverUrl: string, name: string, options: { replace?: boolean } = {}): Promise<ServerDatabase> {
  if (options.replace) await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(serverUrl, `create database ${name}`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
