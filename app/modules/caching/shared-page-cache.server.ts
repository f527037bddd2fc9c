import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { env } from "~/env.server";
import { getLanguage } from "~/lib/i18n.server";
import { requestContext, sqlServerTiming, type RequestFacts } from "~/lib/request-context.server";
import { requestMayReadReplica } from "~/db/replica.server";
import { carriesVisitorCookie, cookieHeaderCarriesVisitor } from "~/modules/identity/cookies.server";
import { cartCount } from "~/modules/cart/cart.cross-shop.server";
import { csrfToken } from "~/modules/identity/csrf.server";
import { newNonce } from "~/modules/security/content-security-policy.server";
import { chooseEncoding, compressLive, compressOnce, PAGE_CACHE_HEADER, type PageEncoding } from "./compression.server";
import { ifNoneMatchMatches } from "./page-cache.server";
import { listenForPageChanges, type PageChangeListener } from "./page-changes.server";
import { cutTemplate, fillTemplate, PageStore, type FillTicket, type StoredPage } from "./page-store.server";
import { captureResponse, type CapturedHead, type CapturedResponse } from "./capture-response.server";

// The shared page cache (docs/decisions/019-shared-page-cache.md): an Express middleware in
// front of Remix that answers anonymous visitors' public pages from memory. Only what
// entry.server already made `public` (decision 012: no session or cart cookie, a 200, no
// Set-Cookie) is kept, keyed by URL (host included), language and encoding, compressed once;
// one render serves every request that waits for the same page; triggers in the database
// tell every process what changed (page-changes.server.ts).

export interface SharedPageCache {
  middleware: RequestHandler;
  /** Answers a hit straight from node:http, before Express (see FastLane); false = not answered. */
  fastLane: FastLane;
  store: PageStore;
  listener: PageChangeListener;
  close(): Promise<void>;
}

/** Response headers that belong to one response, never to a stored page. */
const PER_RESPONSE_HEADERS = new Set([
  "x-request-id",
  "server-timing",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  PAGE_CACHE_HEADER.toLowerCase(),
]);

export async function createSharedPageCache(options: { maxBytes: number }): Promise<SharedPageCache> {
  const store = new PageStore(options.maxBytes);
  const listener = await listenForPageChanges(store);
  const fastLane = new FastLane(store, listener);
  return {
    middleware: pageCacheMiddleware(store, listener, fastLane),
    fastLane,
    store,
    listener,
    close: () => listener.close(),
  };
}

/**
 * How a request's reads are routed when a replica is configured (server.ts puts this in the
 * request context; decision 024): lag-tolerant reads may go to the replica on a GET/HEAD whose
 * visitor has not just written; the pages this cache keeps, only when the request also carries
 * a visitor cookie, since this cache never keeps such a render (pageReadDb()).
 */
export async function replicaReadFacts({
  method,
  cookieHeader,
}: {
  method: string;
  cookieHeader: string | undefined;
}): Promise<Pick<RequestFacts, "mayReadReplica" | "carriesVisitorCookie">> {
  const mayReadReplica = requestMayReadReplica({ method, cookieHeader });
  return { mayReadReplica, carriesVisitorCookie: mayReadReplica && (await cookieHeaderCarriesVisitor(cookieHeader)) };
}

/** server.ts's cache: PAGE_CACHE_MB of memory in this process, or null (no cache) when it is 0. */
export async function sharedPageCacheFromEnv(): Promise<SharedPageCache | null> {
  const megabytes = env().PAGE_CACHE_MB;
  if (megabytes === 0) return null;
  return createSharedPageCache({ maxBytes: Math.round(megabytes * 1024 * 1024) });
}

export function pageCacheMiddleware(store: PageStore, listener: PageChangeListener, lane?: FastLane): RequestHandler {
  return (req, res, next) => {
    serve(store, listener, req, res, next, lane).catch(next);
  };
}

/** Past the cache, saying so: this answer is neither taken from it nor kept. */
function bypass(res: ExpressResponse, next: NextFunction) {
  res.setHeader(PAGE_CACHE_HEADER, "bypass");
  next();
}

