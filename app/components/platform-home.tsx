import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ShopTile } from "~/modules/tenancy/directory.cross-shop.server";
import { LanguageSwitch } from "./language-switch";
import { Picture } from "./picture";
import { SiteFooter } from "./site-footer";

export interface CountyGroup {
  slug: string;
  name: string;
  city: string;
  shops: ShopTile[];
}

export function PlatformHome({ counties }: { counties: CountyGroup[] }) {
  const { t } = useTranslation();
  let tileIndex = 0;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="bg-leaf text-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
          <Link to="/" className="min-w-0">
            <span className="block text-xl font-bold tracking-wide">{t("app.name")}</span>
            <span className="block truncate text-sm text-white/85">{t("app.tagline")}</span>
          </Link>
          <LanguageSwitch className="shrink-0 text-white" />
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4">
        <section className="my-6 rounded-3xl bg-gradient-to-br from-emerald-50 to-amber-50 p-6 ring-1 ring-emerald-100 sm:p-10">
          <h1 className="text-2xl font-bold sm:text-4xl">{t("home.heroTitle")}</h1>
          <p className="mt-2 max-w-2xl text-stone-700 sm:text-lg">{t("home.heroText")}</p>
        </section>

        {counties.length === 0 ? (
          <section className="rounded-2xl bg-white p-8 text-center ring-1 ring-stone-200" data-testid="empty-state">
            <h2 className="text-xl font-semibold">{t("home.emptyTitle")}</h2>
            <p className="mt-2 text-stone-600">{t("home.emptyText")}</p>
          </section>
        ) : (
          <>
            <h2 className="mb-2 text-lg font-semibold text-stone-700">{t("home.byCounty")}</h2>
            <nav aria-label={t("home.byCounty")} className="-mx-4 mb-6 overflow-x-auto px-4">
              <ul className="flex gap-2">
                {counties.map((county) => (
                  <li key={county.slug}>
                    <a href={`#county-${county.slug}`} className="inline-flex min-h-10 items-center whitespace-nowrap rounded-full bg-white px-4 text-sm font-medium ring-1 ring-stone-300">
                      {county.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            {counties.map((county) => (
              <section key={county.slug} id={`county-${county.slug}`} aria-labelledby={`county-h-${county.slug}`} className="mb-10 scroll-mt-4" data-testid="county-section">
                <h2 id={`county-h-${county.slug}`} className="mb-3 flex items-baseline gap-2 text-xl font-semibold">
                  {county.name}
                  <span className="text-sm font-normal text-stone-600">
                    {county.city} · {t("home.shopCount", { count: county.shops.length })}
                  </span>
                </h2>
                <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                  {county.shops.map((shop) => {
                    const eager = tileIndex++ < 2;
                    return (
                      <li key={shop.slug} className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-stone-200" style={{ borderTop: `6px solid ${shop.themePrimary}` }} data-testid="shop-tile">
                        <Link to={`/s/${shop.slug}`} className="block">
                          {shop.banner ? (
                            <Picture picture={shop.banner} alt="" sizes="(min-width: 1024px) 370px, (min-width: 640px) 50vw, 100vw" eager={eager} className="aspect-[8/3] w-full object-cover" />
                          ) : null}
                          <div className="flex items-center gap-3 p-4">
                            {shop.logo ? <Picture picture={shop.logo} alt="" sizes="56px" className="size-14 shrink-0 rounded-xl object-cover ring-1 ring-stone-200" /> : null}
                            <div className="min-w-0">
                              <h3 className="truncate text-lg font-semibold" style={{ color: shop.themePrimary }}>
                                {shop.name}
                              </h3>
                              <p className="truncate text-sm text-stone-600">{shop.village}</p>
                              {shop.tagline ? <p className="truncate text-sm text-stone-800">{shop.tagline}</p> : null}
                            </div>
                          </div>
                          <div className="flex items-center justify-between border-t border-stone-100 px-4 py-2 text-sm">
                            <span className="text-stone-600">{t("home.productCount", { count: shop.productCount })}</span>
                            <span className="font-medium" style={{ color: shop.themePrimary }}>
                              {t("home.visitShop")} →
                            </span>
                          </div>
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </>
        )}
      </main>
      <SiteFooter />
    </div>
  );
}
