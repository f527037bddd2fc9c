import { AsyncLocalStorage } from "node:async_hooks";
import { singleton } from "./singleton.server";

export interface RequestFacts {
  requestId: string;
  /** SQL statements run for this request and their time (counted by db/connection.server.ts). */
  sql?: { statements: number; ms: number };
  /** The shops whose data this page shows (the shared page cache forgets it when one changes). */
  pageShops?: Set<string>;
  /** The render did something per view (counted a scan): replaying it from a cache would skip that. */
  perViewEffect?: boolean;
  /** Reads that tolerate lag may go to the replica: a GET/HEAD without a recent write (db/replica.server.ts). */
  mayReadReplica?: boolean;
  /**
   * The request carries a session or cart cookie: its pages are that visitor's, never kept by the
   * shared page cache, so even the pages that cache keeps may read the replica (db pageReadDb()).
   */
  carriesVisitorCookie?: boolean;
  /** A read of this request went to the replica: the shared page cache must not keep the page. */
  readReplica?: boolean;
  /**
   * The visitor's cart count, once the shared page cache has read it for this request: the root
   * loader shows the same number (modules/cart cartCount()), never a second, later one.
   */
  cartCount?: number;
  /** What the root loader put in the page for this visitor (a private page's only own parts). */
  visitorParts?: { csrf: string | null; cartCount: number };
  /**
   * The route asked for `public, max-age=N` but the answer went private (someone is known, or
   * a cookie was set): N, for the shared page cache's private pages (decision 033).
   */
  publicMaxAge?: number;
}

/**
 * Per-request facts every log line carries, without threading them through every call. One
 * per process: server.ts (under tsx) and the Remix build each load this module.
 */
export const requestContext = singleton("request-context", () => new AsyncLocalStorage<RequestFacts>());

/** Counts one SQL statement against the request being served, if any. */
export function noteSqlStatement(ms: number) {
  const sql = requestContext.getStore()?.sql;
  if (!sql) return;
  sql.statements++;
  sql.ms += ms;
}

/** Notes that the page being rendered shows this shop's data (docs/decisions/019-shared-page-cache.md). */
export function notePageShop(shopId: string) {
  const facts = requestContext.getStore();
  if (!facts) return;
  (facts.pageShops ??= new Set()).add(shopId);
}

/** Notes that rendering this page had an effect of its own, so no shared cache may replay it. */
export function notePerViewEffect() {
  const facts = requestContext.getStore();
  if (facts) facts.perViewEffect = true;
}

/** Notes what the root loader showed this visitor (docs/decisions/033-private-pages-from-a-template.md). */
export function noteVisitorParts(parts: { csrf: string | null; cartCount: number }) {
  const facts = requestContext.getStore();
  if (facts) facts.visitorParts = parts;
}

/** Runs fn as a request of its own and tells how many SQL statements it ran (tests, bench). */
export async function countingSql<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number; ms: number }> {
  const facts: RequestFacts = { requestId: "count", sql: { statements: 0, ms: 0 } };
  const result = await requestContext.run(facts, fn);
  return { result, statements: facts.sql!.statements, ms: facts.sql!.ms };
}

/**
 * `Server-Timing: sql;dur=…;desc="N statements"` for the request so far (browsers' developer
 * tools show it; `npm run bench` reads it), or null outside a request.
 */
export function sqlServerTiming(): string | null {
  const sql = requestContext.getStore()?.sql;
  return sql ? `sql;dur=${sql.ms.toFixed(1)};desc="${sql.statements} statements"` : null;
}
