import { readDb } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import type { ShopHomeData } from "~/modules/catalog/shop-home.server";
import { shopHomeHref } from "~/modules/catalog/shop-home-links";
import type { StorefrontProduct } from "~/modules/catalog/storefront.server";
import type { PictureData } from "~/modules/media/presets";
import { configuredOriginOf, storefrontOrigin } from "~/modules/tenancy/origins.server";
import { shopFromHost, type Storefront } from "~/modules/tenancy/storefront.server";
import type { SitemapEntry } from "./files";
import { clip, withLanguage, type Seo } from "./meta";
import { liveShopsForSitemap } from "./sitemap.cross-shop.server";

// Absolute URLs for search engines and link previews. A shop page has ONE canonical address,
// whether it was reached at /s/<slug>/… on the platform host or on the shop's own host:
// the shop's verified custom domain when it has one, else its subdomain <slug>.<PLATFORM_HOST>.
// Every one of them comes from configuration (PUBLIC_ORIGIN, PLATFORM_HOST) and verified
// domains, never from the request's Host, X-Forwarded-Host or X-Forwarded-Proto: these pages
// are cached and shared, and a poisoned header would reach every visitor (issue #9).

/** The largest JPEG preset of a picture (every preview reader takes JPEG), as an absolute URL. */
export function largestJpegUrl(picture: PictureData | null | undefined, origin: string): string | null {
  const largest = picture?.jpegSrcSet.split(",").at(-1)?.trim().split(" ")[0];
  return largest ? new URL(largest, origin).toString() : null;
}

interface PageSeo {
  origin: string;
  path: string;
  lng: string;
  title: string;
  description: string;
  picture?: PictureData | null;
  type?: Seo["type"];
  siteName: string;
}

/** public/og-image.jpg (1200×630): the preview of a page without a picture of its own. */
const FALLBACK_IMAGE = "/og-image.jpg";

function pageSeo({ origin, path, lng, title, description, picture, type = "website", siteName }: PageSeo): Seo {
  const url = new URL(path, origin).toString();
  const image = largestJpegUrl(picture, origin) ?? new URL(FALLBACK_IMAGE, origin).toString();
  return { title, description, url, canonical: withLanguage(url, lng), image, type, siteName, lng };
}

export function platformSeo(page: Omit<PageSeo, "origin">): Seo {
  return pageSeo({ ...page, origin: platformOrigin() });
}

/** `path` is relative to the shop's host: "/" for its home, "/p/<product>" for a product. */
export function shopSeo(storefront: Storefront, page: Omit<PageSeo, "origin">): Seo {
  return pageSeo({ ...page, origin: storefrontOrigin(storefront.shop) });
}

/**
 * A shop's home, at / on its host or /s/<slug>: previewed with its banner, else its logo.
 * Each of its pages is canonical on its own (page 2 lists other products than page 1), and
 * names its neighbours with rel=prev/next.
 */
export function shopHomeSeo(storefront: Storefront, { header, profile, paging }: ShopHomeData, lng: string): Seo {
  const origin = storefrontOrigin(storefront.shop);
  const pageUrl = (page: number) => withLanguage(new URL(shopHomeHref("", page), origin).toString(), lng);
  return {
    ...shopSeo(storefront, {
      path: shopHomeHref("", paging.page),
      lng,
      title: header.tagline ? `${header.name} · ${header.tagline}` : header.name,
      description: clip(profile.story || header.tagline || `${header.village} · ${header.county}`),
      picture: profile.banner ?? header.logo,
      siteName: header.name,
    }),
    prev: paging.page > 1 ? pageUrl(paging.page - 1) : undefined,
    next: paging.page < paging.pageCount ? pageUrl(paging.page + 1) : undefined,
  };
}

/** Integer fen as a 元 string with two decimals ("168.00"), as schema.org prices are written. */
export function fenToYuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

type Availability = "https://schema.org/InStock" | "https://schema.org/OutOfStock" | "https://schema.org/PreOrder";

/** schema.org Product with one Offer per variant (an AggregateOffer when there are several). */
export function productJsonLd(
  product: StorefrontProduct,
  { url, brand, images }: { url: string; brand: string; images: string[] },
) {
  const bookable = product.slots.some((slot) => slot.placesLeft > 0);
  const availability = (variant: StorefrontProduct["variants"][number]): Availability => {
    if (product.presale) return "https://schema.org/PreOrder";
    const available = variant.stock ? variant.stock.state !== "out" : bookable;
    return available ? "https://schema.org/InStock" : "https://schema.org/OutOfStock";
  };
  const offers = product.variants.map((variant) => ({
    "@type": "Offer",
    sku: variant.sku,
    name: variant.title,
    price: fenToYuan(variant.priceFen),
    priceCurrency: "CNY",
    availability: availability(variant),
    url,
  }));
  const prices = product.variants.map((v) => v.priceFen);
  // Only real buyers' published reviews: no rating is claimed before the first one.
  const rated = product.rating.average !== null && product.rating.count > 0;
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    name: product.title,
    description: product.summary ?? product.description ?? undefined,
    image: images,
    sku: product.variants[0]?.sku,
    brand: { "@type": "Organization", name: brand },
    url,
    offers:
      offers.length > 1
        ? {
            "@type": "AggregateOffer",
            priceCurrency: "CNY",
            lowPrice: fenToYuan(Math.min(...prices)),
            highPrice: fenToYuan(Math.max(...prices)),
            offerCount: offers.length,
            offers,
          }
        : offers[0],
    ...(rated
      ? {
          aggregateRating: {
            "@type": "AggregateRating",
            ratingValue: product.rating.average,
            reviewCount: product.rating.count,
            bestRating: 5,
            worstRating: 1,
          },
          review: product.reviews.map((review) => ({
            "@type": "Review",
            author: { "@type": "Person", name: review.authorName },
            datePublished: review.createdAt.slice(0, 10),
            reviewBody: review.text,
            reviewRating: { "@type": "Rating", ratingValue: review.stars, bestRating: 5, worstRating: 1 },
          })),
        }
      : {}),
  };
}

function shopEntries(
  origin: string,
  shop: { updatedAt: Date },
  products: { slug: string; updatedAt: Date }[],
): SitemapEntry[] {
  return [
    { loc: `${origin}/`, lastmod: shop.updatedAt },
    ...products.map((p) => ({ loc: `${origin}/p/${encodeURIComponent(p.slug)}`, lastmod: p.updatedAt })),
  ];
}

/**
 * What the sitemap of the request's host lists: on a shop's host only that shop (an unknown
 * or unpublished shop is a 404), on the platform host its pages and every live shop's.
 */
export async function sitemapEntries(request: Request): Promise<SitemapEntry[]> {
  const hosted = await shopFromHost(request);
  if (hosted) {
    const { shop } = hosted;
    const products = await readDb().product.findMany({
      where: { shopId: shop.id, status: "ACTIVE" },
      orderBy: { position: "asc" },
      select: { slug: true, updatedAt: true },
    });
    return shopEntries(storefrontOrigin(shop), shop, products);
  }
  const origin = platformOrigin();
  const shops = await liveShopsForSitemap();
  return [
    { loc: `${origin}/` },
    { loc: `${origin}/search` },
    ...shops.flatMap((shop) => shopEntries(storefrontOrigin(shop), shop, shop.products)),
  ];
}

/**
 * The sitemap named in robots.txt: the one of the host that was asked, on its configured origin
 * (a shop's host names its own; the platform host, and any other name, the platform's).
 */
export async function sitemapUrl(request: Request): Promise<string> {
  return `${await configuredOriginOf(request)}/sitemap.xml`;
}
