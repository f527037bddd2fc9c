import type { Prisma } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { requestContext } from "~/lib/request-context.server";
import { singleton } from "~/lib/singleton.server";
import { connect, type DatabaseConnection, type DatabaseTarget } from "./connection.server";
import { closeReplica, replica, replicaForThisRead, withPrimaryFallback } from "./replica.server";
import { withShopGuard } from "./shop-scope.server";

export type { DatabaseConnection, DatabaseTarget } from "./connection.server";

/** A PostgreSQL server when DATABASE_URL is set, else embedded PGlite under PGLITE_DIR. */
export function databaseTargetFromEnv(): DatabaseTarget {
  const { DATABASE_URL, DATABASE_POOL_SIZE, PGLITE_DIR } = env();
  return DATABASE_URL
    ? { kind: "server", url: DATABASE_URL, poolSize: DATABASE_POOL_SIZE }
    : { kind: "embedded", dir: PGLITE_DIR };
}

/** The process's one database connection. */
export function connection(): DatabaseConnection {
  return singleton("db:connection", () => connect(databaseTargetFromEnv()));
}

/** The guarded Prisma client for modules: shop-owned queries must name their shop. */
export function db() {
  return singleton("db:scoped", () => withShopGuard(connection().prisma));
}

/**
 * The unguarded client, for the few named cross-shop reads (platform home, county
 * reports, trace codes) and for the tenant importer. Lint allows it only in
 * files named *.cross-shop.server.ts and in app/db.
 */
export function unscopedDb() {
  return connection().prisma;
}

/**
 * db() for reads that tolerate a second of lag (search, sitemaps, trace pages, county dashboards
 * and reports; the pages the shared page cache keeps use pageReadDb()): the replica when
 * DATABASE_REPLICA_URL is set, the request may read it and it keeps up (db/replica.server.ts),
 * else the primary. Never for a write or what must see one.
 */
export function readDb(): ReturnType<typeof db> {
  if (!replicaForThisRead()) return db();
  return singleton("db:replica:scoped", () => withShopGuard(replicaPrisma()));
}

/** unscopedDb() for lag-tolerant cross-shop reads, on the same terms as readDb(). */
export function unscopedReadDb() {
  return replicaForThisRead() ? replicaPrisma() : connection().prisma;
}

/**
 * For the pages the shared page cache keeps (shop home, product page, platform home): readDb()
 * when the request carries a visitor cookie, else db(). An anonymous render may be kept and
 * served to everyone right after a change emptied the cache, so it must see that change: the
 * primary. A visitor's render is never kept, so it may lag like any replica read (decision 024).
 */
export function pageReadDb(): ReturnType<typeof db> {
  return requestContext.getStore()?.carriesVisitorCookie ? readDb() : db();
}

/** unscopedDb() for the cross-shop reads of a page the shared page cache keeps, on pageReadDb()'s terms. */
export function unscopedPageReadDb() {
  return requestContext.getStore()?.carriesVisitorCookie ? unscopedReadDb() : unscopedDb();
}

/** The replica's client; a read it cannot serve (replica gone) runs again on the primary. */
function replicaPrisma() {
  return singleton("db:replica:fallback", () => {
    const current = replica()!;
    return withPrimaryFallback(current.connection.prisma, current.health, () => connection().prisma);
  });
}

/**
 * connection() for lag-tolerant reads that need the driver itself (a COPY, a server-side cursor),
 * on the same terms as readDb(): the replica's connection when this read may use it, else the
 * primary's. Choose it once, when the read starts, inside the request: a file streamed after the
 * loader returned may be read outside the request's context.
 */
export function readConnection(): DatabaseConnection {
  return replicaForThisRead() ?? connection();
}

export async function closeDatabase(): Promise<void> {
  await closeReplica();
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  const existing = store.__singletons?.get("db:connection") as DatabaseConnection | undefined;
  if (existing) {
    store.__singletons?.delete("db:connection");
    store.__singletons?.delete("db:scoped");
    await existing.close();
  }
}

/** A transaction, whichever client opened it: functions shared by scoped and cross-shop code take this. */
export type Tx = Prisma.TransactionClient;
type ScopedTx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/**
 * Views a scoped transaction as the plain transaction type. Only the static type changes:
 * at run time it is still the guarded client, so shop-owned queries must still name the shop.
 */
export function asTx(scoped: ScopedTx): Tx {
  return scoped as unknown as Tx;
}
