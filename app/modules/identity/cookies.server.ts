import { createCookie, type Cookie } from "@remix-run/node";

// Cookies are httpOnly and SameSite=Lax; Secure whenever the request came over HTTPS
// (directly or through a proxy that says so), so `npm start` on http://localhost still works.
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export const sessionCookie = createCookie("sid", { path: "/", httpOnly: true, sameSite: "lax" });
export const csrfCookie = createCookie("csrf", { path: "/", httpOnly: true, sameSite: "lax" });
/** A guest's cart token (the cart module owns what it means; see modules/cart). */
export const cartCookie = createCookie("cart", { path: "/", httpOnly: true, sameSite: "lax" });

export function serializeFor(request: Request, cookie: Cookie, value: unknown, maxAge?: number) {
  return cookie.serialize(value, { secure: isHttps(request), ...(maxAge === undefined ? {} : { maxAge }) });
}

/**
 * Whether the browser acts for someone: it carries a session or a guest cart cookie. Pages
 * for such a request show that person's cart or account and are never cached for others
 * (docs/decisions/012-page-caching.md). The CSRF and language cookies do not count.
 */
export async function carriesVisitorCookie(request: Request): Promise<boolean> {
  return cookieHeaderCarriesVisitor(request.headers.get("Cookie"));
}

/** carriesVisitorCookie() for a bare Cookie header (server.ts sees it before Remix makes a Request). */
export async function cookieHeaderCarriesVisitor(header: string | null | undefined): Promise<boolean> {
  if (!header) return false;
  for (const cookie of [sessionCookie, cartCookie]) {
    const value: unknown = await cookie.parse(header);
    if (typeof value === "string" && value.length > 0) return true;
  }
  return false;
}
