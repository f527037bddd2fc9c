import { randomBytes } from "node:crypto";
import pg from "pg";
import { connect, type DatabaseConnection } from "~/db/connection.server";

// Test databases: a database on the PostgreSQL server cloned from a migrated
// template (fast), or an in-memory PGlite migrated on the spot.

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string) {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

/** A new, empty database (no migrations applied), and how to throw it away. */
export async function createEmptyDatabase(): Promise<{ connection: DatabaseConnection; drop: () => Promise<void> }> {
  const url = serverUrl();
  if (!url) {
    const connection = connect({ kind: "embedded", dir: null });
    return { connection, drop: () => connection.close() };
  }
  const name = uniqueName("test_empty");
  await adminQuery(`CREATE DATABASE "${name}"`);
  const connection = connect({ kind: "server", url: withDatabase(url, name) });
  return {
    connection,
    drop: async () => {
      await connection.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
