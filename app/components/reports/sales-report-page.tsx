import { useTranslation } from "react-i18next";
import { pick } from "~/lib/i18n";
import { formatFen } from "~/lib/money";
import type { FilterFormValues } from "./report-parts";
import { pageLinks, reportBase, ReportDownloads, ReportFilterForm, ReportPager, ReportTabs } from "./report-parts";

// The sales summary page: the shared form with "group by" and "period", the totals over every
// row, and the rows (period, group) as cards readable at 360 px, 50 a page.

interface Figures {
  salesFen: number;
  quantity: number;
  orders: number;
  refundsFen: number;
  netFen: number;
}

interface Row extends Figures {
  bucket: string;
  key: string;
  labelZh: string;
  labelEn: string | null;
  parentZh: string | null;
  parentEn: string | null;
}

export interface SalesReportPageProps {
  countyCode: string;
  shops: { slug: string; name: string }[];
  form: FilterFormValues;
  error: string | null;
  period: string;
  rows: Row[];
  totals: Figures | null;
  page: number;
  more: boolean;
  query: string;
}

function FigureList({ f }: { f: Figures }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const items: [string, string][] = [
    ["sales", formatFen(f.salesFen, lng)],
    ["quantity", String(f.quantity)],
    ["orders", String(f.orders)],
    ["refunds", formatFen(f.refundsFen, lng)],
    ["net", formatFen(f.netFen, lng)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm sm:grid-cols-5">
      {items.map(([key, value]) => (
        <div key={key} className="flex flex-col">
          <dt className="text-stone-600">{t(`salesReports.columns.${key}`)}</dt>
          <dd className="font-semibold" data-figure={key}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function SalesReportPage({
  countyCode,
  shops,
  form,
  error,
  period,
  rows,
  totals,
  page,
  more,
  query,
}: SalesReportPageProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const path = `${reportBase(countyCode)}/sales`;
  const links = pageLinks(path, query, page, more);
  const groupLabel = (r: Row) => (form.by === "kind" ? t(`reports.kinds.${r.key}`) : pick(lng, r.labelZh, r.labelEn));
  return (
    <div className="flex flex-col gap-4">
      <ReportTabs countyCode={countyCode} />
      <h1 className="text-2xl font-bold">{t("salesReports.sales.title")}</h1>
      <p className="text-stone-600">{t("salesReports.sales.intro")}</p>
      <ReportFilterForm shops={shops} form={form} show={{ kind: true, status: true, by: true, period: true }} />
      <ReportDownloads href={(format) => `${path}.${format}?${query}`} error={error} />
      {error ? null : totals && totals.orders > 0 ? (
        <>
          <section className="flex flex-col gap-2 rounded-2xl bg-stone-100 p-3" data-testid="sales-totals">
            <h2 className="font-semibold">{t("salesReports.sales.totals")}</h2>
            <FigureList f={totals} />
          </section>
          <ul className="flex flex-col gap-2" data-testid="report-rows">
            {rows.map((r) => (
              <li
                key={`${r.bucket}|${r.key}`}
                className="flex flex-col gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200"
              >
                <span className="flex flex-wrap justify-between gap-2">
                  <span className="break-words font-semibold">
                    {groupLabel(r)}
                    {r.parentZh ? (
                      <span className="ml-2 text-sm font-normal text-stone-600">
                        {pick(lng, r.parentZh, r.parentEn)}
                      </span>
                    ) : null}
                  </span>
                  <span className="font-mono text-sm">{period === "month" ? r.bucket.slice(0, 7) : r.bucket}</span>
                </span>
                <FigureList f={r} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="report-empty">
          <p>{t("salesReports.sales.empty")}</p>
        </div>
      )}
      <ReportPager first={page > 2 ? `${path}?${query}` : null} previous={links.previous} next={links.next} />
    </div>
  );
}
