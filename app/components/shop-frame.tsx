import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ShopHeaderData } from "~/modules/tenancy/types";
import { AccountLink } from "./account-link";
import { CartLink } from "./cart-link";
import { LanguageSwitch } from "./language-switch";
import { Picture } from "./picture";
import { SiteFooter } from "./site-footer";

/** A shop's pages in its brand theme: the colours are CSS variables set once here. */
export function ShopFrame({
  shop,
  children,
  bottomBar,
}: {
  shop: ShopHeaderData;
  children: React.ReactNode;
  /** A bar fixed under the thumb on a phone (the product page's buy bar); the page leaves room for it. */
  bottomBar?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const style = { "--brand": shop.themePrimary, "--accent": shop.themeAccent } as React.CSSProperties;
  return (
    <div style={style} className={`flex min-h-screen flex-col ${bottomBar ? "pb-20 md:pb-0" : ""}`}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        {t("app.skipToContent")}
      </a>
      <header className="bg-[var(--brand)] text-white">
        {/* On a phone the name takes the whole first row (one line, cut off with "…": the full name
            is the link's text and its title) and 我的, the cart and language links move to a row of
            their own; on wider screens all sit in one row. */}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3">
          <Link
            to={shop.basePath || "/"}
            className="flex min-w-0 flex-[1_1_16rem] items-center gap-3"
            data-testid="shop-home-link"
          >
            {shop.logo ? (
              <Picture
                picture={shop.logo}
                sizes="48px"
                alt=""
                eager
                className="size-12 shrink-0 rounded-xl bg-white object-cover ring-2 ring-white/60"
              />
            ) : null}
            <span className="min-w-0">
              <span
                className="block truncate text-lg font-bold leading-tight"
                title={shop.name}
                data-testid="shop-name"
              >
                {shop.name}
              </span>
              <span className="block truncate text-sm text-white/85">
                {shop.village} · {shop.county}
              </span>
            </span>
          </Link>
          <div className="ml-auto flex shrink-0 items-center gap-2">
            <AccountLink className="text-white" />
            <CartLink className="text-white ring-1 ring-white/40" />
            <LanguageSwitch className="shrink-0 text-white" />
          </div>
        </div>
        <div className="h-1 bg-[var(--accent)]" />
      </header>
      {shop.isDemo ? (
        <aside className="bg-amber-50 px-4 py-1 text-center text-xs text-amber-900">{t("app.demoData")}</aside>
      ) : null}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4">
        {children}
      </main>
      {shop.viaHost ? null : (
        <nav aria-label={t("shop.platformHome")} className="mx-auto w-full max-w-6xl px-4 pt-10 text-sm">
          <Link to="/" className="text-stone-600 underline underline-offset-4">
            ← {t("shop.platformHome")}
          </Link>
        </nav>
      )}
      <SiteFooter />
      {bottomBar}
    </div>
  );
}