async function serve(
  store: PageStore,
  listener: PageChangeListener,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
  lane?: FastLane,
) {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  // An API client's answers are its own (and never waited for on someone else's render).
  if (req.get("authorization")) return bypass(res, next);
  // Without change notifications nothing stored can be trusted: render.
  if (!listener.online) return bypass(res, next);
  const url = `${req.protocol}://${req.hostname}${req.originalUrl}`;
  const cookie = req.get("cookie");
  const where = [
    await pageLanguage(url, cookie, req.get("accept-language")),
    req.protocol,
    req.get("host") ?? "",
    req.get("x-forwarded-host") ?? "",
    req.originalUrl,
  ].join(" ");
  // Someone with a session or a cart gets pages of their own: rendered, or made from the
  // template of one rendered for someone with as many lines in the cart (decision 033).
  if (cookie && (await carriesVisitorCookie(languageFacts(url, cookie, req.get("accept-language")))))
    return servePrivate(store, where, url, req, res, next);
  const encoding = chooseEncoding(req);
  const key = `${encoding} ${where}`;

  const stored = store.get(key);
  if (stored) return send(req, res, stored, lane && ((answer) => lane.learn(req, key, stored, answer)));
  if (req.method === "HEAD") {
    res.setHeader(PAGE_CACHE_HEADER, "miss");
    return next();
  }

  const ticket = store.ticket();
  const { leader, result } = store.coalesce(key, () => renderAndKeep(store, key, ticket, encoding, res, next));
  if (leader) return;
  // Another request is rendering this page: its answer serves this one too, if it may be shared.
  const page = await result;
  if (page && listener.online) return send(req, res, page, lane && ((answer) => lane.learn(req, key, page, answer)));
  res.setHeader(PAGE_CACHE_HEADER, "miss");
  next();
}

/** Only what decides the language and whether someone is known; the rest does not change a public page. */
function languageFacts(url: string, cookie: string | undefined, acceptLanguage: string | undefined) {
  return new Request(url, { headers: { cookie: cookie ?? "", "accept-language": acceptLanguage ?? "" } });
}

// The language of a request without cookies or ?lng= depends on Accept-Language alone, and
// browsers send a handful of distinct values: remembered (bounded), it skips the app's
// resolver (~60 µs of CPU) on every hit.
const languageByAcceptLanguage = new Map<string, string>();
const LANGUAGE_MEMO_SIZE = 256;

async function pageLanguage(url: string, cookie: string | undefined, acceptLanguage: string | undefined) {
  const facts = () => languageFacts(url, cookie, acceptLanguage);
  if (cookie || url.includes("lng=")) return getLanguage(facts());
  const remembered = languageByAcceptLanguage.get(acceptLanguage ?? "");
  if (remembered) return remembered;
  const language = await getLanguage(facts());
  if (languageByAcceptLanguage.size >= LANGUAGE_MEMO_SIZE) languageByAcceptLanguage.clear();
  languageByAcceptLanguage.set(acceptLanguage ?? "", language);
  return language;
}

function send(req: ExpressRequest, res: ExpressResponse, page: StoredPage, learn?: (answer: LaneAnswer) => void) {
  res.setHeader(PAGE_CACHE_HEADER, "hit");
  for (const [name, value] of page.headers) res.setHeader(name, value);
  res.setHeader("Vary", varyWithEncoding(res.getHeader("Vary")));
  if (page.etag && ifNoneMatchMatches(req.get("if-none-match") ?? null, page.etag)) {
    // As entry.server's 304: no body, and no policy (the browser keeps the one of its copy).
    res.removeHeader("Content-Security-Policy");
    res.removeHeader("Content-Type");
    res.statusCode = 304;
    learn?.(laneAnswer(res));
    res.end();
    return;
  }
  if (page.encoding !== "identity") res.setHeader("Content-Encoding", page.encoding);
  res.setHeader("Content-Length", String(page.body.byteLength));
  res.statusCode = page.status;
  learn?.(laneAnswer(res));
  res.end(req.method === "HEAD" ? undefined : page.body);
}

// ── The fast lane (docs/decisions/038-cache-hits-before-express.md) ──
//
// A hit through Express walks a dozen middlewares (routing, compression's wrapper, the request
// context, helmet, two static handlers, the guard) before this cache answers from memory. The
// fast lane answers the same request from server.ts's node:http listener instead, without
// deciding anything itself: each time the Express path above serves a hit, it writes down
// which stored page that request got and the exact headers it answered with (everything but
// the per-request id, date and connection headers), under a signature of every request fact
// the Express path's decision read (method, URL, Host, forwarded headers and the proxy that
// sent them, Accept-Encoding, Accept-Language). A later request with the same signature whose
// page is still the one stored under that key gets the same status, headers and bytes; any
// other request (a cookie, an Authorization, an Origin, a declared body, a page forgotten or
// replaced, the change listener offline) goes the Express way and teaches the lane again.

