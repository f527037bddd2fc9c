// Money is integer fen (分) in CNY; formatting is the only place it becomes 元.
import { perLanguage } from "./per-language";

const yuanFormat = perLanguage(
  (lng) =>
    new Intl.NumberFormat(lng === "en" ? "en-US" : "zh-CN", {
      style: "currency",
      currency: "CNY",
      currencyDisplay: "narrowSymbol",
    }),
);

export function formatFen(fen: number, lng: string): string {
  return yuanFormat(lng).format(fen / 100);
}

/** Fen as a plain decimal of 元 for files (CSV): -1230 → "-12.30". Integer arithmetic, no float drift. */
export function fenToDecimal(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const shopperFormat = perLanguage(
  (lng) =>
    new Intl.NumberFormat(lng === "en" ? "en-US" : "zh-CN", {
      style: "currency",
      currency: "CNY",
      currencyDisplay: "narrowSymbol",
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    }),
);

/**
 * A price as shoppers read it on tiles and product pages (issue #13): ¥98, ¥98.5, ¥98.55 —
 * no trailing zeros. Carts, checkout and statements keep formatFen's exact ¥98.50.
 */
export function formatShopperPrice(fen: number, lng: string): string {
  return shopperFormat(lng).format(fen / 100);
}

/** The same price in parts, so the decimals can be set smaller: ["¥98", ".5"]. */
export function shopperPriceParts(fen: number, lng: string): { main: string; decimals: string } {
  const parts = shopperFormat(lng).formatToParts(fen / 100);
  const at = parts.findIndex((p) => p.type === "decimal");
  const text = (list: Intl.NumberFormatPart[]) => list.map((p) => p.value).join("");
  return at < 0
    ? { main: text(parts), decimals: "" }
    : { main: text(parts.slice(0, at)), decimals: text(parts.slice(at)) };
}
