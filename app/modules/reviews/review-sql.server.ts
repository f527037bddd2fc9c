import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { imageWithRenditionsJson } from "~/modules/media/image-json.server";
import { toPicture, type ImageWithRenditions } from "~/modules/media/picture";
import { ratingSummary, type RatingSummary, type ShownReview } from "./review-schema";

// The reviews' part of the statements that draw product cards and product pages: the roll-up
// "ProductStats" (kept by triggers) and the published reviews as JSON built by PostgreSQL, so a
// page costs no statement more for its ratings (docs/perf.md, "Statements per page").

/** An alias written in our own code, never input. */
function alias(name: string): Prisma.Sql {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a table alias: ${name}`);
  return Prisma.raw(name);
}

/** A LEFT JOIN of the product `p`'s roll-up, as `stats`, read within its shop. */
export function productStatsJoin(product = "p"): Prisma.Sql {
  const p = alias(product);
  return Prisma.sql`LEFT JOIN "ProductStats" stats ON stats."productId" = ${p}.id AND stats."shopId" = ${p}."shopId"`;
}

/** The columns of productStatsJoin: "ratingSum", "ratingCount", "soldQuantity" (0 without a roll-up). */
export const productStatsColumns = Prisma.sql`coalesce(stats."ratingSum", 0)::int AS "ratingSum",
  coalesce(stats."ratingCount", 0)::int AS "ratingCount", coalesce(stats."soldQuantity", 0)::int AS "soldQuantity"`;

export interface ProductStatsRow {
  ratingSum: number;
  ratingCount: number;
  soldQuantity: number;
}

/** The order of a product's reviews: with photos first, then the newest. */
const REVIEW_ORDER = Prisma.sql`(r."photoCount" > 0) DESC, r."createdAt" DESC, r.id DESC`;

/**
 * SQL for one page of the published reviews of the product `p` (within its shop) as a JSON
 * array of ReviewRow, photo reviews first.
 */
export function publishedReviewsJson(product: string, limit: number, offset = 0): Prisma.Sql {
  const p = alias(product);
  return Prisma.sql`coalesce((
    SELECT json_agg(json_build_object(
             'id', r.id, 'authorName', r."authorName", 'stars', r.stars, 'text', r.text,
             'reply', r.reply, 'repliedAt', r."repliedAt", 'createdAt', r."createdAt",
             'variant', l."variantTitleZh", 'variantEn', l."variantTitleEn",
             'photos', coalesce((
               SELECT json_agg(${imageWithRenditionsJson("i")} ORDER BY ph.position)
                 FROM "ReviewPhoto" ph
                 JOIN "Image" i ON i.id = ph."imageId" AND i."shopId" = ph."shopId"
                WHERE ph."reviewId" = r.id AND ph."shopId" = r."shopId"
             ), '[]'::json))
           ORDER BY ${REVIEW_ORDER})
      FROM (SELECT * FROM "Review" r
             WHERE r."productId" = ${p}.id AND r."shopId" = ${p}."shopId" AND r.status = 'PUBLISHED'
             ORDER BY ${REVIEW_ORDER}
             LIMIT ${limit} OFFSET ${offset}) r
      JOIN "ShopOrderLine" l ON l.id = r."shopOrderLineId" AND l."shopId" = r."shopId"
  ), '[]'::json)`;
}

export interface ReviewRow {
  id: string;
  authorName: string;
  stars: number;
  text: string;
  reply: string | null;
  repliedAt: string | null;
  createdAt: string;
  variant: string;
  variantEn: string | null;
  photos: ImageWithRenditions[];
}

/** A review as a page shows it, in the page's language. */
export function toShownReview(row: ReviewRow, lng: string): ShownReview {
  const variant = pick(lng, row.variant, row.variantEn);
  return {
    id: row.id,
    authorName: row.authorName,
    stars: row.stars,
    text: row.text,
    reply: row.reply,
    repliedAt: row.repliedAt,
    createdAt: row.createdAt,
    variant,
    photos: row.photos.map((image, i) => toPicture(image, lng, `${row.authorName} ${i + 1}`)),
  };
}

export function statsOf(row: ProductStatsRow): RatingSummary {
  return ratingSummary(row);
}
