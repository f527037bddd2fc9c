import { unscopedDb, unscopedPageReadDb, unscopedReadDb } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { shanghaiMonth } from "~/lib/time";
import { cardSource, productCardColumns, productCardJoins, type ProductCardRow } from "./card-sql.server";
import { toProductCard } from "./product-card";
import type { ProductCardData } from "./types";

// The marketplace's named cross-shop reads: product tiles from every live shop.
// A product is listed only when its shop is LIVE, it is ACTIVE and it has an active variant
// (ProductListing.listed, kept by triggers: decision 039).

/** A product tile in the marketplace, with the shop that sells it. */
export interface MarketCard {
  product: ProductCardData;
  shop: { slug: string; name: string; village: string };
  href: string;
}

type MarketCardRow = Omit<ProductCardRow, "slug"> & {
  total: number;
  /** Null on the one row of a page past the last match, which carries only the total. */
  slug: string | null;
  shopSlug: string;
  shopNameZh: string;
  shopNameEn: string;
  villageZh: string;
  villageEn: string;
};

/**
 * One page of listed products with everything their tiles show, in ONE statement whatever
 * the page size: the matching products are found first in one narrow table (`filter`, `tier`
 * and `rank` may use p = ProductListing: one row per product, kept by triggers, decision 039;
 * its id, "shopId", featured, "createdAt", kind, "harvestMonths", "countyId", "minPriceFen",
 * "maxPriceFen", "soldQuantity", and the lowercased titles and texts); `order` sorts them by
 * the columns id, rank, featured, "minPriceFen" and "createdAt", keeping only the page (a
 * top-N sort, not a sort of every match); only the page's rows then gather their cheapest
 * option, stock or places left, first picture and shop. `total` counts every match, even past
 * the last page.
 */
export async function marketCards({
  filter = Prisma.sql`TRUE`,
  rank = Prisma.sql`0`,
  ctes = Prisma.empty,
  join = Prisma.empty,
  tier = Prisma.sql`1`,
  order,
  limit,
  offset = 0,
  lng,
  now = new Date(),
  mayLag = false,
}: {
  filter?: Prisma.Sql;
  rank?: Prisma.Sql;
  /** Named subqueries before the matches (`name AS (…),`), and joins to them in the matches' FROM. */
  ctes?: Prisma.Sql;
  join?: Prisma.Sql;
  /** A product's match tier (0 = no match); only the best tier that has matches is listed. */
  tier?: Prisma.Sql;
  order: Prisma.Sql;
  limit: number;
  offset?: number;
  lng: string;
  now?: Date;
  /**
   * True for a page that may show data a second old (search): the read may go to the replica
   * (docs/decisions/024-stateless-nodes.md). "for-visitor" for a page the shared page cache keeps
   * fresh by invalidation (the platform home): an anonymous render right after a change must see
   * it, so only a visitor's own render, never kept, may go to the replica (unscopedPageReadDb()).
   */
  mayLag?: boolean | "for-visitor";
}): Promise<{ total: number; cards: MarketCard[] }> {
  const reader = mayLag === "for-visitor" ? unscopedPageReadDb() : mayLag ? unscopedReadDb() : unscopedDb();
  const rows = await reader.$queryRaw<MarketCardRow[]>`
  WITH ${ctes} tiered AS MATERIALIZED (
    SELECT p.id, p."shopId", p.featured, p."createdAt", p."minPriceFen", p."maxPriceFen", (${rank})::float8 AS rank,
           (${tier})::int AS tier
      FROM "ProductListing" p
      ${join}
     WHERE p.listed AND (${filter})
  ),
  matches AS MATERIALIZED (
    SELECT * FROM tiered WHERE tier > 0 AND tier = (SELECT max(tier) FROM tiered)
  ),
  page AS MATERIALIZED (
    SELECT id, "shopId", row_number() OVER (ORDER BY ${order}) AS n
      FROM (SELECT * FROM matches ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) top
  )
  SELECT t.total, ${productCardColumns},
         s.slug AS "shopSlug", s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn", s."villageZh", s."villageEn"
    FROM (SELECT count(*)::int AS total FROM matches) t
    LEFT JOIN page pg ON TRUE
    LEFT JOIN "Product" p ON p.id = pg.id AND p."shopId" = pg."shopId"
    LEFT JOIN "Shop" s ON s.id = pg."shopId"
    ${productCardJoins(now)}
   ORDER BY pg.n`;

  const total = rows[0]?.total ?? 0;
  const cards = rows
    .flatMap(({ slug, ...row }) => (slug === null ? [] : [{ ...row, slug }]))
    .map((row): MarketCard => {
      const product = toProductCard(cardSource(row), lng);
      return {
        product,
        shop: {
          slug: row.shopSlug,
          name: pick(lng, row.shopNameZh, row.shopNameEn),
          village: pick(lng, row.villageZh, row.villageEn),
        },
        href: `/s/${row.shopSlug}/p/${product.slug}`,
      };
    });
  return { total, cards };
}

export const HOME_SECTION_SIZE = 8;

/**
 * The marketplace home's product sections: what is in season this month in Shanghai
 * (harvestMonths holds it), and the shops' featured products. Two statements, on the replica
 * only for a visitor's own render (the shared page cache keeps the anonymous one).
 */
export async function marketplaceHome({ lng, now = new Date() }: { lng: string; now?: Date }) {
  const month = shanghaiMonth(now);
  const [inSeason, featured] = await Promise.all([
    inSeasonCards({ lng, now, limit: HOME_SECTION_SIZE, mayLag: "for-visitor" }),
    marketCards({
      mayLag: "for-visitor",
      filter: Prisma.sql`p.featured`,
      order: Prisma.sql`"createdAt" DESC, id`,
      limit: HOME_SECTION_SIZE,
      lng,
      now,
    }),
  ]);
  return { month, inSeason, featured: featured.cards };
}

/** Products in season this month in Shanghai (harvestMonths holds it), featured first. One statement. */
export async function inSeasonCards({
  lng,
  now = new Date(),
  limit,
  mayLag = false,
}: {
  lng: string;
  now?: Date;
  limit: number;
  /** As marketCards': true for a page that tolerates a second of lag (search), "for-visitor" for the platform home. */
  mayLag?: boolean | "for-visitor";
}) {
  const { cards } = await marketCards({
    mayLag,
    filter: Prisma.sql`${shanghaiMonth(now)}::int = ANY(p."harvestMonths")`,
    order: Prisma.sql`featured DESC, "createdAt" DESC, id`,
    limit,
    lng,
    now,
  });
  return cards;
}

/** Counties that have a live shop, for the search filter. One statement, on the replica when it may. */
export async function liveCounties(lng: string) {
  const counties = await unscopedReadDb().county.findMany({
    where: { shops: { some: { status: "LIVE" } } },
    orderBy: { code: "asc" },
    select: { slug: true, nameZh: true, nameEn: true, cityZh: true, cityEn: true },
  });
  return counties.map((c) => ({
    slug: c.slug,
    name: pick(lng, c.nameZh, c.nameEn),
    city: pick(lng, c.cityZh, c.cityEn),
  }));
}
