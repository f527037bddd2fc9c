import { ANY_CONTROL, percentDecoded } from "./control-characters";

// Where to send the browser next, from a value the request chose (redirectTo). The value is
// resolved the way a browser resolves a Location header — the WHATWG URL parser, which drops
// tabs and new lines and reads "\" as "/" — and accepted only when that leaves the origin
// unchanged. Any control character or backslash, as sent or once percent-decoded, refuses it
// outright (a header cannot hold a new line, and "/%09/host" is one decoding away from
// leaving the site). The origin below stands for this site's: a relative reference that
// stays on one origin stays on every origin, and one that leaves any origin leaves all.
const SITE = "http://site.invalid";
const MAX_LENGTH = 2048;

/** A path on this site ("/admin?x=1#y", percent-encoded as a browser would send it); otherwise the fallback. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/admin"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > MAX_LENGTH) return fallback;
  const decoded = percentDecoded(to);
  if (decoded === null) return fallback;
  for (const text of [to, decoded]) if (ANY_CONTROL.test(text) || text.includes("\\")) return fallback;
  let url: URL;
  try {
    url = new URL(to, SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SITE || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