/** A hit's answer as the Express path wrote it, minus the per-request headers. */
interface LaneAnswer {
  status: number;
  /** [name, value, name, value, ...] in the casing and order Express set them. */
  headers: string[];
  /** A header that must never be repeated to another request was set: not learnt. */
  personal: boolean;
}

interface LaneEntry {
  key: string;
  /** Weakly: a page the store has evicted must not stay in memory (the store's byte bound) for the lane. */
  page: WeakRef<StoredPage>;
  /** The 200 (or the HEAD) and the 304, each once the Express path has served it. */
  full?: LaneAnswer;
  notModified?: LaneAnswer;
}

/** Written anew per request by server.ts and Node (or never repeated). */
const LANE_PER_REQUEST = new Set(["x-request-id", "date", "connection", "keep-alive", "transfer-encoding"]);
const LANE_PERSONAL = new Set(["set-cookie", "server-timing"]);
const LANE_MAX_ENTRIES = 4096;

function laneAnswer(res: ServerResponse): LaneAnswer {
  const headers: string[] = [];
  let personal = false;
  // getRawHeaderNames (Node >= 15.13) keeps the casing Express sent; @types/node 20 lacks it.
  for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
    const lower = name.toLowerCase();
    if (LANE_PER_REQUEST.has(lower)) continue;
    if (LANE_PERSONAL.has(lower)) personal = true;
    const value = res.getHeader(name);
    if (Array.isArray(value)) for (const v of value) headers.push(name, v);
    else if (value !== undefined) headers.push(name, String(value));
  }
  return { status: res.statusCode, headers, personal };
}

/**
 * The request facts the Express path's choice of page and answer depends on, or null when the
 * request has something the lane leaves to Express (who may be a visitor, a refusal, a body).
 * The forwarded headers count only as the proxy that sent them says (Express's "trust proxy"),
 * so with any of them present the peer's address is part of the signature.
 */
function laneSignature(req: IncomingMessage): string | null {
  const h = req.headers;
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  if (
    h.cookie !== undefined ||
    h.authorization !== undefined ||
    h.origin !== undefined ||
    h["content-length"] !== undefined ||
    h["transfer-encoding"] !== undefined
  )
    return null;
  const forwarded = h["x-forwarded-host"] ?? h["x-forwarded-proto"] ?? h["x-forwarded-for"];
  return [
    req.method,
    req.url,
    h.host,
    "encrypted" in req.socket && req.socket.encrypted ? "tls" : "",
    forwarded === undefined
      ? ""
      : `${req.socket.remoteAddress} ${h["x-forwarded-host"]} ${h["x-forwarded-proto"]} ${h["x-forwarded-for"]}`,
    h["accept-encoding"],
    h["accept-language"],
  ].join("\n");
}

export class FastLane {
  readonly #store: PageStore;
  readonly #listener: PageChangeListener;
  readonly #entries = new Map<string, LaneEntry>();
  /** Answers given by the lane (tests and the bench read it). */
  answered = 0;

  constructor(store: PageStore, listener: PageChangeListener) {
    this.#store = store;
    this.#listener = listener;
  }

