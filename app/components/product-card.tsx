import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ProductCardData } from "~/modules/catalog/types";
import { CompareAtPrice, FromPrice, ShopperPrice } from "./catalog/shopper-price";
import { ProductTags } from "./catalog/product-tags";
import { Picture } from "./picture";
import { StockBadge } from "./stock-badge";
import { RatingLine } from "./reviews/rating";

/** `byline` (e.g. the shop that sells it, in the marketplace) sits under the card, outside its link. */
export function ProductCard({
  product,
  href,
  eager,
  byline,
}: {
  product: ProductCardData;
  href: string;
  eager?: boolean;
  byline?: string;
}) {
  const { t } = useTranslation();
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
        </div>
        <div className="flex flex-1 flex-col gap-1 p-2.5 sm:p-3">
          <h3 className="line-clamp-2 text-[15px] font-semibold leading-snug sm:text-base">{product.title}</h3>
          {product.summary ? (
            <p className="line-clamp-1 text-sm text-stone-600 sm:line-clamp-2">{product.summary}</p>
          ) : null}
          <RatingLine rating={product.rating} />
          <ProductTags tags={product.tags} />
          <div className="mt-auto flex flex-wrap items-baseline justify-between gap-x-1 pt-1.5">
            {product.minPriceFen !== null ? (
              <span className="flex flex-wrap items-baseline gap-x-1.5">
                <span className="text-lg font-bold text-red-700" data-testid="card-price">
                  {product.pricesVary ? (
                    <FromPrice fen={product.minPriceFen} />
                  ) : (
                    <ShopperPrice fen={product.minPriceFen} />
                  )}
                </span>
                {product.compareAtFen !== null ? (
                  <CompareAtPrice fen={product.compareAtFen} className="text-xs" />
                ) : null}
              </span>
            ) : null}
            <StockBadge stock={product.stock} />
          </div>
        </div>
      </Link>
      {byline ? (
        <p className="truncate border-t border-stone-100 px-3 py-1.5 text-xs text-stone-600">{byline}</p>
      ) : null}
    </li>
  );
}
