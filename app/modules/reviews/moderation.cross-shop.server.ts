import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { REVIEWS_PAGE_SIZE, type ModerationFilter } from "./review-schema";

// The platform admin's moderation (issue #13 §2): reviews across every shop; hiding one keeps
// it with its reason; releasing a HELD one publishes it. docs/decisions/023-reviews.md.

export async function listForModeration({
  status,
  page,
  lng,
}: {
  status: ModerationFilter;
  page: number;
  lng: string;
}) {
  const [rows, total] = await Promise.all([
    unscopedDb().review.findMany({
      where: { status },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * REVIEWS_PAGE_SIZE,
      take: REVIEWS_PAGE_SIZE,
      select: {
        id: true,
        shopId: true,
        authorName: true,
        stars: true,
        text: true,
        status: true,
        heldWord: true,
        hiddenReason: true,
        reply: true,
        photoCount: true,
        createdAt: true,
        shop: { select: { slug: true, nameZh: true, nameEn: true } },
        product: { select: { slug: true, titleZh: true, titleEn: true } },
      },
    }),
    unscopedDb().review.count({ where: { status } }),
  ]);
  return {
    total,
    pageCount: Math.max(1, Math.ceil(total / REVIEWS_PAGE_SIZE)),
    reviews: rows.map((r) => ({
      id: r.id,
      shopId: r.shopId,
      authorName: r.authorName,
      stars: r.stars,
      text: r.text,
      status: r.status,
      heldWord: r.heldWord,
      hiddenReason: r.hiddenReason,
      reply: r.reply,
      photoCount: r.photoCount,
      createdAt: r.createdAt.toISOString(),
      shop: { slug: r.shop.slug, name: pick(lng, r.shop.nameZh, r.shop.nameEn) },
      product: { slug: r.product.slug, title: pick(lng, r.product.titleZh, r.product.titleEn) },
    })),
  };
}

/** Hides a shown or held review, keeping the reason. False when there is no such review to hide. */
export async function hideReview({
  shopId,
  reviewId,
  reason,
  now = new Date(),
}: {
  shopId: string;
  reviewId: string;
  reason: string;
  now?: Date;
}) {
  const { count } = await unscopedDb().review.updateMany({
    // With its shop: the primary key (shopId, id), not a scan of every shop's reviews.
    where: { shopId, id: reviewId, status: { in: ["PUBLISHED", "HELD"] } },
    data: { status: "HIDDEN", hiddenReason: reason, moderatedAt: now },
  });
  return count === 1;
}

/** Publishes a held review. False when it is not held. */
export async function releaseReview({
  shopId,
  reviewId,
  now = new Date(),
}: {
  shopId: string;
  reviewId: string;
  now?: Date;
}) {
  const { count } = await unscopedDb().review.updateMany({
    where: { shopId, id: reviewId, status: "HELD" },
    data: { status: "PUBLISHED", moderatedAt: now },
  });
  return count === 1;
}