  /** The Express path served `page` (stored under `key`) to `req` with `answer`. */
  learn(req: IncomingMessage, key: string, page: StoredPage, answer: LaneAnswer) {
    if (answer.personal) return;
    const signature = laneSignature(req);
    if (signature === null) return;
    let entry = this.#entries.get(signature);
    if (!entry || entry.page.deref() !== page || entry.key !== key) {
      if (this.#entries.size >= LANE_MAX_ENTRIES) this.#entries.clear();
      entry = { key, page: new WeakRef(page) };
      this.#entries.set(signature, entry);
    }
    if (answer.status === 304) entry.notModified = answer;
    else entry.full = answer;
  }

  /**
   * Answers `req` as the Express path answered the same request for the same stored page,
   * adding `extraHeaders` (the request id); false when it cannot tell, and nothing is written.
   */
  answer(req: IncomingMessage, res: ServerResponse, extraHeaders: string[]): boolean {
    if (this.#entries.size === 0 || !this.#listener.online) return false;
    const signature = laneSignature(req);
    if (signature === null) return false;
    const entry = this.#entries.get(signature);
    if (!entry) return false;
    const page = this.#store.get(entry.key);
    if (!page || page !== entry.page.deref()) {
      this.#entries.delete(signature);
      return false;
    }
    const ifNoneMatch = req.headers["if-none-match"];
    const notModified = page.etag !== null && ifNoneMatchMatches(ifNoneMatch ?? null, page.etag);
    const answer = notModified ? entry.notModified : entry.full;
    if (!answer) return false;
    this.answered++;
    res.writeHead(answer.status, [...answer.headers, ...extraHeaders]);
    res.end(notModified || req.method === "HEAD" ? undefined : page.body);
    return true;
  }
}

function varyWithEncoding(vary: ReturnType<ExpressResponse["getHeader"]>): string {
  const present = String(vary ?? "");
  return /(^|,)\s*accept-encoding\s*(,|$)/i.test(present)
    ? present
    : [present, "Accept-Encoding"].filter(Boolean).join(", ");
}

/**
 * The leader of a miss: lets Remix render to this visitor as usual (streamed, compressed
 * live), keeps a copy of the bytes on their way out, and — when the answer may be shared —
 * stores it compressed once for the key's encoding.
 */
async function renderAndKeep(
  store: PageStore,
  key: string,
  ticket: FillTicket,
  encoding: PageEncoding,
  res: ExpressResponse,
  next: NextFunction,
): Promise<StoredPage | null> {
  res.setHeader(PAGE_CACHE_HEADER, "miss");
  // The shops the page was made from, noted by the tenancy module as the loaders ran.
  const facts = requestContext.getStore();
  const rendered = await captureResponse(res, next, {
    keepable: (head) => shareableMaxAge(head.status, head.headers) !== null,
    omitHeaders: PER_RESPONSE_HEADERS,
  });
  if (!rendered) return null;
  // A render that counted something (a trace scan) must run for every view.
  if (facts?.perViewEffect) return null;
  // Read from the replica, it may predate a change already announced (docs/decisions/024).
  if (facts?.readReplica) return null;
  const maxAge = shareableMaxAge(rendered.status, rendered.headers);
  if (maxAge === null) return null;
  const page: StoredPage = {
    status: rendered.status,
    headers: rendered.headers,
    etag: rendered.headers.find(([name]) => name === "etag")?.[1] ?? null,
    encoding,
    body: await compressOnce(rendered.body, encoding),
    shops: [...(facts?.pageShops ?? [])],
    expiresAt: Date.now() + maxAge * 1000,
  };
  store.put(key, page, ticket);
  return page;
}

// ── Private pages from a template (docs/decisions/033-private-pages-from-a-template.md) ──
//
// A public page (the route asks for `public, max-age=N`) rendered for someone with a session
// or a cart differs from the same page rendered for anyone else with as many cart lines in
// three places only: the CSRF token (hidden fields and the hydration data), the CSP nonce
// (script tags and the policy header) and the cart count. So the first such render of a page
// (per language, URL and cart count) is kept as a template, and the next visitor with that
// count gets it with their own token and a fresh nonce put in: the same bytes the render
// would have made, without rendering. Anything else private (another cookie set, a page that
// is not public, a per-view effect, a read from the replica, a storefront or platform home
// not involved) is rendered as before and never kept.

/** The answer header of a private page made from a template. */
const PRIVATE_HIT = "private";

async function servePrivate(
  store: PageStore,
  where: string,
  url: string,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
) {
  // Documents only (not Remix's .data, nor ?lng=, whose answer sets the language cookie).
  if (req.method !== "GET" || req.path.endsWith(".data") || url.includes("lng=") || !acceptsHtml(req.get("accept")))
    return bypass(res, next);
  const facts = requestContext.getStore();
  if (!facts) return bypass(res, next);
  const request = visitorRequest(url, req);
  // The same function the root loader calls, read once: the root loader reuses it.
  const count = await cartCount(request);
  facts.cartCount = count;
  const key = `private ${count} ${where}`;
  const template = store.get(key);
  if (template?.template) return sendFromTemplate(request, req, res, template);
  res.setHeader(PAGE_CACHE_HEADER, "bypass");
  const ticket = store.ticket();
  const rendered = await captureResponse(res, next, { keepable: isHtmlPage, omitHeaders: PER_RESPONSE_HEADERS });
  if (!rendered) return;
  const kept = privateTemplate(rendered, facts, new URL(url).pathname);
  if (kept) store.put(key, kept, ticket);
}

function acceptsHtml(accept: string | undefined) {
  return accept === undefined || accept.includes("text/html") || accept.includes("*/*");
}

/** What the cart and CSRF functions read: the URL (scheme) and the request's headers. */
function visitorRequest(url: string, req: ExpressRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return new Request(url, { headers });
}

const NONCE_IN_POLICY = /'nonce-([^']+)'/;

