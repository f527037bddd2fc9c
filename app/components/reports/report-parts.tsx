import { Form, Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SHOP_ORDER_STATUSES } from "~/modules/orders/status";
import { PRODUCT_KINDS } from "~/modules/reports/filters";
import { BUCKETS } from "~/modules/reports/range";
import { SALES_GROUPS } from "~/modules/reports/sales-filters";

// The pieces every county report page shares: the tabs between reports, the GET filter form
// (works without JavaScript), the download links with the same filters, the error and the pager.

export type ReportTab = "orders" | "sales" | "settlement" | "exports";

const control = "min-h-11 rounded-lg border border-stone-300 bg-white px-2 text-base";
const label = "flex flex-[1_1_9rem] flex-col gap-1 text-sm font-medium";
const pill = "min-h-11 rounded-full px-4 py-2.5 ring-1 ring-stone-300";

export function reportBase(countyCode: string) {
  return `/county/${countyCode}/reports`;
}

/** Orders · Sales · Settlement · Exports (the background files); the orders report stays at /reports. */
export function ReportTabs({ countyCode }: { countyCode: string }) {
  const { t } = useTranslation();
  const base = reportBase(countyCode);
  const tabs: { tab: ReportTab; to: string }[] = [
    { tab: "orders", to: base },
    { tab: "sales", to: `${base}/sales` },
    { tab: "settlement", to: `${base}/settlement` },
    { tab: "exports", to: `${base}/exports` },
  ];
  return (
    <nav aria-label={t("salesReports.tabs.label")} className="flex flex-wrap gap-2" data-testid="report-tabs">
      {tabs.map(({ tab, to }) => (
        <NavLink
          key={tab}
          to={to}
          end
          className={({ isActive }) =>
            `min-h-11 rounded-full px-4 py-2.5 font-semibold ${isActive ? "bg-stone-800 text-white" : "ring-1 ring-stone-300"}`
          }
        >
          {t(`salesReports.tabs.${tab}`)}
        </NavLink>
      ))}
    </nav>
  );
}

export interface FilterFormValues {
  from: string;
  to: string;
  shop: string;
  kind?: string;
  status?: string;
  by?: string;
  period?: string;
  includeContacts?: boolean;
}

/** The GET filter form; a field shows when `show` names it (dates and shop always do). */
export function ReportFilterForm({
  shops,
  form,
  show,
}: {
  shops: { slug: string; name: string }[];
  form: FilterFormValues;
  show: { kind?: boolean; status?: boolean; includeContacts?: boolean; by?: boolean; period?: boolean };
}) {
  const { t } = useTranslation();
  return (
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
      {show.kind ? (
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
      ) : null}
      {show.status ? (
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
      ) : null}
      {show.by ? (
        <label className={label}>
          {t("salesReports.filters.by")}
          <select name="by" defaultValue={form.by || "shop"} className={control}>
            {SALES_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`salesReports.by.${g}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {show.period ? (
        <label className={label}>
          {t("salesReports.filters.period")}
          <select name="period" defaultValue={form.period || "month"} className={control}>
            {BUCKETS.map((b) => (
              <option key={b} value={b}>
                {t(`salesReports.period.${b}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {show.includeContacts ? (
        <label className="flex min-h-11 basis-full items-center gap-2 text-sm">
          <input type="checkbox" name="includeContacts" value="1" defaultChecked={form.includeContacts} />
          {t("reports.filters.includeContacts")}
        </label>
      ) : null}
      <button type="submit" className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white">
        {t("reports.filters.apply")}
      </button>
    </Form>
  );
}

/** The translated error of a 400, or the links to the report's files with the same filters. */
export function ReportDownloads({ href, error }: { href: (format: "csv" | "xlsx") => string; error: string | null }) {
  const { t } = useTranslation();
  if (error)
    return (
      <p role="alert" className="rounded-2xl bg-red-50 p-3 text-red-800 ring-1 ring-red-200">
        {t(error)}
      </p>
    );
  return (
    <div className="flex flex-wrap items-center gap-3">
      {/* No `download` attribute: over the background threshold the answer is a 303 to a progress page. */}
      <a href={href("csv")} className={pill}>
        {t("reports.download.csv")}
      </a>
      <a href={href("xlsx")} className={pill}>
        {t("reports.download.xlsx")}
      </a>
      <span className="text-sm text-stone-600">{t("reports.download.note")}</span>
    </div>
  );
}

/** Links to the first, previous and next pages (whichever apply). */
export function ReportPager({
  first,
  previous,
  next,
}: {
  first?: string | null;
  previous?: string | null;
  next?: string | null;
}) {
  const { t } = useTranslation();
  const link = "min-h-11 py-2.5 text-leaf underline";
  return (
    <nav className="flex flex-wrap gap-4">
      {first ? (
        <Link to={first} className={link}>
          {t("reports.first")}
        </Link>
      ) : null}
      {previous ? (
        <Link to={previous} className={link}>
          {t("salesReports.pager.previous")}
        </Link>
      ) : null}
      {next ? (
        <Link to={next} className={link}>
          {t("reports.next")}
        </Link>
      ) : null}
    </nav>
  );
}

/** The pager's links for a 1-based ?page= over `query`. */
export function pageLinks(path: string, query: string, page: number, more: boolean) {
  const at = (p: number) => `${path}?${query}${p > 1 ? `&page=${p}` : ""}`;
  return { previous: page > 1 ? at(page - 1) : null, next: more ? at(page + 1) : null };
}
