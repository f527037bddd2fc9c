import { csrfCookie, serializeFor } from "./cookies.server";
import { newToken, safeEqual } from "./tokens.server";

// Cross-site request forgery (docs/decisions/008 and 012). A form POST is accepted when the
// browser itself says it comes from this origin (Sec-Fetch-Site: same-origin, or an Origin
// header naming this host), or, for browsers that send neither, when it carries the
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
 * Throws 403 unless the request provably comes from a page of this origin: by the browser's
 * own Fetch Metadata or Origin header, or else by this browser's double-submit token.
 */
export async function requireCsrf(request: Request, formData: FormData): Promise<void> {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site && site !== "same-origin") forbidden();
  const origin = request.headers.get("Origin");
  const hasOrigin = origin !== null && origin !== "null";
  if (hasOrigin) {
    const ours = new URL(request.url);
    let theirs: URL;
    try {
      theirs = new URL(origin);
    } catch {
      forbidden();
    }
    if (theirs.host !== ours.host && theirs.host !== request.headers.get("x-forwarded-host")) forbidden();
  }
  // The browser vouched for the origin: no token needed (a page served from a shared cache
  // has none to give).
  if (site === "same-origin" || hasOrigin) return;
  const cookie = await csrfCookie.parse(request.headers.get("Cookie"));
  const field = formData.get(CSRF_FIELD);
  if (typeof cookie !== "string" || typeof field !== "string" || !safeEqual(cookie, field)) forbidden();
}
