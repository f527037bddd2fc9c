import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountLink } from "./account-link";
import { CartLink } from "./cart-link";
import { LanguageSwitch } from "./language-switch";
import { SiteFooter } from "./site-footer";

/** The marketplace's pages (home, search): the platform's header, a main column, the footer. */
export function MarketFrame({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-leaf text-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-2 px-4 py-3 sm:gap-3">
          <Link to="/" className="min-w-0 flex-1">
            <span className="block truncate text-xl font-bold tracking-wide">{t("app.name")}</span>
            <span className="block truncate text-sm text-white/85">{t("app.tagline")}</span>
          </Link>
          <AccountLink className="-mx-1 px-2 text-white" />
          <CartLink className="text-white ring-1 ring-white/40" />
          <LanguageSwitch className="shrink-0 text-white" />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4">
        {children}
      </main>
      <SiteFooter />
    </div>
  );
}
