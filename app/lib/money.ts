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
