import { csrfCookie, serializeFor } from "./cookies.server";
import { newToken, safeEqual } from "./tokens.server";

// Double-submit token: an httpOnly SameSite cookie holds a random token that every form
// repeats in a hidden field; another site can neither read the cookie nor send it
// cross-site with a POST. The Origin header, when sent, must also be ours.
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

/** Throws 403 unless the form carries this browser's token and comes from our own origin. */
export async function requireCsrf(request: Request, formData: FormData): Promise<void> {
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null") {
    const ours = new URL(request.url);
    let theirs: URL;
    try {
      theirs = new URL(origin);
    } catch {
      forbidden();
    }
    if (theirs.host !== ours.host && theirs.host !== request.headers.get("x-forwarded-host")) forbidden();
  }
  const cookie = await csrfCookie.parse(request.headers.get("Cookie"));
  const field = formData.get(CSRF_FIELD);
  if (typeof cookie !== "string" || typeof field !== "string" || !safeEqual(cookie, field)) forbidden();
}
