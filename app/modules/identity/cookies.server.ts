import { createCookie, type Cookie } from "@remix-run/node";

// Cookies are httpOnly and SameSite=Lax; Secure whenever the request came over HTTPS
// (directly or through a proxy that says so), so `npm start` on http://localhost still works.
export function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export const sessionCookie = createCookie("sid", { path: "/", httpOnly: true, sameSite: "lax" });
export const csrfCookie = createCookie("csrf", { path: "/", httpOnly: true, sameSite: "lax" });

export function serializeFor(request: Request, cookie: Cookie, value: unknown, maxAge?: number) {
  return cookie.serialize(value, { secure: isHttps(request), ...(maxAge === undefined ? {} : { maxAge }) });
}