/** A 200 HTML document: what a template may be made of (a download is passed on, not copied). */
const isHtmlPage = (head: CapturedHead) =>
  head.status === 200 && /^\s*text\/html\b/i.test(head.headers.find(([n]) => n === "content-type")?.[1] ?? "");

/** The render as a template, or null when it has more of the visitor in it than the token and the count. */
function privateTemplate(rendered: CapturedResponse, facts: RequestFacts, pathname: string): StoredPage | null {
  const parts = facts.visitorParts;
  if (!parts?.csrf || parts.cartCount !== facts.cartCount) return null;
  if (facts.publicMaxAge === undefined || facts.perViewEffect || facts.readReplica) return null;
  // Storefront pages and the platform home: what shows a shop, or "/".
  if (!facts.pageShops?.size && pathname !== "/") return null;
  if (!isHtmlPage(rendered)) return null;
  const header = (name: string) => rendered.headers.find(([n]) => n === name)?.[1];
  // No cookie but a new CSRF token's (which each visitor gets anew).
  const setCookie = header("set-cookie");
  if (setCookie !== undefined && !/^csrf=[^;,]*(;[^,]*)?$/.test(setCookie)) return null;
  const nonce = NONCE_IN_POLICY.exec(header("content-security-policy") ?? "")?.[1];
  const html = rendered.body;
  if (!nonce || !html.includes(parts.csrf) || !html.includes(`nonce="${nonce}"`)) return null;
  return {
    status: 200,
    headers: rendered.headers.filter(([name]) => name !== "set-cookie"),
    etag: null,
    encoding: "identity",
    body: Buffer.alloc(0),
    shops: [...(facts.pageShops ?? [])],
    expiresAt: Date.now() + facts.publicMaxAge * 1000,
    // A copy: the captured body may be a view of a larger buffer that the store should not keep.
    template: cutTemplate(Buffer.from(html), { token: parts.csrf, nonce }),
  };
}

async function sendFromTemplate(request: Request, req: ExpressRequest, res: ExpressResponse, page: StoredPage) {
  const template = page.template!;
  const { token, setCookie } = await csrfToken(request);
  const nonce = newNonce();
  // Functions, so that nothing in a value is read as a replacement pattern.
  const html = fillTemplate(template, { token, nonce });
  res.setHeader(PAGE_CACHE_HEADER, PRIVATE_HIT);
  for (const [name, value] of page.headers)
    res.setHeader(name, name === "content-security-policy" ? value.replaceAll(template.nonce, () => nonce) : value);
  if (setCookie) res.append("Set-Cookie", setCookie);
  const timing = sqlServerTiming();
  if (timing) res.append("Server-Timing", timing);
  res.setHeader("Vary", varyWithEncoding(res.getHeader("Vary")));
  const encoding = chooseEncoding(req);
  const body = compressLive(html, encoding);
  if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", String(body.byteLength));
  res.statusCode = page.status;
  res.end(body);
}

/** HTML, Remix's single-fetch data (text/x-script), JSON, XML, plain text. */
const CACHED_CONTENT_TYPE = /^\s*(text\/|application\/(json|xml)\b)/i;

/** Seconds a finished answer may be kept: a public 200 that sets no cookie. */
function shareableMaxAge(status: number, headers: [string, string][]): number | null {
  if (status !== 200) return null;
  const header = (name: string) => headers.find(([n]) => n === name)?.[1];
  // Pages and their data, not images or files (already compressed, and large).
  if (!CACHED_CONTENT_TYPE.test(header("content-type") ?? "")) return null;
  if (header("set-cookie") !== undefined) return null;
  const cacheControl = header("cache-control") ?? "";
  if (!/(^|[\s,])public([\s,]|$)/.test(cacheControl)) return null;
  const maxAge = /(?:^|[\s,])max-age=(\d+)/.exec(cacheControl);
  return maxAge ? Number(maxAge[1]) : null;
}
