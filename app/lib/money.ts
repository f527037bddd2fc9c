// Money is integer fen (分) in CNY; formatting is the only place it becomes 元.

// Prices are written with integer arithmetic, not Intl.NumberFormat: in the browser the first
// NumberFormat loads ICU's data in one long task during hydration (150–380 ms at Lighthouse's 4×
// slowdown, docs/perf.md), and for CNY both languages write the same "¥1,280.50" / "-¥0.05".
// tests/unit/shopper-price.test.ts holds the output to Intl's for both languages.

/** ¥ and 元 grouped by thousands, with the sign first: -123456 fen → "-¥1,234" and "56". */
function yuanParts(fen: number): { main: string; cents: string } {
  const abs = Math.abs(Math.round(fen));
  const grouped = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ",");
  return { main: `${fen < 0 && abs > 0 ? "-" : ""}¥${grouped}`, cents: String(abs % 100).padStart(2, "0") };
}

/** Exact 元 with two decimals (carts, checkout, statements): ¥98.50. The same in both languages. */
export function formatFen(fen: number, _lng: string): string {
  const { main, cents } = yuanParts(fen);
  return `${main}.${cents}`;
}

/** Fen as a plain decimal of 元 for files (CSV): -1230 → "-12.30". Integer arithmetic, no float drift. */
export function fenToDecimal(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * A price as shoppers read it on tiles and product pages (issue #13): ¥98, ¥98.5, ¥98.55 —
 * no trailing zeros. Carts, checkout and statements keep formatFen's exact ¥98.50.
 */
export function formatShopperPrice(fen: number, lng: string): string {
  const { main, decimals } = shopperPriceParts(fen, lng);
  return main + decimals;
}

/** The same price in parts, so the decimals can be set smaller: ["¥98", ".5"]. */
export function shopperPriceParts(fen: number, _lng: string): { main: string; decimals: string } {
  const { main, cents } = yuanParts(fen);
  const significant = cents.replace(/0+$/, "");
  return { main, decimals: significant ? `.${significant}` : "" };
}
