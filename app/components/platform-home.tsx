import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import { KIND_PARAMS, searchHref, type KindParam } from "~/modules/catalog/search-params";
import type { ShopTile } from "~/modules/tenancy/directory.cross-shop.server";
import { MarketCardGrid, monthName } from "./market-card-grid";
import { MarketFrame } from "./market-frame";
import { MarketSearchForm } from "./market-search-form";
import { Picture } from "./picture";

export interface CountyGroup {
  slug: string;
  name: string;
  city: string;
  shops: ShopTile[];
}

export interface PlatformHomeData {
  counties: CountyGroup[];
  /** The month (1–12) in Shanghai. */
  month: number;
  inSeason: MarketCard[];
  featured: MarketCard[];
}

const KIND_TILE_STYLE: Record<KindParam, string> = {
  produce: "bg-emerald-50 ring-emerald-200 text-emerald-900",
  specialty: "bg-amber-50 ring-amber-200 text-amber-900",
  experience: "bg-sky-50 ring-sky-200 text-sky-900",
};

export function PlatformHome({ counties, month, inSeason, featured }: PlatformHomeData) {
  const { t, i18n } = useTranslation();
  return (
    <MarketFrame>
      {/* On a 360 px phone the first screen shows products (issue #13): a compact search and the
          kinds as chips, then the in-season grid in two columns, then the shops by county. */}
      <section className="my-3 rounded-3xl bg-gradient-to-br from-emerald-50 to-amber-50 p-4 ring-1 ring-emerald-100 sm:my-6 sm:p-10">
        <h1 className="text-xl font-bold sm:text-4xl">{t("home.heroTitle")}</h1>
        <p className="mt-2 hidden max-w-2xl text-stone-700 sm:block sm:text-lg">{t("home.heroText")}</p>
        <div className="mt-3 max-w-2xl sm:mt-5">
          <MarketSearchForm />
        </div>
        <nav aria-label={t("market.home.kinds")} className="-mx-4 mt-3 overflow-x-auto px-4">
          <ul className="flex gap-2">
            {(Object.keys(KIND_PARAMS) as KindParam[]).map((kind) => (
              <li key={kind}>
                <Link
                  to={searchHref({ kind })}
                  className={`inline-flex min-h-10 flex-col justify-center whitespace-nowrap rounded-full px-4 ring-1 sm:rounded-2xl sm:py-2 ${KIND_TILE_STYLE[kind]}`}
                  data-testid="kind-tile"
                >
                  <span className="text-sm font-semibold sm:text-base">{t(`kind.${KIND_PARAMS[kind]}`)}</span>
                  <span className="hidden text-sm opacity-80 sm:block">
                    {t(`market.home.kindText.${KIND_PARAMS[kind]}`)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </section>

      <ProductSection
        id="in-season"
        title={t("market.home.inSeason", { monthName: monthName(month, i18n.language) })}
        cards={inSeason}
        empty={t("market.home.inSeasonEmpty")}
        seeAll={searchHref({ season: true })}
        eagerCount={2}
      />

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
                  <a
                    href={`#county-${county.slug}`}
                    className="inline-flex min-h-10 items-center whitespace-nowrap rounded-full bg-white px-4 text-sm font-medium ring-1 ring-stone-300"
                  >
                    {county.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {counties.map((county) => (
            <section
              key={county.slug}
              id={`county-${county.slug}`}
              aria-labelledby={`county-h-${county.slug}`}
              className="mb-10 scroll-mt-4"
              data-testid="county-section"
            >
              <h2 id={`county-h-${county.slug}`} className="mb-3 flex items-baseline gap-2 text-xl font-semibold">
                {county.name}
                <span className="text-sm font-normal text-stone-600">
                  {county.city} · {t("home.shopCount", { count: county.shops.length })}
                </span>
              </h2>
              <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {county.shops.map((shop) => {
                  // Below the products on every screen: loaded as they come near, not first.
                  return (
                    <li
                      key={shop.slug}
                      className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-stone-200"
                      style={{ borderTop: `6px solid ${shop.themePrimary}` }}
                      data-testid="shop-tile"
                    >
                      <Link to={`/s/${shop.slug}`} className="block">
                        {shop.banner ? (
                          <Picture
                            picture={shop.banner}
                            alt=""
                            sizes="(min-width: 1024px) 370px, (min-width: 640px) 50vw, 100vw"
                            className="aspect-[8/3] w-full object-cover"
                          />
                        ) : null}
                        <div className="flex items-center gap-3 p-4">
                          {shop.logo ? (
                            <Picture
                              picture={shop.logo}
                              alt=""
                              sizes="56px"
                              className="size-14 shrink-0 rounded-xl object-cover ring-1 ring-stone-200"
                            />
                          ) : null}
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

      <ProductSection
        id="featured"
        title={t("market.home.featured")}
        cards={featured}
        empty={t("market.home.featuredEmpty")}
      />
    </MarketFrame>
  );
}

function ProductSection({
  id,
  title,
  cards,
  empty,
  seeAll,
  eagerCount,
}: {
  id: string;
  title: string;
  cards: MarketCard[];
  empty: string;
  seeAll?: string;
  eagerCount?: number;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-h`} className="mb-8 sm:mb-10" data-testid={`${id}-section`}>
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 id={`${id}-h`} className="text-xl font-semibold">
          {title}
        </h2>
        {cards.length > 0 && seeAll ? (
          <Link to={seeAll} className="shrink-0 text-sm font-medium text-leaf underline underline-offset-4">
            {t("market.home.seeAll")} →
          </Link>
        ) : null}
      </div>
      {cards.length === 0 ? (
        <p className="rounded-xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{empty}</p>
      ) : (
        <MarketCardGrid cards={cards} eagerCount={eagerCount} />
      )}
    </section>
  );
}
