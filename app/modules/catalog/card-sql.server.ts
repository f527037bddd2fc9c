import { Prisma } from "~/generated/prisma/client";
import { imageWithRenditionsJson } from "~/modules/media/image-json.server";
import { productStatsColumns, productStatsJoin } from "~/modules/reviews/review-sql.server";
import type { ProductCardSource } from "./product-card";

// What a product tile shows, gathered inside the statement that lists the tiles (the shop
// home, the marketplace, the search): one statement per page, whatever the page size.

/** The columns `productCardJoins` adds beside the product's own. */
export type ProductCardRow = Omit<ProductCardSource, "cheapest"> & {
  /** The cheapest option's price and unit, null when the product has no active option. */
  minPriceFen: number | null;
  unit: string | null;
};

/** The product columns of a ProductCardRow, from the product row `p`. */
export const productCardColumns = Prisma.sql`p.slug, p.kind::text AS kind, p."titleZh", p."titleEn", p."summaryZh",
  p."summaryEn", p.presale, cheapest."priceFen" AS "minPriceFen", dearest."maxPriceFen", cheapest.unit,
  stock.available, img.image, p."coldChain", (p."giName" IS NOT NULL) AS gi,
  cheapest."compareAtFen", coalesce(ship."freeShipping", false) AS "freeShipping",
  ${productStatsColumns}`;

/**
 * Lateral joins on the product row `p`, read within its shop: `cheapest` (unit, "priceFen"),
 * `dearest` ("maxPriceFen"), `stock` (available: units of the active options, or for an
 * experience the places left in slots after `now`), `img` (its first picture) and `stats` (its
 * reviews' and sales' roll-up, kept by triggers: decision 023).
 */
export function productCardJoins(now: Date): Prisma.Sql {
  return Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT v.unit, v."priceFen", v."compareAtFen" FROM "Variant" v
       WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
       ORDER BY v."priceFen", v.position, v.id
       LIMIT 1
    ) cheapest ON TRUE
    LEFT JOIN LATERAL (
      SELECT max(v."priceFen")::int AS "maxPriceFen" FROM "Variant" v
       WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
    ) dearest ON TRUE
    LEFT JOIN LATERAL (
      SELECT CASE WHEN p.kind = 'EXPERIENCE'
               THEN (SELECT coalesce(sum(greatest(sl.capacity - sl.booked, 0)), 0)
                       FROM "ExperienceSlot" sl
                      WHERE sl."productId" = p.id AND sl."shopId" = p."shopId" AND sl."startsAt" > ${now})
               ELSE (SELECT coalesce(sum(v.stock), 0)
                       FROM "Variant" v
                      WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE')
             END::int AS available
    ) stock ON TRUE
    LEFT JOIN LATERAL (
      SELECT ${imageWithRenditionsJson("i")} AS image
        FROM "Image" i
       WHERE i."productId" = p.id AND i."shopId" = p."shopId"
       ORDER BY i.position, i.id
       LIMIT 1
    ) img ON TRUE
    LEFT JOIN LATERAL (
      -- 包邮 (issue #13): goods whose cheapest option alone ships free from its shop.
      SELECT p.kind <> 'EXPERIENCE' AND cheapest."priceFen" IS NOT NULL
             AND (s."shippingHomeFen" = 0
                  OR (s."freeShippingFromFen" IS NOT NULL AND cheapest."priceFen" >= s."freeShippingFromFen"))
             AS "freeShipping"
        FROM "Shop" s
       WHERE s.id = p."shopId"
    ) ship ON TRUE
    ${productStatsJoin("p")}`;
}

/** A ProductCardRow as toProductCard's source. */
export function cardSource(row: ProductCardRow): ProductCardSource {
  return {
    ...row,
    cheapest: row.minPriceFen === null || row.unit === null ? null : { priceFen: row.minPriceFen, unit: row.unit },
    maxPriceFen: row.maxPriceFen,
  };
}
