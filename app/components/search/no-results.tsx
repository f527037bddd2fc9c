import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import { searchHref, type SearchParams } from "~/modules/catalog/search-params";
import { MarketCardGrid, monthName } from "../market-card-grid";

const chip = "inline-flex min-h-10 items-center rounded-full bg-stone-100 px-3 font-medium ring-1 ring-stone-300";

/**
 * A search that found nothing: says so, offers the nearest matches (a looser match than search's
 * own) and what is in season, and what to try next. Links only, so it works without JavaScript.
 */
export function NoResults({
  params,
  month,
  nearest,
  inSeason,
}: {
  params: SearchParams;
  month: number;
  nearest: MarketCard[];
  inSeason: MarketCard[];
}) {
  const { t, i18n } = useTranslation();
  const filtered = Boolean(params.county || params.kind || params.season);
  return (
    <div className="mt-3 flex flex-col gap-6" data-testid="empty-results">
      <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200 sm:p-6">
        <h2 className="text-lg font-semibold" data-testid="empty-title">
          {params.q ? t("market.search.empty.titleQuery", { q: params.q }) : t("market.search.empty.title")}
        </h2>
        <p className="mt-1 text-stone-600">{t("market.search.empty.text")}</p>
        <h3 className="mt-4 font-semibold">{t("market.search.empty.tryTitle")}</h3>
        <ul className="mt-1 list-disc space-y-1 pl-5 text-stone-700" data-testid="empty-tips">
          <li>{t("market.search.empty.tipShorter")}</li>
          <li>{t("market.search.empty.tipPinyin")}</li>
          <li>{t("market.search.empty.tipSpelling")}</li>
          {filtered ? (
            <li>
              {t("market.search.empty.tipFilters")}{" "}
              <Link to={searchHref({ q: params.q, sort: params.sort })} className="underline underline-offset-4">
                {t("market.search.clear")}
              </Link>
            </li>
          ) : null}
        </ul>
        <p className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <span className="text-stone-600">{t("market.search.empty.try")}</span>
          {t("market.search.examples")
            .split(" ")
            .map((example) => (
              <Link key={example} to={searchHref({ q: example })} className={chip}>
                {example}
              </Link>
            ))}
        </p>
      </section>

      {nearest.length > 0 ? (
        <section aria-labelledby="nearest-title" data-testid="nearest">
          <h2 id="nearest-title" className="text-lg font-semibold">
            {t("market.search.empty.nearTitle")}
          </h2>
          <p className="mb-3 text-sm text-stone-600">{t("market.search.empty.nearText", { q: params.q })}</p>
          <MarketCardGrid cards={nearest} eagerCount={2} />
        </section>
      ) : null}

      {inSeason.length > 0 ? (
        <section aria-labelledby="in-season-title" data-testid="in-season">
          <h2 id="in-season-title" className="mb-3 text-lg font-semibold">
            {t("market.search.empty.seasonTitle", { monthName: monthName(month, i18n.language) })}
          </h2>
          <MarketCardGrid cards={inSeason} />
        </section>
      ) : null}
    </div>
  );
}
