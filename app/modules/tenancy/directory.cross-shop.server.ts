import { unscopedDb, unscopedPageReadDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { Prisma } from "~/generated/prisma/client";
import { imageJsonById } from "~/modules/media/image-json.server";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";

// The platform home's one cross-shop read: live shops grouped by county, with a count of
// each shop's active products. ONE statement whatever the number of shops; on the replica only
// for a visitor's own render (unscopedPageReadDb(), decision 024).

interface ShopTileRow {
  slug: string;
  nameZh: string;
  nameEn: string;
  villageZh: string;
  villageEn: string;
  taglineZh: string | null;
  taglineEn: string | null;
  themePrimary: string;
  themeAccent: string;
  isDemo: boolean;
  countyId: string;
  county: { slug: string; nameZh: string; nameEn: string; cityZh: string; cityEn: string };
  productCount: number;
  logo: ImageWithRenditions | null;
  banner: ImageWithRenditions | null;
}

export async function liveShopsByCounty(lng: string) {
  const shops = await unscopedPageReadDb().$queryRaw<ShopTileRow[]>`
    SELECT s.slug, s."nameZh", s."nameEn", s."villageZh", s."villageEn", s."taglineZh", s."taglineEn",
           s."themePrimary", s."themeAccent", s."isDemo", s."countyId",
           json_build_object('slug', c.slug, 'nameZh', c."nameZh", 'nameEn', c."nameEn",
                             'cityZh', c."cityZh", 'cityEn', c."cityEn") AS county,
           (SELECT count(*)::int FROM "Product" p WHERE p."shopId" = s.id AND p.status = 'ACTIVE') AS "productCount",
           ${imageJsonById(Prisma.sql`s."logoImageId"`, Prisma.sql`s.id`)} AS logo,
           ${imageJsonById(Prisma.sql`s."bannerImageId"`, Prisma.sql`s.id`)} AS banner
      FROM "Shop" s
      JOIN "County" c ON c.id = s."countyId"
     WHERE s.status = 'LIVE'
     ORDER BY c.code, s."nameZh", s.id`;

  const counties = new Map<string, { slug: string; name: string; city: string; shops: ShopTile[] }>();
  for (const shop of shops) {
    const name = pick(lng, shop.nameZh, shop.nameEn);
    let county = counties.get(shop.countyId);
    if (!county) {
      county = {
        slug: shop.county.slug,
        name: pick(lng, shop.county.nameZh, shop.county.nameEn),
        city: pick(lng, shop.county.cityZh, shop.county.cityEn),
        shops: [],
      };
      counties.set(shop.countyId, county);
    }
    county.shops.push({
      slug: shop.slug,
      name,
      village: pick(lng, shop.villageZh, shop.villageEn),
      tagline: pick(lng, shop.taglineZh, shop.taglineEn),
      themePrimary: shop.themePrimary,
      themeAccent: shop.themeAccent,
      isDemo: shop.isDemo,
      productCount: shop.productCount,
      logo: shop.logo ? toPicture(shop.logo, lng, name) : null,
      banner: shop.banner ? toPicture(shop.banner, lng, name) : null,
    });
  }
  return [...counties.values()];
}

export interface ShopTile {
  slug: string;
  name: string;
  village: string;
  tagline: string | null;
  themePrimary: string;
  themeAccent: string;
  isDemo: boolean;
  productCount: number;
  logo: ReturnType<typeof toPicture> | null;
  banner: ReturnType<typeof toPicture> | null;
}

/** Slugs and names of the live shops, for the start-up banner. */
export async function liveShopNames() {
  return unscopedDb().shop.findMany({
    where: { status: "LIVE" },
    orderBy: { slug: "asc" },
    select: { slug: true, nameZh: true },
  });
}
