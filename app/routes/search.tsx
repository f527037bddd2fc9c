import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MarketCardGrid, monthName } from "~/components/market-card-grid";
import { NoResults } from "~/components/search/no-results";
import { MarketFrame } from "~/components/market-frame";
import { MarketSearchForm } from "~/components/market-search-form";
import { Pagination } from "~/components/pagination";
import { getFixedT } from "~/lib/i18n.server";
import { shanghaiMonth } from "~/lib/time";
import { liveCounties } from "~/modules/catalog/marketplace.cross-shop.server";
import {
  KIND_PARAMS,
  parseSearchParams,
  SEARCH_SORTS,
  searchHref,
  type KindParam,
} from "~/modules/catalog/search-params";
import { noResultSuggestions, searchProducts } from "~/modules/catalog/search.cross-shop.server";
import { logSearch } from "~/modules/search/query-log.server";
import { seoMeta } from "~/modules/seo/meta";
import { platformSeo } from "~/modules/seo/seo.server";
import { publicPage } from "~/modules/caching/page-cache";

export const headers = publicPage();

// /search: products of every live shop, by words, county, kind and season; GET only, so every
// filter, sort and page is a plain link that works without JavaScript.
export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const params = parseSearchParams(new URL(request.url).searchParams);
  const now = new Date();
  const [results, counties] = await Promise.all([searchProducts({ ...params, lng, now }), liveCounties(lng)]);
  if (params.page > results.pageCount) throw redirect(searchHref({ ...params, page: results.pageCount }));
  const [suggestions] = await Promise.all([
    results.total === 0 ? noResultSuggestions({ q: params.q, lng, now }) : null,
    // A submitted search counts once, on its first page (docs/decisions/026-search-queries.md).
    params.q && params.page === 1 ? logSearch({ q: params.q, results: results.total, request, now }) : null,
  ]);
  const title = params.q ? t("market.search.titleQuery", { q: params.q }) : t("market.search.title");
  const description = params.q
    ? t("market.search.descriptionQuery", { q: params.q, count: results.total })
    : t("market.search.description");
  return {
    params,
    results,
    suggestions,
    counties,
    month: shanghaiMonth(now),
    title,
    description,
    // Every filter combination shares the one canonical /search.
    seo: platformSeo({
      path: "/search",
      lng,
      title,
      description,
      picture: results.results[0]?.product.picture,
      siteName: t("app.name"),
    }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  // Endless combinations of filters are not worth indexing; the shops and products are.
  seoMeta(data?.seo, [{ name: "robots", content: "noindex, follow" }]);

const selectClass = "min-h-11 w-full rounded-lg border border-stone-300 bg-white px-2 text-base";

export default function Search() {
  const { t, i18n } = useTranslation();
  const { params, results, suggestions, counties, month } = useLoaderData<typeof loader>();
  const filtered = Boolean(params.q || params.county || params.kind || params.season);
  return (
    <MarketFrame>
      <h1 className="mt-6 text-2xl font-bold sm:text-3xl" data-testid="search-heading">
        {params.q ? t("market.search.headingQuery", { q: params.q }) : t("market.search.heading")}
      </h1>

      <div className="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <MarketSearchForm defaultValue={params.q}>
          <fieldset className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <legend className="sr-only">{t("market.search.filters")}</legend>
            <label className="flex flex-col gap-1 text-sm font-medium">
              {t("market.search.county")}
              <select name="county" defaultValue={params.county ?? ""} className={selectClass}>
                <option value="">{t("market.search.anyCounty")}</option>
                {counties.map((county) => (
                  <option key={county.slug} value={county.slug}>
                    {county.name}（{county.city}）
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium">
              {t("market.search.kind")}
              <select name="kind" defaultValue={params.kind ?? ""} className={selectClass}>
                <option value="">{t("market.search.anyKind")}</option>
                {(Object.keys(KIND_PARAMS) as KindParam[]).map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`kind.${KIND_PARAMS[kind]}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium">
              {t("market.search.sort")}
              <select name="sort" defaultValue={params.sort} className={selectClass}>
                {SEARCH_SORTS.map((sort) => (
                  <option key={sort} value={sort}>
                    {t(`market.search.sortBy.${sort}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex min-h-11 items-center gap-2 self-end text-sm font-medium">
              <input
                type="checkbox"
                name="season"
                value="1"
                defaultChecked={params.season}
                className="size-5 accent-leaf"
              />
              {t("market.search.season", { monthName: monthName(month, i18n.language) })}
            </label>
          </fieldset>
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="min-h-11 rounded-lg border border-leaf px-4 font-medium text-leaf">
              {t("market.search.apply")}
            </button>
            {filtered ? (
              <Link to="/search" className="text-sm text-stone-600 underline underline-offset-4">
                {t("market.search.clear")}
              </Link>
            ) : null}
          </div>
        </MarketSearchForm>
      </div>

      <p className="mt-4 text-sm text-stone-700" role="status" data-testid="result-count">
        {t("market.search.count", { count: results.total })}
        {results.pageCount > 1
          ? ` · ${t("paging.pageOf", { page: results.page, pages: results.pageCount })}`
          : null}
      </p>

      {results.results.length === 0 ? (
        <NoResults
          params={params}
          month={month}
          nearest={suggestions?.nearest ?? []}
          inSeason={suggestions?.inSeason ?? []}
        />
      ) : (
        <div className="mt-3">
          {/* The cards' titles are h3: their section needs a heading of its own. */}
          <h2 className="sr-only">{t("market.search.results")}</h2>
          <MarketCardGrid cards={results.results} eagerCount={2} />
        </div>
      )}

      <Pagination page={results.page} pageCount={results.pageCount} hrefOf={(page) => searchHref({ ...params, page })} />
    </MarketFrame>
  );
}
