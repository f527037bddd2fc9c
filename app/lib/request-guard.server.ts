import type { RequestHandler } from "express";
import { ANY_CONTROL, percentDecoded } from "./control-characters";
import { getFixedT } from "./i18n.server";

// Checks every request before Remix sees it (server.ts, and the tests' in-process app):
// - a URL whose path or query holds a control character once decoded (`?q=%00` would reach
//   PostgreSQL as NUL, error 22021) → 400;
// - a POST/PUT/PATCH/DELETE whose Origin Remix's own check would throw on (`Origin: null`,
//   another host, a malformed origin: Remix answers those with a bare 500 before any action
//   runs) → a clean, translated 403 — the app's own CSRF rule (requireCsrf) still decides
//   every request that gets through;
// - a declared body larger than any route accepts → 413. Bodies that declare no length are
//   counted by the route's reader (readForm, readPhotoForm, readBoundedBody) as they stream.

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The URL carries a control character in its path or its query, raw or percent-decoded. */
export function urlHasControlCharacters(url: URL): boolean {
  const path = percentDecoded(url.pathname);
  if (path !== null && ANY_CONTROL.test(path)) return true;
  for (const [name, value] of url.searchParams) if (ANY_CONTROL.test(name) || ANY_CONTROL.test(value)) return true;
  return false;
}

/**
 * Whether Remix runs its origin check on this request: documents on POST/PUT/PATCH/DELETE,
 * single-fetch `.data` requests on every method but GET (a HEAD `.data` is handled as an action).
 */
function remixChecksOrigin(request: Request): boolean {
  if (UNSAFE_METHODS.has(request.method)) return true;
  return request.method !== "GET" && new URL(request.url).pathname.endsWith(".data");
}

/** What Remix 2's throwIfPotentialCSRFAttack throws on: an Origin other than the (forwarded) host. */
export function originRemixRefuses(headers: Headers): boolean {
  const origin = headers.get("Origin");
  if (origin === null) return false;
  let host: string;
  if (origin === "null") host = "null";
  else {
    try {
      host = new URL(origin).host;
    } catch {
      return true;
    }
  }
  if (!host) return false;
  const forwarded = headers.get("X-Forwarded-Host")?.split(",")[0]?.trim();
  const expected = forwarded || headers.get("Host");
  return !expected || host !== expected;
}

async function refusal(request: Request, status: number, key: string): Promise<Response> {
  const { t } = await getFixedT(request);
  return new Response(t(key), {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** A refusal to send instead of handing the request to Remix, or null to go on. */
export async function guardRequest(
  request: Request,
  { maxBodyBytes }: { maxBodyBytes: number },
): Promise<Response | null> {
  if (urlHasControlCharacters(new URL(request.url))) return refusal(request, 400, "request.controlCharacters");
  if (remixChecksOrigin(request) && originRemixRefuses(request.headers))
    return refusal(request, 403, "auth.errors.csrf");
  const declared = request.headers.get("Content-Length");
  if (declared !== null && (!/^\d{1,16}$/.test(declared.trim()) || Number(declared) > maxBodyBytes))
    return refusal(request, 413, "request.tooLarge");
  return null;
}

/**
 * guardRequest as Express middleware (server.ts, and the tests' HTTP app): it sees the
 * headers only — the body is left for the route's bounded reader — and a refused request's
 * connection is closed rather than drained.
 */
export function requestGuard({ maxBodyBytes }: { maxBodyBytes: number }): RequestHandler {
  return (req, res, next) => {
    let request: Request;
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, { method: req.method, headers });
    } catch {
      res.status(400).set("Connection", "close").type("text/plain").send("Bad Request");
      return;
    }
    guardRequest(request, { maxBodyBytes })
      .then(async (refused) => {
        if (!refused) return next();
        res.status(refused.status);
        refused.headers.forEach((value, name) => res.setHeader(name, value));
        res.setHeader("Connection", "close");
        res.send(await refused.text());
      })
      .catch(next);
  };
}
