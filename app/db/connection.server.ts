import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import QueryStream from "pg-query-stream";
import { PrismaClient } from "~/generated/prisma/client";
import { noteSqlStatement } from "~/lib/request-context.server";
import { lazyRequire } from "~/lib/lazy-require.server";

export interface QueryOptions {
  prepare?: boolean;
}

/**
 * The prepared statement's name for a statement's text: the same on every connection. Bounded:
 * past PREPARED_TEXTS_MAX distinct texts a statement runs unnamed, so a caller that builds texts
 * cannot make every connection keep an unbounded number of statements.
 */
const preparedNames = new Map<string, string>();
const PREPARED_TEXTS_MAX = 200;
function preparedName(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < PREPARED_TEXTS_MAX) {
    name = `p${preparedNames.size + 1}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/** Multi-statement SQL access to the same database Prisma uses (migrations, health, tests). */
export interface RawSql {
  /** Runs a script of one or more statements, no parameters. */
  exec(sql: string): Promise<void>;
  /**
   * `prepare`: on the server, a prepared statement kept by each pooled connection (parsed and
   * analysed once per connection, not on every call), for hot statements whose text never changes
   * (the checkout's placement, decision 040). The embedded database ignores it.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs fn on one connection inside BEGIN … COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (sql: Omit<RawSql, "transaction" | "close" | "session">) => Promise<T>): Promise<T>;
  /**
   * The server only: runs fn on one connection of its own, held until fn settles, for what must
   * stay on one session (a session-level advisory lock). The embedded database has one anyway.
   */
  session?<T>(fn: (sql: Omit<RawSql, "close" | "session">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseConnection {
  kind: "server" | "embedded";
  /** Where it is, for messages: a URL without password, or a folder. */
  location: string;
  /** The server's connection URL (with password), for a second pool of its own, e.g. the rate-limit store. */
  url?: string;
  prisma: PrismaClient;
  raw: RawSql;
  /**
   * The server only: the rows of one query read through a server-side cursor, `batchSize` at a
   * time, on a connection of its own that goes back to the pool when the loop ends (or breaks).
   * The embedded database has none (PGlite answers a query all at once): read it in keyset pages.
   */
  cursor?: <Row>(
    sql: string,
    params: unknown[],
    batchSize: number,
    settings?: Record<string, string>,
  ) => AsyncIterable<Row>;
  /**
   * The server only: the bytes of `COPY (query) TO STDOUT …` (a whole statement, no parameters),
   * in chunks of about 64 KB, on a connection of its own; `onEnd` gets the row count once the last
   * chunk is read. A consumer that stops early drops that connection (a COPY cannot be left
   * politely), so the server ends the query.
   */
  copyOut?: (sql: string, settings: Record<string, string>, onEnd: (rows: number) => void) => AsyncIterable<Buffer>;
  /**
   * The embedded database only: calls `onNotify` with each NOTIFY payload on `channel` (after
   * the sending transaction commits). A server's listeners hold a connection of their own (`url`).
   */
  listen?: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  { kind: "server"; url: string; poolSize?: number } | { kind: "embedded"; dir: string | null /* null = in memory */ };

// Every SQL statement Prisma sends through the driver adapter is counted against the request
// being served: the request log line and the Server-Timing header show it, and a test holds
// pages to a fixed number (tests/integration/sql-per-page.test.ts). Counted in the adapter,
// not with Prisma's query events, which halved the pages per second on PGlite.
function countingAdapter<F extends SqlDriverAdapterFactory>(factory: F): F {
  return new Proxy(factory, {
    get(target, property) {
      if (property === "connect") return async () => counting(await target.connect());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function counting<T extends SqlDriverAdapter | Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>>(
  queryable: T,
): T {
  return new Proxy(queryable, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "queryRaw" || property === "executeRaw") {
        return async (query: unknown) => {
          const started = performance.now();
          try {
            return await value.call(target, query);
          } finally {
            noteSqlStatement(performance.now() - started);
          }
        };
      }
      if (property === "startTransaction")
        return async (...args: unknown[]) => counting(await value.apply(target, args));
      return value.bind(target);
    },
  });
}

export function connect(target: DatabaseTarget): DatabaseConnection {
  return target.kind === "server" ? connectServer(target.url, target.poolSize ?? 10) : connectEmbedded(target.dir);
}

function connectServer(url: string, poolSize: number): DatabaseConnection {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, failover, DROP DATABASE … FORCE)
  // emits 'error' on the pool; unhandled, that would crash the process.
  pool.on("error", (error) => console.warn(`database connection lost: ${error.message}`));
  // A connection that is checked out (between the statements of a transaction run on the driver
  // itself, or of a cursor) emits 'error' on its client instead, where the pool does not listen:
  // unhandled, one lost primary would crash every node. The statement that uses it next fails,
  // and the pool drops it when it comes back.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.warn(`database connection lost while in use: ${error.message}`));
  });
  const prisma = new PrismaClient({
    adapter: countingAdapter(new PrismaPg(pool)),
    // A transaction waits this long for a pooled connection (Prisma's default is 2 s). In a rush, or
    // when one node has just taken over a lost node's buyers, the pool queues: a 2 s wait made that
    // queue a 500 for an add to cart; waiting longer answers it a little later instead.
    transactionOptions: { maxWait: 10_000 },
  });
  const onClient = (client: pg.PoolClient) => ({
    exec: async (sql: string) => void (await client.query(sql)),
    query: async <Row>(sql: string, params?: unknown[], options?: QueryOptions) => {
      const name = options?.prepare ? preparedName(sql) : undefined;
      return (await (name ? client.query({ name, text: sql, values: params }) : client.query(sql, params)))
        .rows as Row[];
    },
  });
  const inTransaction = async <T>(client: pg.PoolClient, fn: (sql: ReturnType<typeof onClient>) => Promise<T>) => {
    await client.query("BEGIN");
    try {
      const result = await fn(onClient(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
  const raw: RawSql = {
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        // A connection lost meanwhile is not queryable: the pool drops it rather than reuse it.
        client.release();
      }
    },
    async session(fn) {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        return await fn({ ...onClient(client), transaction: (inner) => inTransaction(client, inner) });
      } catch (error) {
        failed = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // A session that failed may still hold what it took (locks): drop it rather than reuse it.
        client.release(failed);
      }
    },
    async close() {
      await pool.end();
    },
  };
  let closed = false;
  return {
    kind: "server",
    location: redactUrl(url),
    url,
    prisma,
    raw,
    cursor: (sql, params, batchSize, settings) => cursorRows(pool, sql, params, batchSize, settings),
    copyOut: (sql, settings, onEnd) => copyOutChunks(pool, sql, settings, onEnd),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * `settings`: PostgreSQL settings for this query only (e.g. jit off), set with SET LOCAL in a
 * transaction of its own around the cursor, so the pooled connection keeps its defaults.
 */
async function* cursorRows<Row>(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
  batchSize: number,
  settings?: Record<string, string>,
) {
  const started = performance.now();
  const client = await connectWithSettings(pool, settings);
  const local = Object.entries(settings ?? {});
  const stream = client.query(new QueryStream(sql, params, { batchSize }));
  // Errors reach the loop below through the iterator; this keeps a late one (closing the
  // portal after the consumer left) from being an unhandled 'error' event.
  stream.on("error", () => undefined);
  let failed: Error | undefined;
  try {
    // The stream fetches the next batch only when its buffer runs low, so a slow consumer
    // holds about one batch in memory.
    for await (const row of stream) yield row as Row;
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A consumer that stopped early leaves the portal open: close it before the connection goes
    // back to the pool; a connection that failed mid-query is dropped rather than reused.
    if (!stream.destroyed) stream.destroy();
    if (!stream.closed) await new Promise((resolve) => stream.once("close", resolve));
    if (local.length > 0 && !failed) {
      // Read-only: COMMIT and ROLLBACK are the same; a failure here drops the connection.
      await client.query("COMMIT").catch((error: unknown) => {
        failed = error instanceof Error ? error : new Error(String(error));
      });
    }
    client.release(failed);
    noteSqlStatement(performance.now() - started);
  }
}

/** A pooled connection; with `settings`, inside BEGIN with each one SET LOCAL (the caller commits). */
async function connectWithSettings(pool: pg.Pool, settings: Record<string, string> | undefined) {
  const client = await pool.connect();
  const local = Object.entries(settings ?? {});
  if (local.length === 0) return client;
  try {
    await client.query("BEGIN");
    for (const [name, value] of local) await client.query("SELECT set_config($1, $2, true)", [name, value]);
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  return client;
}

const COPY_CHUNK_BYTES = 64 * 1024;

async function* copyOutChunks(
  pool: pg.Pool,
  sql: string,
  settings: Record<string, string>,
  onEnd: (rows: number) => void,
) {
  const started = performance.now();
  const client = await connectWithSettings(pool, settings);
  const stream = client.query(copyTo(sql));
  stream.on("error", () => undefined);
  let finished = false;
  let failed: Error | undefined;
  try {
    // The stream gives a chunk per row or per socket read: gathered into ~64 KB pieces, so a
    // million rows are a few thousand writes downstream rather than a million.
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of stream) {
      pending.push(chunk as Buffer);
      pendingBytes += (chunk as Buffer).length;
      if (pendingBytes >= COPY_CHUNK_BYTES) {
        yield pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending.length = 0;
        pendingBytes = 0;
      }
    }
    if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
    finished = true;
    if (Object.keys(settings).length > 0) await client.query("COMMIT");
    onEnd(stream.rowCount);
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Stopped early (or failed): the connection is mid-COPY, so it is closed, not reused.
    if (!finished && !stream.destroyed) stream.destroy();
    client.release(finished ? failed : (failed ?? true));
    noteSqlStatement(performance.now() - started);
  }
}

export class EmbeddedDatabaseBusyError extends Error {}

// The embedded database (PGlite and its adapter, ~9 MB of a process) loads only when it is used:
// a node on the PostgreSQL server never carries it.
const loadPglite = lazyRequire<{ PGlite: typeof PGlite }>("@electric-sql/pglite");
const loadPgTrgm = lazyRequire<{ pg_trgm: typeof pg_trgm }>("@electric-sql/pglite/contrib/pg_trgm");
const loadPgliteAdapter = lazyRequire<{ PrismaPGlite: typeof PrismaPGlite }>("pglite-prisma-adapter");

function connectEmbedded(dir: string | null): DatabaseConnection {
  const release = dir ? lockFolder(dir) : () => undefined;
  const pglite = new (loadPglite().PGlite)({
    dataDir: dir ?? undefined,
    extensions: { pg_trgm: loadPgTrgm().pg_trgm },
  });
  const prisma = new PrismaClient({ adapter: countingAdapter(new (loadPgliteAdapter().PrismaPGlite)(pglite)) });
  const raw: RawSql = {
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query(sql, params) {
      return (await pglite.query(sql, params as unknown[])).rows as never[];
    },
    async transaction(fn) {
      return pglite.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never[],
        }),
      );
    },
    async close() {
      await pglite.close();
    },
  };
  let closed = false;
  return {
    kind: "embedded",
    location: dir ?? "(in memory)",
    prisma,
    raw,
    listen: (channel, onNotify) => pglite.listen(channel, onNotify),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder
 * corrupts it. A lock file with the owner's pid turns that into a clear error.
 */
function lockFolder(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
  try {
    const holder = Number(fs.readFileSync(lockPath, "utf8"));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new EmbeddedDatabaseBusyError(
        `The embedded database in ${dir} is in use by process ${holder} (is \`npm start\` running?). ` +
          `Stop that process first, or set DATABASE_URL to use a PostgreSQL server.`,
      );
    }
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusyError) throw error;
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => {
    try {
      if (Number(fs.readFileSync(lockPath, "utf8")) === process.pid) fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
