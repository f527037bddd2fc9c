import { configuredOriginOf } from "~/modules/tenancy/origins.server";
import { csrfCookie, serializeFor } from "./cookies.server";
import { newToken, safeEqual } from "./tokens.server";

// Cross-site request forgery (docs/decisions/008 and 012). A form POST is accepted when the
// browser itself says it comes from this origin (Sec-Fetch-Site: same-origin, or an Origin
// header naming this host's configured origin), or, for browsers that send neither, when it carries the
// double-submit token: an httpOnly SameSite cookie whose value the form repeats in a hidden
// field. A foreign Origin or a cross-site / same-site (another shop's host) fetch is always
// refused. Pages that may be cached for everyone carry no token at all.
export const CSRF_FIELD = "csrf";

/** The browser's token, creating one (with its Set-Cookie) when it has none. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await csrfCookie.parse(request.headers.get("Cookie"));
  if (typeof existing === "string" && existing.length >= 32) return { token: existing, setCookie: null };
  const token = newToken();
  return { token, setCookie: await serializeFor(request, csrfCookie, token, 60 * 60 * 24 * 365) };
}

function forbidden(): never {
  throw new Response(null, { status: 403, statusText: "CSRF" });
}

/**
 * Whether `origin` (a browser's Origin header) is the configured origin of the host the request
 * addressed: the platform's (PUBLIC_ORIGIN), a shop's sub-domain of PLATFORM_HOST on the same
 * scheme and port, or a shop's verified domain. The request's X-Forwarded-Host or scheme is no
 * proof: whoever sends a request chooses those.
 */
async function isOurOrigin(origin: string, request: Request): Promise<boolean> {
  let theirs: URL;
  try {
    theirs = new URL(origin);
  } catch {
    return false;
  }
  let ours: string;
  try {
    ours = await configuredOriginOf(request);
  } catch {
    return false; // a host that is not ours (an unknown shop or domain)
  }
  return theirs.origin === ours && theirs.hostname === new URL(request.url).hostname;
}

/**
 * Throws 403 unless the request provably comes from a page of this origin: by the browser's
 * own Fetch Metadata or Origin header, or else by this browser's double-submit token.
 */
export async function requireCsrf(request: Request, formData: FormData): Promise<void> {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site && site !== "same-origin") forbidden();
  const origin = request.headers.get("Origin");
  const hasOrigin = origin !== null && origin !== "null";
  // Fetch Metadata is the browser's own word, which no page can forge: same-origin is enough.
  // Without it, an Origin header must name one of our configured origins, the one of this host.
  if (site === "same-origin") return;
  if (hasOrigin) {
    if (!(await isOurOrigin(origin, request))) forbidden();
    // The browser vouched for the origin: no token needed (a page served from a shared cache
    // has none to give).
    return;
  }
  const cookie = await csrfCookie.parse(request.headers.get("Cookie"));
  const field = formData.get(CSRF_FIELD);
  if (typeof cookie !== "string" || typeof field !== "string" || !safeEqual(cookie, field)) forbidden();
}
