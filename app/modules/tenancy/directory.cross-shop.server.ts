import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { toPicture } from "~/modules/media/picture";

// The platform home's one cross-shop read: live shops grouped by county,
// with a count of each shop's active products. Two queries whatever the number of shops.
export async function liveShopsByCounty(lng: string) {
  const prisma = unscopedDb();
  const shops = await prisma.shop.findMany({
    where: { status: "LIVE" },
    orderBy: [{ county: { code: "asc" } }, { nameZh: "asc" }],
    include: {
      county: true,
      logo: { include: { renditions: true } },
      banner: { include: { renditions: true } },
    },
  });
  const productCounts = await prisma.product.groupBy({
    by: ["shopId"],
    where: { shopId: { in: shops.map((s) => s.id) }, status: "ACTIVE" },
    _count: { _all: true },
  });
  const countByShop = new Map(productCounts.map((row) => [row.shopId, row._count._all]));

  const counties = new Map<string, { slug: string; name: string; city: string; shops: ShopTile[] }>();
  for (const shop of shops) {
    const name = pick(lng, shop.nameZh, shop.nameEn);
    let county = counties.get(shop.countyId);
    if (!county) {
      county = { slug: shop.county.slug, name: pick(lng, shop.county.nameZh, shop.county.nameEn), city: pick(lng, shop.county.cityZh, shop.county.cityEn), shops: [] };
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
      productCount: countByShop.get(shop.id) ?? 0,
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
