// Money is integer fen (分) in CNY; formatting is the only place it becomes 元.
export function formatFen(fen: number, lng: string): string {
  return new Intl.NumberFormat(lng === "en" ? "en-US" : "zh-CN", {
    style: "currency",
    currency: "CNY",
    currencyDisplay: "narrowSymbol",
  }).format(fen / 100);
}
