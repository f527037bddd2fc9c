// What a shop's slug may be. Shared by the browser (form validation) and the server.
// The slug names the shop in /s/<slug>, /admin/<slug> and <slug>.<platform host>.
export const SLUG_MIN = 2;
export const SLUG_MAX = 60;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words our own paths and host names use: a shop named so would be unreachable or confusing. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "new",
  "www",
  "admin",
  "api",
  "platform",
  "account",
  "login",
  "signup",
  "invite",
  "media",
  "static",
  "assets",
  "mail",
]);

export function isReservedSlug(slug: string): boolean {
  return RESERVED_SLUGS.has(slug);
}

/** Latin text to a slug: "Yangshan Peach Co." → "yangshan-peach-co"; "" when nothing is left. */
export function slugifyLatin(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return truncateSlug(slug, SLUG_MAX);
}

/** Cuts a slug to `max` characters at a hyphen where possible, never leaving one at the end. */
export function truncateSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const atHyphen = cut.lastIndexOf("-");
  return (atHyphen >= SLUG_MIN ? cut.slice(0, atHyphen) : slug.slice(0, max)).replace(/-+$/, "");
}
