import { useTranslation } from "react-i18next";
import type { MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import { dateLocale, perLanguage } from "~/lib/per-language";
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

/** "November" / "11月": the month's name in the page's language. */
export function monthName(month: number, lng: string) {
  return longMonthFormat(lng).format(new Date(Date.UTC(2000, month - 1, 15)));
}

const longMonthFormat = perLanguage(
  (lng) => new Intl.DateTimeFormat(dateLocale(lng), { month: "long", timeZone: "UTC" }),
);
