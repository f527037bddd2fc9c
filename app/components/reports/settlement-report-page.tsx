import { useTranslation } from "react-i18next";
import { pick } from "~/lib/i18n";
import { formatFen } from "~/lib/money";
import type { FilterFormValues } from "./report-parts";
import { pageLinks, reportBase, ReportDownloads, ReportFilterForm, ReportPager, ReportTabs } from "./report-parts";

// The settlement page: per shop of the county, the ledger's figures for the period. Balances
// are words with a positive amount (who owes whom); movements keep the ledger's sign.

interface Row {
  slug: string;
  nameZh: string;
  nameEn: string;
  villageZh: string;
  villageEn: string;
  salesFen: number;
  feeFen: number;
  refundsFen: number;
  offlineFen: number;
  codFen: number;
  payoutsFen: number;
  shopPaymentsFen: number;
  openingWords: string;
  closingWords: string;
}

export interface SettlementReportPageProps {
  countyCode: string;
  shops: { slug: string; name: string }[];
  form: FilterFormValues;
  error: string | null;
  rows: Row[];
  page: number;
  more: boolean;
  query: string;
}

const MOVEMENTS = [
  ["sales", "salesFen"],
  ["fee", "feeFen"],
  ["refunds", "refundsFen"],
  ["offline", "offlineFen"],
  ["cod", "codFen"],
  ["payouts", "payoutsFen"],
  ["shopPayments", "shopPaymentsFen"],
] as const;

export function SettlementReportPage({
  countyCode,
  shops,
  form,
  error,
  rows,
  page,
  more,
  query,
}: SettlementReportPageProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const path = `${reportBase(countyCode)}/settlement`;
  const links = pageLinks(path, query, page, more);
  return (
    <div className="flex flex-col gap-4">
      <ReportTabs countyCode={countyCode} />
      <h1 className="text-2xl font-bold">{t("salesReports.settlement.title")}</h1>
      <p className="text-stone-600">{t("salesReports.settlement.intro")}</p>
      <ReportFilterForm shops={shops} form={form} show={{}} />
      <ReportDownloads href={(format) => `${path}.${format}?${query}`} error={error} />
      {error ? null : rows.length === 0 ? (
        <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="report-empty">
          <p>{t("salesReports.settlement.empty")}</p>
        </div>
      ) : (
        <>
          <p className="text-sm text-stone-600">{t("salesReports.settlement.signNote")}</p>
          <ul className="flex flex-col gap-2" data-testid="report-rows">
            {rows.map((r) => (
              <li
                key={r.slug}
                className="flex flex-col gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200"
                data-shop={r.slug}
              >
                <span className="flex flex-wrap justify-between gap-2">
                  <span className="break-words font-semibold">{pick(lng, r.nameZh, r.nameEn)}</span>
                  <span className="text-sm text-stone-600">{pick(lng, r.villageZh, r.villageEn)}</span>
                </span>
                <span className="text-sm">
                  {t("salesReports.columns.openingWords")}: <span data-balance="opening">{r.openingWords}</span>
                </span>
                <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm sm:grid-cols-4">
                  {MOVEMENTS.map(([key, field]) => (
                    <div key={key} className="flex flex-col">
                      <dt className="text-stone-600">{t(`salesReports.columns.${key}`)}</dt>
                      <dd className="font-semibold">{formatFen(r[field], lng)}</dd>
                    </div>
                  ))}
                </dl>
                <span className="font-semibold">
                  {t("salesReports.columns.closingWords")}: <span data-balance="closing">{r.closingWords}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <ReportPager first={page > 2 ? `${path}?${query}` : null} previous={links.previous} next={links.next} />
    </div>
  );
}
