import { z } from "zod";
import type { PictureData } from "~/modules/media/presets";

// Reviews' forms and limits, shared by the server and the pages (no server-only imports).
// docs/decisions/023-reviews.md.

/** Photos one review may carry. */
export const MAX_REVIEW_PHOTOS = 6;
export const MAX_REVIEW_TEXT = 500;
export const MAX_REPLY_TEXT = 500;
export const MAX_HIDE_REASON = 200;
/** Reviews per page on a product's review list, and inside the product page itself. */
export const REVIEWS_PAGE_SIZE = 10;
export const PRODUCT_PAGE_REVIEWS = 3;

const trimmed = (max: number, tooLong: string) =>
  z
    .string({ required_error: "reviews.errors.textRequired" })
    .trim()
    .min(1, "reviews.errors.textRequired")
    .max(max, tooLong);

export const writeReviewSchema = z.object({
  lineId: z.string().min(1).max(40),
  stars: z.coerce
    .number({ invalid_type_error: "reviews.errors.stars" })
    .int("reviews.errors.stars")
    .min(1, "reviews.errors.stars")
    .max(5, "reviews.errors.stars"),
  text: trimmed(MAX_REVIEW_TEXT, "reviews.errors.textTooLong"),
  anonymous: z
    .union([z.literal("on"), z.literal("true")])
    .optional()
    .transform((v) => v !== undefined),
});
export type WriteReviewInput = z.infer<typeof writeReviewSchema>;

export const replySchema = z.object({
  intent: z.literal("reply"),
  reviewId: z.string().min(1).max(40),
  reply: trimmed(MAX_REPLY_TEXT, "reviews.errors.replyTooLong"),
});

export const moderateSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("hide"),
    reviewId: z.string().min(1).max(40),
    reason: z
      .string({ required_error: "reviews.errors.reasonRequired" })
      .trim()
      .min(1, "reviews.errors.reasonRequired")
      .max(MAX_HIDE_REASON, "reviews.errors.reasonTooLong"),
  }),
  z.object({ intent: z.literal("release"), reviewId: z.string().min(1).max(40) }),
]);

/** The name shown for an anonymous review: its first character and two stars (王**). */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0] ?? "*";
  return `${first}**`;
}

/** An average of stars with one decimal (4.7), or null without reviews. */
export function averageStars(ratingSum: number, ratingCount: number): number | null {
  if (ratingCount <= 0) return null;
  return Math.round((ratingSum / ratingCount) * 10) / 10;
}

/** What a card or page shows of a product's roll-up. */
export interface RatingSummary {
  /** One decimal, null without published reviews. */
  average: number | null;
  count: number;
  sold: number;
}

export function ratingSummary(row: {
  ratingSum: number | null;
  ratingCount: number | null;
  soldQuantity: number | null;
}): RatingSummary {
  const count = row.ratingCount ?? 0;
  return { average: averageStars(row.ratingSum ?? 0, count), count, sold: row.soldQuantity ?? 0 };
}

/** A published review as buyers read it. */
export interface ShownReview {
  id: string;
  authorName: string;
  stars: number;
  text: string;
  reply: string | null;
  repliedAt: string | null;
  createdAt: string;
  variant: string;
  photos: PictureData[];
}

/** A delivered line of the buyer's order, with its review when written. */
export interface ReviewableLine {
  lineId: string;
  shopOrderNumber: string;
  title: string;
  variant: string;
  review: { stars: number; status: "PUBLISHED" | "HELD" | "HIDDEN"; reply: string | null } | null;
}

/** The moderation page's tabs (shared by the page and the module). */
export const MODERATION_FILTERS = ["HELD", "PUBLISHED", "HIDDEN"] as const;
export type ModerationFilter = (typeof MODERATION_FILTERS)[number];
