// Fresh benchmark databases on a PostgreSQL server, dropped (WITH FORCE) when done.
import pg from "pg";

export interface ServerDatabase {
  url: string;
  name: string;
  version: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the PostgreSQL server named by BENCH_DATABASE_URL or DATABASE_URL,
 * else the local one on 127.0.0.1:5432; a reason string when there is none to use.
 */
export async function createServerDatabase(prefix = "bench"): Promise<ServerDatabase | string> {
  const given = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  const adminUrl = given || "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    const version =
      (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      name,
      version,
      async drop() {
        const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
        await client.connect();
        try {
          // FORCE: a server killed mid-run may leave its pool's sessions behind.
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  } catch (error) {
    const where = given ? "the server in BENCH_DATABASE_URL/DATABASE_URL" : "postgresql://127.0.0.1:5432";
    // A refused connection is an AggregateError with an empty message: name its code.
    const { message, code } = error as Error & { code?: string };
    return `no PostgreSQL database could be created on ${where} (${message || code || String(error)})`;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/** A database an earlier run kept, by name, on the same server; never dropped by `drop()`'s caller by accident. */
export async function existingServerDatabase(name: string): Promise<ServerDatabase | string> {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) return `not a database name: ${JSON.stringify(name)}`;
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
    return { url: url.toString(), name, version, drop: async () => undefined };
  } catch (error) {
    return `database ${name} cannot be opened (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
