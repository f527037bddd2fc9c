import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { REVIEWS_PAGE_SIZE } from "./review-schema";
import {
  productStatsColumns,
  productStatsJoin,
  publishedReviewsJson,
  statsOf,
  toShownReview,
  type ProductStatsRow,
  type ReviewRow,
} from "./review-sql.server";

// One shop's reviews: the cooperative's list and its one reply, and a product's published
// reviews page by page. Every query names the shop. docs/decisions/023-reviews.md.

/** The shop's reviews, newest first, for its admin (held and hidden ones marked, not shown to buyers). */
export async function listShopReviews({ shopId, page, lng }: { shopId: string; page: number; lng: string }) {
  const [rows, total] = await Promise.all([
    db().review.findMany({
      where: { shopId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * REVIEWS_PAGE_SIZE,
      take: REVIEWS_PAGE_SIZE,
      select: {
        id: true,
        authorName: true,
        stars: true,
        text: true,
        status: true,
        reply: true,
        repliedAt: true,
        photoCount: true,
        createdAt: true,
        product: { select: { slug: true, titleZh: true, titleEn: true } },
      },
    }),
    db().review.count({ where: { shopId } }),
  ]);
  return {
    total,
    pageCount: Math.max(1, Math.ceil(total / REVIEWS_PAGE_SIZE)),
    reviews: rows.map((r) => ({
      id: r.id,
      authorName: r.authorName,
      stars: r.stars,
      text: r.text,
      status: r.status,
      reply: r.reply,
      repliedAt: r.repliedAt?.toISOString() ?? null,
      photoCount: r.photoCount,
      createdAt: r.createdAt.toISOString(),
      product: { slug: r.product.slug, title: pick(lng, r.product.titleZh, r.product.titleEn) },
    })),
  };
}

/**
 * The cooperative's one reply to a published review of its own shop. False when the review is
 * not the shop's, not published, or already answered (nothing changes).
 */
export async function replyToReview({
  shopId,
  reviewId,
  reply,
  now = new Date(),
}: {
  shopId: string;
  reviewId: string;
  reply: string;
  now?: Date;
}): Promise<boolean> {
  const { count } = await db().review.updateMany({
    where: { id: reviewId, shopId, status: "PUBLISHED", reply: null },
    data: { reply, repliedAt: now },
  });
  return count === 1;
}

/** A live product's published reviews, one page (photo reviews first), with its roll-up: one statement. */
export async function productReviewsPage({
  shopId,
  slug,
  page,
  lng,
}: {
  shopId: string;
  slug: string;
  page: number;
  lng: string;
}) {
  const [row] = await db().$queryRaw<
    (ProductStatsRow & { titleZh: string; titleEn: string | null; reviews: ReviewRow[] })[]
  >`
    SELECT p."titleZh", p."titleEn", ${productStatsColumns},
           ${publishedReviewsJson("p", REVIEWS_PAGE_SIZE, (page - 1) * REVIEWS_PAGE_SIZE)} AS reviews
      FROM "Product" p
      ${productStatsJoin("p")}
     WHERE p."shopId" = ${shopId} AND p.slug = ${slug} AND p.status = 'ACTIVE'`;
  if (!row) return null;
  const stats = statsOf(row);
  return {
    title: pick(lng, row.titleZh, row.titleEn),
    stats,
    pageCount: Math.max(1, Math.ceil(stats.count / REVIEWS_PAGE_SIZE)),
    reviews: row.reviews.map((r) => toShownReview(r, lng)),
  };
}
