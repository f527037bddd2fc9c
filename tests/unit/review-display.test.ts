import { describe, expect, it } from "vitest";
import { averageStars, maskName, ratingSummary, writeReviewSchema } from "~/modules/reviews/review-schema";

// What buyers read of a review's author and a product's rating (decision 023).

describe("review display", () => {
  it("shows an anonymous author as the name's first character and two stars", () => {
    expect(maskName("王小明")).toBe("王**");
    expect(maskName("  Li Lei ")).toBe("L**");
    // A character outside the BMP stays whole.
    expect(maskName("𠮷野家")).toBe("𠮷**");
    expect(maskName("")).toBe("***");
  });

  it("averages stars to one decimal, and has no average without reviews", () => {
    expect(averageStars(0, 0)).toBeNull();
    expect(averageStars(14, 3)).toBe(4.7);
    expect(averageStars(9, 2)).toBe(4.5);
    expect(ratingSummary({ ratingSum: null, ratingCount: null, soldQuantity: null })).toEqual({
      average: null,
      count: 0,
      sold: 0,
    });
  });

  it("accepts 1 to 5 whole stars and a text of at most 500 characters", () => {
    const ok = (stars: unknown, text = "好吃") => writeReviewSchema.safeParse({ lineId: "l1", stars, text }).success;
    expect([1, 5, "3"].map((s) => ok(s))).toEqual([true, true, true]);
    expect([0, 6, 2.5, "x"].map((s) => ok(s))).toEqual([false, false, false, false]);
    expect(ok(5, "   ")).toBe(false);
    expect(ok(5, "字".repeat(500))).toBe(true);
    expect(ok(5, "字".repeat(501))).toBe(false);
  });
});
