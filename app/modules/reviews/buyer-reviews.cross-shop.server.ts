import { unscopedDb } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { storeUpload } from "~/modules/media/upload.server";
import { heldBy } from "./blocklist.cross-shop.server";
import { maskName, MAX_REVIEW_PHOTOS, type ReviewableLine, type WriteReviewInput } from "./review-schema";

// The buyer's side of reviews (issue #13 §2): only the signed-in buyer who placed the order may
// review a line of one of its DELIVERED shop orders, once. Cross-shop: one order spans shops.
// docs/decisions/023-reviews.md.

export type ReviewOutcome =
  | { ok: true; reviewId: string; held: boolean }
  | { ok: false; error: string; values?: Record<string, string | number> };

const LINE_OF_BUYER = (userId: string) =>
  ({
    productId: { not: null },
    shopOrder: { status: "DELIVERED", order: { userId } },
  }) satisfies Prisma.ShopOrderLineWhereInput;

/** The delivered lines of an order the user placed (none for anyone else). */
export async function reviewableLines({
  userId,
  orderNumber,
  lng,
}: {
  userId: string;
  orderNumber: string;
  lng: string;
}): Promise<ReviewableLine[]> {
  const lines = await unscopedDb().shopOrderLine.findMany({
    where: { ...LINE_OF_BUYER(userId), shopOrder: { status: "DELIVERED", order: { userId, number: orderNumber } } },
    select: LINE_SELECT,
    orderBy: [{ shopOrder: { number: "asc" } }, { id: "asc" }],
  });
  return lines.map((l) => toReviewable(l, lng));
}

/** The user's delivered lines still waiting for a review, newest delivery first (the account page). */
export async function linesToReview({ userId, lng, take = 20 }: { userId: string; lng: string; take?: number }) {
  const lines = await unscopedDb().shopOrderLine.findMany({
    where: { ...LINE_OF_BUYER(userId), review: null },
    select: { ...LINE_SELECT, shopOrder: { select: { number: true, order: { select: { number: true } } } } },
    orderBy: [{ shopOrder: { deliveredAt: "desc" } }, { id: "asc" }],
    take,
  });
  return lines.map((l) => ({ ...toReviewable(l, lng), orderNumber: l.shopOrder.order.number }));
}

const LINE_SELECT = {
  id: true,
  titleZh: true,
  titleEn: true,
  variantTitleZh: true,
  variantTitleEn: true,
  shopOrder: { select: { number: true } },
  review: { select: { stars: true, status: true, reply: true } },
} as const;

function toReviewable(l: Prisma.ShopOrderLineGetPayload<{ select: typeof LINE_SELECT }>, lng: string): ReviewableLine {
  return {
    lineId: l.id,
    shopOrderNumber: l.shopOrder.number,
    title: pick(lng, l.titleZh, l.titleEn),
    variant: pick(lng, l.variantTitleZh, l.variantTitleEn),
    review: l.review,
  };
}

function refuse(error: string, values?: Record<string, string | number>): ReviewOutcome {
  return { ok: false, error, ...(values ? { values } : {}) };
}

/**
 * Writes the buyer's review of one delivered line: PUBLISHED, or HELD when a blocklisted word
 * is in it. Photos go through the media pipeline first (checked by their bytes); a refused
 * photo refuses the review. Anyone but the order's buyer, a line not delivered, and a second
 * review of a line are refused alike and change nothing.
 */
export async function writeReview({
  userId,
  input,
  photos = [],
}: {
  userId: string;
  input: WriteReviewInput;
  photos?: Blob[];
}): Promise<ReviewOutcome> {
  const line = await unscopedDb().shopOrderLine.findFirst({
    where: { id: input.lineId, ...LINE_OF_BUYER(userId) },
    select: {
      id: true,
      shopId: true,
      productId: true,
      review: { select: { id: true } },
      shopOrder: { select: { order: { select: { contactName: true, user: { select: { name: true } } } } } },
    },
  });
  if (!line || !line.productId) return refuse("reviews.errors.notReviewable");
  if (line.review) return refuse("reviews.errors.alreadyReviewed");
  if (photos.length > MAX_REVIEW_PHOTOS) return refuse("reviews.errors.tooManyPhotos", { max: MAX_REVIEW_PHOTOS });

  const imageIds: string[] = [];
  for (const file of photos) {
    const stored = await storeUpload({ shopId: line.shopId, role: "REVIEW", file });
    if (!stored.ok) return { ok: false, error: stored.error, ...(stored.values ? { values: stored.values } : {}) };
    if (!imageIds.includes(stored.imageId)) imageIds.push(stored.imageId);
  }

  const order = line.shopOrder.order;
  const name = order.user?.name?.trim() || order.contactName.trim() || "*";
  const heldWord = await heldBy(input.text);
  try {
    const review = await unscopedDb().review.create({
      data: {
        shopId: line.shopId,
        productId: line.productId,
        shopOrderLineId: line.id,
        userId,
        authorName: input.anonymous ? maskName(name) : name,
        anonymous: input.anonymous,
        stars: input.stars,
        text: input.text,
        status: heldWord ? "HELD" : "PUBLISHED",
        heldWord,
        photoCount: imageIds.length,
        // The review's shop is the photos' (their key to it is ("shopId", "reviewId")).
        photos: { create: imageIds.map((imageId, position) => ({ imageId, position })) },
      },
      select: { id: true },
    });
    return { ok: true, reviewId: review.id, held: heldWord !== null };
  } catch (error) {
    // Two presses at once: the line's unique review keeps the first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return refuse("reviews.errors.alreadyReviewed");
    }
    throw error;
  }
}
