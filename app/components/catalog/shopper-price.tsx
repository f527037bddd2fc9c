import { useTranslation } from "react-i18next";
import { formatShopperPrice, shopperPriceParts } from "~/lib/money";

/** ¥98 or ¥98<small>.5</small>, as shoppers read prices on tiles and product pages. */
export function ShopperPrice({ fen }: { fen: number }) {
  const { i18n } = useTranslation();
  const { main, decimals } = shopperPriceParts(fen, i18n.language);
  return (
    <span>
      {main}
      {decimals ? <span className="text-[0.7em]">{decimals}</span> : null}
    </span>
  );
}

/** The strike-through 划线价 beside a price, read out as "was ¥128". */
export function CompareAtPrice({ fen, className = "" }: { fen: number; className?: string }) {
  const { t, i18n } = useTranslation();
  const price = formatShopperPrice(fen, i18n.language);
  return (
    <s className={`text-stone-500 ${className}`} data-testid="compare-at">
      <span className="sr-only">{t("pages.price.compareAt", { price })}</span>
      <span aria-hidden="true">{price}</span>
    </s>
  );
}

/** "¥98 起" / "From ¥98": the page's words around the shopper's price. */
export function FromPrice({ fen }: { fen: number }) {
  const { t } = useTranslation();
  const [before = "", after = ""] = t("product.from", { price: "\u0000" }).split("\u0000");
  return (
    <>
      {before}
      <ShopperPrice fen={fen} />
      {after}
    </>
  );
}
