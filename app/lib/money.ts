// Money is integer fen (分) in CNY; formatting is the only place it becomes 元.
// Building an Intl formatter is costly; one per language is enough.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatFen(fen: number, lng: string): string {
  const locale = lng === "en" ? "en-US" : "zh-CN";
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol" });
    formatters.set(locale, formatter);
  }
  return formatter.format(fen / 100);
}

/** Fen as a plain decimal of 元 for files (CSV): -1230 → "-12.30". Integer arithmetic, no float drift. */
export function fenToDecimal(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
