import { createHash } from "node:crypto";
import { requestContext } from "~/lib/request-context.server";
import { carriesVisitorCookie } from "~/modules/identity/cookies.server";
import { PRIVATE_NO_STORE } from "./page-cache";

// The last word on a page's caching headers, for the HTML document (entry.server's
// handleRequest) and for Remix's single-fetch `.data` requests (handleDataRequest) alike.
// See docs/decisions/012-page-caching.md.

/** Pages differ by language (cookie or Accept-Language) and by who is asking (cookies). */
export const PAGE_VARY = "Cookie, Accept-Language";

/**
 * Settles Cache-Control and Vary in `headers` (changed in place). Returns true when the
 * response may be shared: the route asked for `public`, the request is a GET or HEAD from a
 * browser with neither session nor cart cookie, the answer is a 200 and sets no cookie.
 * Anything else becomes `private, no-store`.
 */
export async function settlePageCaching(request: Request, status: number, headers: Headers): Promise<boolean> {
  appendVary(headers, PAGE_VARY);
  const wanted = /(^|[\s,])public([\s,]|$)/.test(headers.get("Cache-Control") ?? "");
  const shareable =
    wanted &&
    (request.method === "GET" || request.method === "HEAD") &&
    status === 200 &&
    !headers.has("Set-Cookie") &&
    !(await carriesVisitorCookie(request));
  if (!shareable) {
    // A public page made private only by who asks: the shared cache may keep it as a template (decision 033).
    const maxAge = /(?:^|[\s,])max-age=(\d+)/.exec(headers.get("Cache-Control") ?? "");
    const facts = requestContext.getStore();
    if (facts && wanted && maxAge && request.method === "GET" && status === 200) facts.publicMaxAge = Number(maxAge[1]);
    headers.set("Cache-Control", PRIVATE_NO_STORE);
  }
  return shareable;
}

function appendVary(headers: Headers, value: string) {
  const present = new Set(
    (headers.get("Vary") ?? "")
      .split(",")
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
  );
  const missing = value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => !present.has(v.toLowerCase()));
  if (missing.length)
    headers.set("Vary", [...(headers.get("Vary") ? [headers.get("Vary")] : []), ...missing].join(", "));
}

/** A weak validator of the body's bytes: the same page, byte for byte, gets the same tag. */
export function weakEtag(body: Uint8Array | string): string {
  return `W/"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * A document's validator, known before it is rendered: the HTML is a function of the build,
 * the URL and what the loaders returned, so the same inputs make the same page. A browser
 * that has it gets its 304 without the page being rendered at all.
 */
export function documentEtag(
  request: Request,
  page: { buildVersion: string; statusCode: number; loaderData: unknown; actionData: unknown },
): string {
  return weakEtag(
    JSON.stringify([page.buildVersion, request.url, page.statusCode, page.loaderData, page.actionData ?? null]),
  );
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any current page. */
export function matchesIfNoneMatch(request: Request, etag: string): boolean {
  return ifNoneMatchMatches(request.headers.get("If-None-Match"), etag);
}

/** The same, given the If-None-Match header's value. */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/**
 * A shareable answer, buffered: its ETag, and a 304 without body when the browser already
 * holds this version.
 */
export function cachedResponse(request: Request, body: Uint8Array, status: number, headers: Headers): Response {
  const etag = weakEtag(body);
  headers.set("ETag", etag);
  if (matchesIfNoneMatch(request, etag)) {
    headers.delete("Content-Length");
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(body.byteLength));
  return new Response(body as BodyInit, { status, headers });
}

/** The same for Remix's `.data` responses (entry.server's handleDataRequest). */
export async function settleDataCaching(request: Request, response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  const shareable = await settlePageCaching(request, response.status, headers);
  if (!shareable)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  return cachedResponse(request, new Uint8Array(await response.arrayBuffer()), response.status, headers);
}
