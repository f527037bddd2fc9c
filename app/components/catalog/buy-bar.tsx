import { Link, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The add-to-cart form's id: the bar's buttons submit it from outside (the `form` attribute). */
export const ADD_FORM_ID = "add-to-cart-form";

/**
 * The product page's bar under the thumb on a phone (issue #13): the shop, the cart, 加入购物车
 * and 立即购买. Its buttons belong to the add-to-cart form above (variant, session and quantity
 * as chosen there), so both work without JavaScript; 立即购买 goes straight to a checkout of
 * that line only. Hidden from md up, where the form's own buttons sit beside the pictures.
 */
export function BuyBar({ shopHref, canBuy }: { shopHref: string; canBuy: boolean }) {
  const { t } = useTranslation();
  const root = useRouteLoaderData<{ cartCount?: number }>("root");
  const count = root?.cartCount ?? 0;
  const icon =
    "flex min-h-12 w-12 shrink-0 flex-col items-center justify-center text-[11px] leading-tight text-stone-700";
  return (
    <nav
      aria-label={t("pages.buyBar.label")}
      className="fixed inset-x-0 bottom-0 z-30 border-t border-stone-200 bg-white/95 px-2 pt-1.5 shadow-[0_-2px_8px_rgba(0,0,0,0.06)] backdrop-blur [padding-bottom:max(0.375rem,env(safe-area-inset-bottom))] md:hidden"
      data-testid="buy-bar"
    >
      <div className="mx-auto flex max-w-xl items-center gap-1">
        <Link to={shopHref} className={icon} data-testid="buy-bar-shop">
          <span aria-hidden="true" className="text-lg leading-none">
            ⌂
          </span>
          {t("pages.buyBar.shop")}
        </Link>
        <Link to="/cart" className={icon} aria-label={t("cart.linkLabel", { count })} data-testid="buy-bar-cart">
          <span aria-hidden="true" className="text-lg leading-none">
            🛒
          </span>
          {count > 0 ? `${t("pages.buyBar.cart")} ${count}` : t("pages.buyBar.cart")}
        </Link>
        <div className="ml-1 flex flex-1 overflow-hidden rounded-full">
          <button
            type="submit"
            form={ADD_FORM_ID}
            name="intent"
            value="add"
            disabled={!canBuy}
            className="min-h-11 flex-1 bg-amber-700 px-2 text-sm font-semibold text-white disabled:opacity-60"
            data-testid="buy-bar-add"
          >
            {t("pages.buyBar.addToCart")}
          </button>
          <button
            type="submit"
            form={ADD_FORM_ID}
            name="intent"
            value="buyNow"
            disabled={!canBuy}
            className="min-h-11 flex-1 bg-red-600 px-2 text-sm font-semibold text-white disabled:opacity-60"
            data-testid="buy-bar-buy-now"
          >
            {t("pages.buyBar.buyNow")}
          </button>
        </div>
      </div>
    </nav>
  );
}
