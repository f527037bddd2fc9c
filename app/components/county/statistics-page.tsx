import { Form, Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { PrintButton } from "~/components/trace-label";
import { formatFen } from "~/lib/money";
import type { ColumnType, ReportColumn } from "~/modules/reports/columns";
import type { MonthlyStatistics } from "~/modules/reports/monthly-statistics";
import { SUMMARY_COLUMNS, summaryRows, TOWN_COLUMNS, TOWN_PAGE_KEYS } from "~/modules/reports/statistics-columns";

// The county's monthly statistics (/county/:code/statistics/:month): the month picker and
// prev/next links (not printed), then the A4 sheet: title, generation time, the county's summary
// against the month before and the same month last year, the figures by township, definitions.
// Printing hides the app's frame (tailwind.css, .statistics-sheet).

interface Props {
  countyCode: string;
  title: string;
  generatedAt: string;
  lastFull: string;
  error: string | null;
  month: string | null;
  stats: MonthlyStatistics | null;
  nav: { previous: string; next: string; future: boolean } | null;
}

const th = "border border-stone-300 px-1.5 py-1 text-left font-medium print:border-stone-500";
const td = "border border-stone-300 px-1.5 py-1 print:border-stone-500";
const num = `${td} text-right tabular-nums whitespace-nowrap`;

function Cell<Row>({ column, row, t, lng }: { column: ReportColumn<Row>; row: Row; t: TFunction; lng: string }) {
  const type: ColumnType = column.typeOf?.(row) ?? column.type;
  const v = column.value(row, lng, t);
  if (type === "text") return <td className={`${td} whitespace-nowrap`}>{String(v ?? "")}</td>;
  let shown: string;
  if (type === "percent") shown = typeof v === "number" ? `${v > 0 ? "+" : ""}${v.toFixed(1)}%` : "—";
  else if (type === "money") shown = formatFen(Number(v ?? 0), lng);
  else shown = Number(v ?? 0).toLocaleString(lng === "en" ? "en-US" : "zh-CN");
  return (
    <td className={num} data-col={column.key}>
      {shown}
    </td>
  );
}

export function StatisticsPage({ countyCode, title, generatedAt, lastFull, error, month, stats, nav }: Props) {
  const { t: tr, i18n } = useTranslation();
  const t = tr as unknown as TFunction;
  const lng = i18n.language;
  const base = `/county/${countyCode}/statistics`;
  const townColumns = TOWN_COLUMNS.filter((c) => TOWN_PAGE_KEYS.has(c.key));
  return (
    <div className="mx-auto max-w-5xl space-y-4 p-4 print:max-w-none print:p-0">
      <div className="no-print space-y-2">
        <Form method="get" action={base} className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-sm">
            {t("statistics.month")}
            <input
              type="month"
              name="month"
              defaultValue={month ?? lastFull}
              pattern="\d{4}-\d{2}"
              placeholder="2026-11"
              required
              className="rounded border px-2 py-1"
            />
          </label>
          <button type="submit" className="min-h-10 rounded bg-leaf px-3 py-1 text-white">
            {t("statistics.show")}
          </button>
        </Form>
        {nav && month ? (
          <nav aria-label={t("statistics.monthNav")} className="flex flex-wrap items-center gap-2 text-sm">
            <Link to={`${base}/${nav.previous}`} className="rounded border border-stone-300 bg-white px-3 py-1">
              ← {t("statistics.previousMonth")}
            </Link>
            <Link to={`${base}/${nav.next}`} className="rounded border border-stone-300 bg-white px-3 py-1">
              {t("statistics.nextMonth")} →
            </Link>
            <a
              href={`${base}/${month}.xlsx`}
              download
              className="rounded border border-leaf bg-white px-3 py-1 text-leaf"
              data-testid="statistics-xlsx"
            >
              {t("statistics.downloadXlsx")}
            </a>
            <PrintButton />
          </nav>
        ) : null}
      </div>

      {error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {error}
        </p>
      ) : null}

      {stats && month ? (
        <article className="print-area statistics-sheet space-y-3 bg-white p-3 text-sm text-black print:text-[9pt]">
          {/* Not a <header>: printing hides the app frame's headers. */}
          <div className="text-center">
            <h1 className="text-lg font-bold print:text-[14pt]">{title}</h1>
            <p className="text-stone-600 print:text-black">
              {t("statistics.generatedAt", { at: generatedAt })}
              {" · "}
              {t("statistics.comparedWith", { previous: stats.months.previous, lastYear: stats.months.lastYear })}
            </p>
            {nav?.future ? <p className="text-amber-800">{t("statistics.notEnded")}</p> : null}
          </div>

          <section aria-labelledby="stat-summary">
            <h2 id="stat-summary" className="mb-1 font-bold">
              {t("statistics.summaryHeading")}
            </h2>
            <div className="overflow-x-auto print:overflow-visible">
              <table className="w-full border-collapse" data-testid="statistics-summary">
                <thead>
                  <tr className="bg-stone-100">
                    {SUMMARY_COLUMNS.map((c) => (
                      <th key={c.key} scope="col" className={th}>
                        {t(`statistics.columns.${c.key}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {summaryRows(stats).map((row) => (
                    <tr key={row.figure} data-figure={row.figure}>
                      {SUMMARY_COLUMNS.map((c) => (
                        <Cell key={c.key} column={c} row={row} t={t} lng={lng} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="stat-towns" className="break-inside-avoid-page">
            <h2 id="stat-towns" className="mb-1 font-bold">
              {t("statistics.townsHeading")}
            </h2>
            {stats.towns.length === 0 ? (
              <p>{t("statistics.noTowns")}</p>
            ) : (
              <div className="overflow-x-auto print:overflow-visible">
                <table className="w-full border-collapse" data-testid="statistics-towns">
                  <thead>
                    <tr className="bg-stone-100">
                      {townColumns.map((c) => (
                        <th key={c.key} scope="col" className={th}>
                          {t(`statistics.columns.${c.key}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {stats.towns.map((row) => (
                      <tr key={row.townZh ?? ""}>
                        {townColumns.map((c) => (
                          <Cell key={c.key} column={c} row={row} t={t} lng={lng} />
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section aria-labelledby="stat-notes" className="break-inside-avoid-page text-xs print:text-[8pt]">
            <h2 id="stat-notes" className="font-bold">
              {t("statistics.notes.heading")}
            </h2>
            <ol className="list-decimal space-y-0.5 pl-5">
              {(["sales", "kinds", "refunds", "orders", "parcels", "shops", "change", "time"] as const).map((k) => (
                <li key={k}>{t(`statistics.notes.${k}`)}</li>
              ))}
            </ol>
          </section>
        </article>
      ) : null}
    </div>
  );
}
