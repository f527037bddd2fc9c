import { describe, expect, it } from "vitest";
import { formatFen, formatShopperPrice, shopperPriceParts } from "~/lib/money";

// Prices as shoppers read them on tiles and product pages (issue #13): no trailing zeros, the
// decimals apart so they can be set smaller. Carts and checkout keep the exact ¥98.50.

describe("shopper prices", () => {
  it("drops trailing zeros and keeps the fen that matter, in both languages", () => {
    for (const lng of ["zh-CN", "en"]) {
      expect(formatShopperPrice(9800, lng)).toBe("¥98");
      expect(formatShopperPrice(9850, lng)).toBe("¥98.5");
      expect(formatShopperPrice(9855, lng)).toBe("¥98.55");
      expect(formatShopperPrice(5, lng)).toBe("¥0.05");
      expect(formatShopperPrice(1234500, lng)).toBe("¥12,345");
    }
    expect(formatFen(9850, "zh-CN")).toBe("¥98.50");
  });

  it("splits the decimals off for smaller type, and the parts read as the whole price", () => {
    expect(shopperPriceParts(9850, "zh-CN")).toEqual({ main: "¥98", decimals: ".5" });
    expect(shopperPriceParts(9800, "en")).toEqual({ main: "¥98", decimals: "" });
    for (const fen of [1, 99, 100, 16800, 29855, 123456789]) {
      const { main, decimals } = shopperPriceParts(fen, "zh-CN");
      expect(main + decimals).toBe(formatShopperPrice(fen, "zh-CN"));
    }
  });
});

describe("prices without Intl", () => {
  // The formatters use integer arithmetic (no ICU data in the browser); Intl is the reference.
  const reference = (fen: number, lng: string, exact: boolean) =>
    new Intl.NumberFormat(lng === "en" ? "en-US" : "zh-CN", {
      style: "currency",
      currency: "CNY",
      currencyDisplay: "narrowSymbol",
      ...(exact ? {} : { minimumFractionDigits: 0, maximumFractionDigits: 2 }),
    }).format(fen / 100);
  const amounts = [
    0, 1, 5, 10, 99, 100, 101, 990, 9850, 9855, 100000, 123456, 99999999, 123456789012, -1, -5, -9850, -123456789,
  ];
  // A fixed-seed spread of other amounts, up to ten million yuan either way.
  let seed = 7;
  for (let i = 0; i < 300; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    amounts.push((seed % 2_000_000_001) - 1_000_000_000);
  }

  it("writes what Intl writes, exact and as shoppers read it, in both languages", () => {
    for (const lng of ["zh-CN", "en"])
      for (const fen of amounts) {
        expect(formatFen(fen, lng), `${fen} ${lng}`).toBe(reference(fen, lng, true));
        expect(formatShopperPrice(fen, lng), `${fen} ${lng}`).toBe(reference(fen, lng, false));
      }
  });
});
