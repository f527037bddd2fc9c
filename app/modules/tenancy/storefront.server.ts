import { pageReadDb } from "~/db/index.server";
import { env } from "~/env.server";
import { Prisma, type Shop } from "~/generated/prisma/client";
import type { CertificationKind } from "~/generated/prisma/enums";
import { pick } from "~/lib/i18n";
import { notePageShop } from "~/lib/request-context.server";
import { imageJsonById } from "~/modules/media/image-json.server";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { classifyHost } from "./host";
import type { ShopHeaderData } from "./types";

/** What a storefront page shows of its shop, besides the shop's own columns. */
export type StorefrontShop = Shop & {
  county: { slug: string; nameZh: string; nameEn: string; cityZh: string; cityEn: string };
  logo: ImageWithRenditions | null;
  banner: ImageWithRenditions | null;
  certifications: {
    kind: CertificationKind;
    nameZh: string;
    nameEn: string;
    number: string | null;
    issuerZh: string | null;
    issuerEn: string | null;
  }[];
};

/**
 * The same as a Prisma include, for reads that reach the shop through another row (the trace page);
 * the logo and banner come from shopBrandImages (media).
 */
export const storefrontShopInclude = {
  county: true,
  certifications: { orderBy: { position: "asc" as const } },
} as const;

/**
 * A live shop with its county, logo, banner and certifications in ONE statement (every
 * storefront page starts with it; Prisma's includes took seven). The shop is the tenant
 * itself: the pictures and certifications are read within it. On pageReadDb()'s terms: the
 * replica only for a visitor's GET (a write's own request, a POST, reads the primary).
 */
async function liveShopWhere(where: { slug: string } | { verifiedDomain: string }): Promise<StorefrontShop | null> {
  const match =
    "slug" in where ? Prisma.sql`s.slug = ${where.slug}` : Prisma.sql`s."verifiedDomain" = ${where.verifiedDomain}`;
  const rows = await pageReadDb().$queryRaw<StorefrontShop[]>`
    SELECT s.*,
           json_build_object('slug', c.slug, 'nameZh', c."nameZh", 'nameEn', c."nameEn",
                             'cityZh', c."cityZh", 'cityEn', c."cityEn") AS county,
           ${imageJsonById(Prisma.sql`s."logoImageId"`, Prisma.sql`s.id`)} AS logo,
           ${imageJsonById(Prisma.sql`s."bannerImageId"`, Prisma.sql`s.id`)} AS banner,
           coalesce((
             SELECT json_agg(json_build_object('kind', ce.kind, 'nameZh', ce."nameZh", 'nameEn', ce."nameEn",
                                               'number', ce.number, 'issuerZh', ce."issuerZh", 'issuerEn', ce."issuerEn")
                             ORDER BY ce.position, ce.id)
               FROM "ShopCertification" ce
              WHERE ce."shopId" = s.id
           ), '[]'::json) AS certifications
      FROM "Shop" s
      JOIN "County" c ON c.id = s."countyId"
     WHERE ${match} AND s.status = 'LIVE'`;
  const shop = rows[0] ?? null;
  // The shared page cache forgets this page when the shop's data changes.
  if (shop) notePageShop(shop.id);
  return shop;
}

export interface Storefront {
  shop: StorefrontShop;
  /** "" when the shop is addressed by its own host, "/s/<slug>" on the platform host. */
  basePath: string;
  viaHost: boolean;
}

function notFound(): never {
  throw new Response(null, { status: 404, statusText: "Shop Not Found" });
}

/** The shop a request addresses through its host, if any (null on the platform host). */
export async function shopFromHost(request: Request): Promise<Storefront | null> {
  const target = classifyHost(new URL(request.url).hostname, env().PLATFORM_HOST);
  if (target.type === "platform") return null;
  const shop =
    target.type === "subdomain"
      ? await liveShopWhere({ slug: target.slug })
      : // A custom domain is served only once its DNS record proved the shop holds it (issue #9).
        await liveShopWhere({ verifiedDomain: target.host });
  if (!shop) notFound();
  return { shop, basePath: "", viaHost: true };
}

/**
 * Resolves the storefront once per request, from the host or from /s/:shop.
 * Unknown, unpublished or mismatched (host says A, path says B) shops are a 404.
 */
export async function requireStorefront(request: Request, params: { shop?: string }): Promise<Storefront> {
  const byHost = await shopFromHost(request);
  if (byHost) {
    if (params.shop && params.shop !== byHost.shop.slug) notFound();
    return byHost;
  }
  if (!params.shop) notFound();
  const shop = await liveShopWhere({ slug: params.shop });
  if (!shop) notFound();
  return { shop, basePath: `/s/${shop.slug}`, viaHost: false };
}

/** The shop's header, in the page's language. */
export function shopHeader({ shop, basePath, viaHost }: Storefront, lng: string): ShopHeaderData {
  const name = pick(lng, shop.nameZh, shop.nameEn);
  return {
    slug: shop.slug,
    name,
    village: pick(lng, shop.villageZh, shop.villageEn),
    county: pick(lng, shop.county.nameZh, shop.county.nameEn),
    tagline: pick(lng, shop.taglineZh, shop.taglineEn),
    themePrimary: shop.themePrimary,
    themeAccent: shop.themeAccent,
    isDemo: shop.isDemo,
    logo: shop.logo ? toPicture(shop.logo, lng, name) : null,
    basePath,
    viaHost,
  };
}

/** The shop's story and credentials, for its home page. */
export function shopProfile({ shop }: Storefront, lng: string) {
  const name = pick(lng, shop.nameZh, shop.nameEn);
  return {
    story: pick(lng, shop.storyZh, shop.storyEn),
    town: pick(lng, shop.townZh, shop.townEn),
    city: pick(lng, shop.county.cityZh, shop.county.cityEn),
    creditCode: shop.creditCode,
    contactName: shop.contactName,
    contactPhone: shop.contactPhone,
    banner: shop.banner ? toPicture(shop.banner, lng, name) : null,
    certifications: shop.certifications.map((c) => ({
      kind: c.kind,
      name: pick(lng, c.nameZh, c.nameEn),
      number: c.number,
      issuer: pick(lng, c.issuerZh, c.issuerEn),
    })),
  };
}
