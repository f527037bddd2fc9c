import type { MetaDescriptor } from "@remix-run/node";

// Pure helpers for route `meta` functions and the page body: what search engines and
// link previews (WeChat reads Open Graph too) see of a page.

export const SEO_LANGUAGES = ["zh-CN", "en"] as const;

export interface Seo {
  title: string;
  description: string;
  /** Absolute URL of the page in its language (zh-CN plain, English with ?lng=en). */
  canonical: string;
  /** Absolute URL of the page without a language, for the hreflang alternates. */
  url: string;
  /** Absolute URL of the preview picture, if the page has one. */
  image: string | null;
  type: "website" | "product";
  siteName: string;
  lng: string;
  /** Absolute URLs of the previous and next pages of a listing, in the page's language. */
  prev?: string;
  next?: string;
}

/** The page's address in one language: zh-CN is the default, so it needs no parameter. */
export function withLanguage(url: string, lng: string): string {
  if (lng === "zh-CN") return url;
  const u = new URL(url);
  u.searchParams.set("lng", lng);
  return u.toString();
}

const ogLocale = (lng: string) => (lng === "en" ? "en_US" : "zh_CN");

export function seoMeta(seo: Seo | undefined, extra: MetaDescriptor[] = []): MetaDescriptor[] {
  if (!seo) return extra;
  return [
    { title: seo.title },
    { name: "description", content: seo.description },
    { tagName: "link", rel: "canonical", href: seo.canonical },
    ...SEO_LANGUAGES.map((lng) => ({
      tagName: "link",
      rel: "alternate",
      hrefLang: lng,
      href: withLanguage(seo.url, lng),
    })),
    { tagName: "link", rel: "alternate", hrefLang: "x-default", href: seo.url },
    ...(seo.prev ? [{ tagName: "link", rel: "prev", href: seo.prev }] : []),
    ...(seo.next ? [{ tagName: "link", rel: "next", href: seo.next }] : []),
    { property: "og:title", content: seo.title },
    { property: "og:description", content: seo.description },
    { property: "og:url", content: seo.canonical },
    { property: "og:type", content: seo.type },
    { property: "og:site_name", content: seo.siteName },
    { property: "og:locale", content: ogLocale(seo.lng) },
    ...(seo.image
      ? [
          { property: "og:image", content: seo.image },
          { name: "twitter:image", content: seo.image },
        ]
      : []),
    { name: "twitter:card", content: seo.image ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: seo.title },
    { name: "twitter:description", content: seo.description },
    ...extra,
  ];
}

/**
 * JSON for a <script type="application/ld+json">: "<" (and ">", "&", line separators) become
 * \u escapes, which JSON reads back unchanged, so shop-entered text can never close the tag.
 */
export function jsonLdHtml(data: unknown): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A description of at most `max` characters, on one line. */
export function clip(text: string | null | undefined, max = 150): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
