import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime } from "~/lib/time";

interface Row {
  query: string;
  searches: number;
  zeroResults: number;
  lastResults: number;
  lastSeenAt: string | Date;
}

const synonymLink = (query: string) => `/platform/search?words=${encodeURIComponent(`${query} `)}#add-synonym`;
const weekLink = (week: string) => `/platform/search/queries?week=${week}`;

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2";
const link = "inline-flex min-h-11 items-center underline underline-offset-4";

/** The platform admin's weekly view of buyers' searches: the most searched and those that found nothing. */
export function SearchQueries({
  week,
  previous,
  next,
  thisWeek,
  top,
  zero,
}: {
  week: string;
  previous: string;
  next: string;
  thisWeek: string;
  top: Row[];
  zero: Row[];
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const weekEnd = new Date(Date.parse(`${week}T00:00:00Z`) + 6 * 86_400_000);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("search.queries.title")}</h1>
      <p className="text-stone-700">{t("search.queries.intro")}</p>
      <nav
        aria-label={t("search.queries.weeks")}
        className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-2xl bg-white px-4 py-2 ring-1 ring-stone-200"
      >
        <Link to={weekLink(previous)} className={link} data-testid="previous-week">
          {t("search.queries.previous")}
        </Link>
        <p className="font-semibold" data-testid="week">
          {t("search.queries.week", { from: formatDate(week, lng), to: formatDate(weekEnd, lng) })}
        </p>
        {week < thisWeek ? (
          <Link to={weekLink(next)} className={link} data-testid="next-week">
            {t("search.queries.next")}
          </Link>
        ) : null}
        {week !== thisWeek ? (
          <Link to="/platform/search/queries" className={link}>
            {t("search.queries.thisWeek")}
          </Link>
        ) : null}
      </nav>

      <section aria-labelledby="top-queries" className="flex flex-col gap-2">
        <h2 id="top-queries" className="text-lg font-semibold">
          {t("search.queries.topTitle")}
        </h2>
        {top.length === 0 ? (
          <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200" data-testid="top-empty">
            {t("search.queries.topEmpty")}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-2xl bg-white ring-1 ring-stone-200">
            <table className="w-full text-left text-sm" data-testid="top-queries">
              <thead className="bg-stone-50 text-stone-700">
                <tr>
                  <th scope="col" className={th}>
                    {t("search.queries.query")}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t("search.queries.searches")}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t("search.queries.results")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {top.map((row) => (
                  <tr key={row.query} className="border-t border-stone-100">
                    <td className={`${td} font-medium break-all`}>{row.query}</td>
                    <td className={`${td} text-right tabular-nums`}>{row.searches}</td>
                    <td className={`${td} text-right tabular-nums`}>{row.lastResults}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="zero-queries" className="flex flex-col gap-2">
        <h2 id="zero-queries" className="text-lg font-semibold">
          {t("search.queries.zeroTitle")}
        </h2>
        <p className="text-sm text-stone-600">{t("search.queries.zeroIntro")}</p>
        {zero.length === 0 ? (
          <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200" data-testid="zero-empty">
            {t("search.queries.zeroEmpty")}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-2xl bg-white ring-1 ring-stone-200">
            <table className="w-full text-left text-sm" data-testid="zero-queries">
              <thead className="bg-stone-50 text-stone-700">
                <tr>
                  <th scope="col" className={th}>
                    {t("search.queries.query")}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t("search.queries.searches")}
                  </th>
                  <th scope="col" className={th}>
                    {t("search.queries.lastSeen")}
                  </th>
                  <th scope="col" className={th}>
                    <span className="sr-only">{t("search.queries.addSynonym")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {zero.map((row) => (
                  <tr key={row.query} className="border-t border-stone-100">
                    <td className={`${td} font-medium break-all`}>{row.query}</td>
                    <td className={`${td} text-right tabular-nums`}>{row.zeroResults}</td>
                    <td className={`${td} whitespace-nowrap`}>{formatDateTime(row.lastSeenAt, lng)}</td>
                    <td className={td}>
                      <Link
                        to={synonymLink(row.query)}
                        className={link}
                        aria-label={t("search.queries.addSynonymFor", { query: row.query })}
                      >
                        {t("search.queries.addSynonym")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
