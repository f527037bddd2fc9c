import type { PictureData } from "~/modules/media/presets";

// What reviews look like on pages, and their limits: no zod here, so that the storefront's client
// bundle (product cards, the product page) does not carry it (tests/e2e/speed.spec.ts holds the
// product page to 100 KB of JavaScript). The forms' schemas are in review-schema.ts.
// docs/decisions/023-reviews.md.

/** Photos one review may carry. */
export const MAX_REVIEW_PHOTOS = 6;
export const MAX_REVIEW_TEXT = 500;
export const MAX_REPLY_TEXT = 500;
export const MAX_HIDE_REASON = 200;
/** A blocklisted word or phrase. */
export const MAX_BLOCKED_WORD = 30;
/** Reviews per page on a product's review list, and inside the product page itself. */
export const REVIEWS_PAGE_SIZE = 10;
export const PRODUCT_PAGE_REVIEWS = 3;

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
