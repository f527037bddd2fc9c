import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import type { ProductCardData } from "~/modules/catalog/types";
import { Picture } from "./picture";
import { StockBadge } from "./stock-badge";
import { RatingLine } from "./reviews/rating";

/** `byline` (e.g. the shop that sells it, in the marketplace) sits under the card, outside its link. */
export function ProductCard({ product, href, eager, byline }: { product: ProductCardData; href: string; eager?: boolean; byline?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="flex flex-col overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-stone-200 transition hover:shadow-md">
      <Link to={href} className="flex flex-1 flex-col" data-testid="product-card">
        <div className="relative aspect-[4/3] bg-stone-100">
          {product.picture ? (
            <Picture
              picture={product.picture}
              sizes="(min-width: 1024px) 300px, (min-width: 640px) 45vw, 50vw"
              eager={eager}
              className="absolute inset-0 size-full object-cover"
            />
          ) : null}
          <span className="absolute left-2 top-2 rounded-full bg-white/90 px-2 py-0.5 text-xs font-medium text-stone-800">
            {t(`kind.${product.kind}`)}
          </span>
          {product.presale ? (
            <span className="absolute right-2 top-2 rounded-full bg-[var(--brand,#2f6b3a)] px-2 py-0.5 text-xs font-medium text-white">
              {t("product.presale")}
            </span>
          ) : null}
        </div>
        <div className="flex flex-1 flex-col gap-1 p-3">
          <h3 className="line-clamp-2 font-semibold leading-snug">{product.title}</h3>
          {product.summary ? <p className="line-clamp-2 text-sm text-stone-600">{product.summary}</p> : null}
          <RatingLine rating={product.rating} />
          <div className="mt-auto flex flex-wrap items-center justify-between gap-1 pt-2">
            {product.minPriceFen !== null ? (
              <span className="text-lg font-bold text-red-700">
                {product.pricesVary
                  ? t("product.from", { price: formatFen(product.minPriceFen, i18n.language) })
                  : formatFen(product.minPriceFen, i18n.language)}
              </span>
            ) : null}
            <StockBadge stock={product.stock} />
          </div>
        </div>
      </Link>
      {byline ? <p className="truncate border-t border-stone-100 px-3 py-1.5 text-xs text-stone-600">{byline}</p> : null}
    </li>
  );
}
