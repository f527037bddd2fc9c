import { pageReadDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import type { Product } from "~/generated/prisma/client";
import { imageWithRenditionsJson } from "~/modules/media/image-json.server";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { cardSource, productCardColumns, productCardJoins, type ProductCardRow } from "./card-sql.server";
import {
  productStatsColumns,
  productStatsJoin,
  publishedReviewsJson,
  statsOf,
  toShownReview,
  type ProductStatsRow,
  type ReviewRow,
} from "~/modules/reviews/review-sql.server";
import { PRODUCT_PAGE_REVIEWS, ratingSummary, type RatingSummary } from "~/modules/reviews/review-display";
import { toProductCard } from "./product-card";
import { pricesVary, stockState, type ProductCardData } from "./types";

// What buyers see of one shop's catalog. Every query names the shop. The shop home and the
// product page are kept by the shared page cache: pageReadDb() reads the replica only for a
// visitor's own render (decision 024).

/** A timestamp or date from SQL JSON ("2026-07-01", "…T10:00:00+08:00") as the ISO string pages use. */
const isoTime = (json: string) => new Date(json).toISOString();

/**
 * One page of the shop's listed products (featured first, then in the shop's order) as tiles,
 * and how many it lists in all: ONE statement, and only the page's products are gathered.
 */
export async function listShopProducts({
  shopId,
  lng,
  limit,
  offset = 0,
  now = new Date(),
}: {
  shopId: string;
  lng: string;
  limit: number;
  offset?: number;
  now?: Date;
}): Promise<{ total: number; products: ProductCardData[]; shopRating: RatingSummary }> {
  const rows = await pageReadDb().$queryRaw<
    (Omit<ProductCardRow, "slug"> & {
      total: number;
      slug: string | null;
      shopRatingSum: number;
      shopRatingCount: number;
    })[]
  >`
    WITH listed AS MATERIALIZED (
      SELECT p.id, row_number() OVER (ORDER BY p.featured DESC, p.position, p.id) AS n
        FROM "Product" p
       WHERE p."shopId" = ${shopId} AND p.status = 'ACTIVE'
    ),
    page AS MATERIALIZED (
      SELECT id, n FROM listed ORDER BY n LIMIT ${limit} OFFSET ${offset}
    )
    SELECT t.total, t."shopRatingSum", t."shopRatingCount", ${productCardColumns}
      FROM (SELECT (SELECT count(*)::int FROM listed) AS total,
                   -- The shop's rating: its listed products' published reviews (decision 023).
                   coalesce(sum(s."ratingSum"), 0)::int AS "shopRatingSum",
                   coalesce(sum(s."ratingCount"), 0)::int AS "shopRatingCount"
              FROM "ProductStats" s
             WHERE s."shopId" = ${shopId} AND s."productId" IN (SELECT id FROM listed)) t
      LEFT JOIN page pg ON TRUE
      LEFT JOIN "Product" p ON p.id = pg.id AND p."shopId" = ${shopId}
      ${productCardJoins(now)}
     ORDER BY pg.n`;
  const first = rows[0];
  return {
    total: first?.total ?? 0,
    shopRating: ratingSummary({
      ratingSum: first?.shopRatingSum ?? 0,
      ratingCount: first?.shopRatingCount ?? 0,
      soldQuantity: 0,
    }),
    // With no product on the page, the one row left carries only the total.
    products: rows.flatMap(({ slug, ...row }) =>
      slug === null ? [] : [toProductCard(cardSource({ ...row, slug }), lng)],
    ),
  };
}

/** A product page's product as one row: its options, pictures, next slots and batches as JSON. */
type ShopProductRow = Product & {
  variants: {
    sku: string;
    titleZh: string;
    titleEn: string | null;
    unit: string;
    priceFen: number;
    compareAtFen: number | null;
    stock: number;
  }[];
  images: ImageWithRenditions[];
  /** Timestamps as PostgreSQL writes them in JSON. */
  slots: { startsAt: string; endsAt: string; capacity: number; booked: number }[];
  batches: { traceCode: string; harvestDate: string; productNameZh: string; productNameEn: string | null }[];
  reviews: ReviewRow[];
} & ProductStatsRow;

/** How many future slots a product page offers. */
const PRODUCT_PAGE_SLOTS = 24;

/** A listed product of the shop with everything its page shows, in ONE statement. */
export async function getShopProduct({
  shopId,
  slug,
  lng,
  now = new Date(),
}: {
  shopId: string;
  slug: string;
  lng: string;
  now?: Date;
}) {
  const [p] = await pageReadDb().$queryRaw<ShopProductRow[]>`
    SELECT p.*,
           coalesce((
             SELECT json_agg(json_build_object('sku', v.sku, 'titleZh', v."titleZh", 'titleEn', v."titleEn", 'unit', v.unit,
                                               'priceFen', v."priceFen", 'compareAtFen', v."compareAtFen", 'stock', v.stock)
                             ORDER BY v.position, v.id)
               FROM "Variant" v
              WHERE v."productId" = p.id AND v."shopId" = p."shopId" AND v.status = 'ACTIVE'
           ), '[]'::json) AS variants,
           coalesce((
             SELECT json_agg(${imageWithRenditionsJson("i")} ORDER BY i.position, i.id)
               FROM "Image" i
              WHERE i."productId" = p.id AND i."shopId" = p."shopId"
           ), '[]'::json) AS images,
           coalesce((
             SELECT json_agg(json_build_object('startsAt', sl."startsAt", 'endsAt', sl."endsAt",
                                               'capacity', sl.capacity, 'booked', sl.booked) ORDER BY sl."startsAt", sl.id)
               FROM (SELECT * FROM "ExperienceSlot" s
                      WHERE s."productId" = p.id AND s."shopId" = p."shopId" AND s."startsAt" > ${now}
                      ORDER BY s."startsAt", s.id
                      LIMIT ${PRODUCT_PAGE_SLOTS}) sl
           ), '[]'::json) AS slots,
           coalesce((
             SELECT json_agg(json_build_object('traceCode', b."traceCode", 'harvestDate', b."harvestDate",
                                               'productNameZh', b."productNameZh", 'productNameEn', b."productNameEn")
                             ORDER BY b."harvestDate" DESC, b."traceCode")
               FROM "BatchProduct" bp
               JOIN "Batch" b ON b.id = bp."batchId" AND b."shopId" = bp."shopId"
              WHERE bp."productId" = p.id AND bp."shopId" = p."shopId"
           ), '[]'::json) AS batches,
           ${publishedReviewsJson("p", PRODUCT_PAGE_REVIEWS)} AS reviews,
           ${productStatsColumns}
      FROM "Product" p
      ${productStatsJoin("p")}
     WHERE p."shopId" = ${shopId} AND p.slug = ${slug}`;
  if (!p || p.status !== "ACTIVE") return null;
  const title = pick(lng, p.titleZh, p.titleEn);
  return {
    slug: p.slug,
    kind: p.kind,
    title,
    summary: pick(lng, p.summaryZh, p.summaryEn),
    description: pick(lng, p.descriptionZh, p.descriptionEn),
    harvestMonths: p.harvestMonths,
    coldChain: p.coldChain,
    shelfLifeDays: p.shelfLifeDays,
    storage: pick(lng, p.storageZh, p.storageEn),
    presale: p.presale ? { shipBy: p.presaleShipBy?.toISOString() ?? null, yieldCap: p.presaleYieldCap } : null,
    gi: p.giName ? { name: p.giName, authNumber: p.giAuthNumber } : null,
    experience:
      p.kind === "EXPERIENCE"
        ? {
            durationMinutes: p.durationMinutes,
            meetingPoint: pick(lng, p.meetingPointZh, p.meetingPointEn),
            included: pick(lng, p.includedZh, p.includedEn),
          }
        : null,
    pricesVary: pricesVary(p.variants.map((v) => v.priceFen)),
    variants: p.variants.map((v) => ({
      sku: v.sku,
      title: pick(lng, v.titleZh, v.titleEn),
      unit: v.unit,
      priceFen: v.priceFen,
      compareAtFen: v.compareAtFen,
      stock: p.kind === "EXPERIENCE" ? null : stockState(v.stock),
    })),
    slots: p.slots.map((s) => ({
      startsAt: isoTime(s.startsAt),
      endsAt: isoTime(s.endsAt),
      placesLeft: Math.max(0, s.capacity - s.booked),
    })),
    pictures: p.images.map((image, i) => toPicture(image, lng, `${title} ${i + 1}`)),
    batches: p.batches.map((b) => ({
      traceCode: b.traceCode,
      harvestDate: isoTime(b.harvestDate),
      name: pick(lng, b.productNameZh, b.productNameEn),
    })),
    /** Average stars, review count and 已售 (decision 023), and the first reviews, photo reviews first. */
    rating: statsOf(p),
    reviews: p.reviews.map((r) => toShownReview(r, lng)),
  };
}

export type StorefrontProduct = NonNullable<Awaited<ReturnType<typeof getShopProduct>>>;
