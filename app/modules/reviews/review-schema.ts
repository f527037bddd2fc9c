import { z } from "zod";
import { MAX_BLOCKED_WORD, MAX_HIDE_REASON, MAX_REPLY_TEXT, MAX_REVIEW_TEXT } from "./review-display";

// Reviews' forms, for the server and the form pages (no server-only imports). What pages show and
// the limits are in review-display.ts (no zod), re-exported here for the server's modules.
// docs/decisions/023-reviews.md.

export * from "./review-display";

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
    shopId: z.string().min(1).max(40),
    reviewId: z.string().min(1).max(40),
    reason: z
      .string({ required_error: "reviews.errors.reasonRequired" })
      .trim()
      .min(1, "reviews.errors.reasonRequired")
      .max(MAX_HIDE_REASON, "reviews.errors.reasonTooLong"),
  }),
  z.object({ intent: z.literal("release"), shopId: z.string().min(1).max(40), reviewId: z.string().min(1).max(40) }),
]);

/** The platform's blocklist editor: add a word, remove one. */
export const blocklistSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("addWord"),
    word: z
      .string({ required_error: "reviews.errors.wordRequired" })
      .trim()
      .min(1, "reviews.errors.wordRequired")
      .max(MAX_BLOCKED_WORD, "reviews.errors.wordTooLong"),
  }),
  z.object({ intent: z.literal("removeWord"), word: z.string().min(1).max(200) }),
]);
