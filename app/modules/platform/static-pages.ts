// The platform's static pages (issue #13): their text lives in the locale files
// (app/locales/*/pages.json, key pages.<page>.title / .intro / .sections).

export const FOOTER_PAGES = ["about", "help", "privacy", "terms"] as const;
export type StaticPage = (typeof FOOTER_PAGES)[number];

export function isStaticPage(value: string | undefined): value is StaticPage {
  return (FOOTER_PAGES as readonly string[]).includes(value ?? "");
}
