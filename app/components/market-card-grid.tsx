import { useTranslation } from "react-i18next";
import type { MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import { ProductCard } from "./product-card";

/** Product tiles from many shops, each with the shop and village that sell it. */
export function MarketCardGrid({ cards, eagerCount = 0 }: { cards: MarketCard[]; eagerCount?: number }) {
  const { t } = useTranslation();
  return (
    <ul className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4" data-testid="market-grid">
      {cards.map((card, i) => (
        <ProductCard
          key={card.href}
          product={card.product}
          href={card.href}
          eager={i < eagerCount}
          byline={t("market.search.soldBy", { shop: card.shop.name, village: card.shop.village })}
        />
      ))}
    </ul>
  );
}

// Month names from a table, not Intl.DateTimeFormat: the browser's first DateTimeFormat loads ICU's
// data in one long task during hydration (docs/perf.md). tests/unit/month-names.test.ts holds the
// table to Intl's names (en-GB and zh-CN, as dateLocale writes dates).
const MONTH_NAMES = {
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
  zh: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
} as const;

/** "November" / "十一月": the month's name (1–12) in the page's language. */
export function monthName(month: number, lng: string) {
  return MONTH_NAMES[lng === "en" ? "en" : "zh"][month - 1] ?? "";
}
