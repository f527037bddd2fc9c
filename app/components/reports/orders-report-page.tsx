import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { ReportDownloads, ReportFilterForm, ReportPager, ReportTabs } from "./report-parts";

// The orders report page: the shared filter form, download links and pager (report-parts.tsx),
// and the rows as cards (readable at 360 px), 50 a page.

interface Row {
  lineId: string;
  orderNumber: string;
  shopOrderNumber: string;
  placedAt: string | Date;
  paidAt: string | Date | null;
  shopNameZh: string;
  shopNameEn: string;
  villageZh: string;
  villageEn: string;
  titleZh: string;
  titleEn: string | null;
  variantTitleZh: string;
  variantTitleEn: string | null;
  quantity: number;
  lineTotalFen: number;
  shippingFen: number;
  refundedFen: number;
  status: string;
  delivery: string;
  buyerName: string;
  buyerMobile: string;
}

export interface OrdersReportPageProps {
  countyCode: string;
  shops: { slug: string; name: string }[];
  form: { from: string; to: string; shop: string; kind: string; status: string; includeContacts: boolean };
  error: string | null;
  field: string | null;
  rows: Row[];
  next: string | null;
  after: string | null;
  query: string;
}

export function OrdersReportPage({ countyCode, shops, form, error, rows, next, after, query }: OrdersReportPageProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const en = lng === "en";
  const base = `/county/${countyCode}/reports`;
  return (
    <div className="flex flex-col gap-4">
      <ReportTabs countyCode={countyCode} />
      <h1 className="text-2xl font-bold">{t("reports.title")}</h1>
      <p className="text-stone-600">{t("reports.intro")}</p>
      <ReportFilterForm shops={shops} form={form} show={{ kind: true, status: true, includeContacts: true }} />
      <ReportDownloads href={(format) => `${base}/orders.${format}?${query}`} error={error} />
      {!error && rows.length === 0 ? (
        <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="report-empty">
          <p>{t("reports.empty")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="report-rows">
          {rows.map((r) => (
            <li key={r.lineId} className="flex flex-col gap-1 rounded-2xl bg-white p-3 ring-1 ring-stone-200">
              <span className="flex flex-wrap justify-between gap-2">
                <span className="font-mono font-semibold">{r.shopOrderNumber}</span>
                <span>{t(`orders.status.${r.status}`)}</span>
              </span>
              <span className="break-words">
                {en && r.titleEn ? r.titleEn : r.titleZh} ·{" "}
                {en && r.variantTitleEn ? r.variantTitleEn : r.variantTitleZh} × {r.quantity}
                <span className="ml-2 font-semibold">{formatFen(r.lineTotalFen, lng)}</span>
              </span>
              <span className="text-sm text-stone-600">
                {en ? r.shopNameEn : r.shopNameZh} · {en ? r.villageEn : r.villageZh} ·{" "}
                {formatDateTime(r.paidAt ?? r.placedAt, lng)} · {t(`orders.delivery.${r.delivery}`)}
                {r.shippingFen > 0 ? ` · ${t("reports.columns.shipping")} ${formatFen(r.shippingFen, lng)}` : ""}
                {r.refundedFen > 0 ? ` · ${t("reports.columns.refunded")} ${formatFen(r.refundedFen, lng)}` : ""}
              </span>
              <span className="text-sm text-stone-600">
                {r.buyerName} · {r.buyerMobile}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ReportPager
        first={after ? `${base}?${query}` : null}
        next={next ? `${base}?${query}&after=${encodeURIComponent(next)}` : null}
      />
    </div>
  );
}
