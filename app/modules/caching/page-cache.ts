import type { HeadersFunction } from "@remix-run/node";

// Pages anyone may see alike (docs/decisions/012-page-caching.md): the route says so with
// `export const headers = publicPage()`, and entry.server turns it into `private, no-store`
// for any request that carries a session or cart cookie, any response that sets a cookie or
// is not a 200, and anything but GET/HEAD.

/** Seconds a browser or shared cache may reuse a page, and serve it stale while it refreshes. */
export const PAGE_MAX_AGE = 60;
export const PAGE_STALE_WHILE_REVALIDATE = 300;

export const PRIVATE_NO_STORE = "private, no-store";

export function publicCacheControl(maxAge = PAGE_MAX_AGE, staleWhileRevalidate = PAGE_STALE_WHILE_REVALIDATE) {
  return `public, max-age=${maxAge}, stale-while-revalidate=${staleWhileRevalidate}`;
}

/** A route's `headers` export for a page that may be cached when nobody is known. */
export function publicPage(maxAge = PAGE_MAX_AGE): HeadersFunction {
  return () => ({ "Cache-Control": publicCacheControl(maxAge) });
}
