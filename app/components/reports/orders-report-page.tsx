import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { SHOP_ORDER_STATUSES } from "~/modules/orders/status";
import { PRODUCT_KINDS } from "~/modules/reports/filters";

// The orders report page: a GET filter form (works without JavaScript), the download links with
// the same filters, and the rows as cards (readable at 360 px), 50 a page.

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

const control = "min-h-11 rounded-lg border border-stone-300 bg-white px-2 text-base";
const label = "flex flex-[1_1_9rem] flex-col gap-1 text-sm font-medium";

export function OrdersReportPage({ countyCode, shops, form, error, rows, next, after, query }: OrdersReportPageProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const en = lng === "en";
  const base = `/county/${countyCode}/reports`;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("reports.title")}</h1>
      <p className="text-stone-600">{t("reports.intro")}</p>
      <Form method="get" className="flex flex-wrap items-end gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200">
        <label className={label}>
          {t("reports.filters.from")}
          <input type="date" name="from" defaultValue={form.from} className={control} />
        </label>
        <label className={label}>
          {t("reports.filters.to")}
          <input type="date" name="to" defaultValue={form.to} className={control} />
        </label>
        <label className={label}>
          {t("reports.filters.shop")}
          <select name="shop" defaultValue={form.shop} className={control}>
            <option value="">{t("reports.filters.all")}</option>
            {shops.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t("reports.filters.kind")}
          <select name="kind" defaultValue={form.kind} className={control}>
            <option value="">{t("reports.filters.all")}</option>
            {PRODUCT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`reports.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          {t("reports.filters.status")}
          <select name="status" defaultValue={form.status} className={control}>
            <option value="">{t("reports.filters.all")}</option>
            {SHOP_ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orders.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-h-11 basis-full items-center gap-2 text-sm">
          <input type="checkbox" name="includeContacts" value="1" defaultChecked={form.includeContacts} />
          {t("reports.filters.includeContacts")}
        </label>
        <button type="submit" className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white">
          {t("reports.filters.apply")}
        </button>
      </Form>
      {error ? (
        <p role="alert" className="rounded-2xl bg-red-50 p-3 text-red-800 ring-1 ring-red-200">
          {t(error)}
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <a
            href={`${base}/orders.csv?${query}`}
            className="min-h-11 rounded-full px-4 py-2.5 ring-1 ring-stone-300"
            download
          >
            {t("reports.download.csv")}
          </a>
          <a
            href={`${base}/orders.xlsx?${query}`}
            className="min-h-11 rounded-full px-4 py-2.5 ring-1 ring-stone-300"
            download
          >
            {t("reports.download.xlsx")}
          </a>
          <span className="text-sm text-stone-600">{t("reports.download.note")}</span>
        </div>
      )}
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
      <nav className="flex flex-wrap gap-4">
        {after ? (
          <Link to={`${base}?${query}`} className="min-h-11 py-2.5 text-leaf underline">
            {t("reports.first")}
          </Link>
        ) : null}
        {next ? (
          <Link
            to={`${base}?${query}&after=${encodeURIComponent(next)}`}
            className="min-h-11 py-2.5 text-leaf underline"
          >
            {t("reports.next")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
