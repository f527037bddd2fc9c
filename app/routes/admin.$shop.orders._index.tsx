import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OrderStatusBadge } from "~/components/orders/order-bits";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { ORDER_FILTERS, orderListParams } from "~/modules/orders/admin-forms";
import { orderListView } from "~/modules/orders/admin-orders.server";
import { SHIPMENT_FILTERS, shipmentFilterOf, STATUSES_OF_FILTER } from "~/modules/logistics/shipment-filters";

// /admin/:shop/orders: the cooperative's shop orders, newest first, with a status filter,
// a search by order number, buyer name or mobile, and pages. Every member may look.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "orders:view");
  const { t, lng } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const filters = orderListParams(search);
  const shipment = shipmentFilterOf(search.get("shipment"));
  const list = await orderListView(access.shop.id, {
    ...filters,
    ...(shipment ? { shipmentStatuses: STATUSES_OF_FILTER[shipment] } : {}),
  });
  return {
    title: `${t("orders.list.title")} · ${lng === "en" ? access.shop.nameEn : access.shop.nameZh}`,
    shopSlug: access.shop.slug,
    filters: { q: filters.q, status: filters.status ?? "", shipment: shipment ?? "" },
    list,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function listHref(filters: { q: string; status: string; shipment: string }, page: number) {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.status) params.set("status", filters.status);
  if (filters.shipment) params.set("shipment", filters.shipment);
  if (page > 1) params.set("page", String(page));
  return params.size ? `?${params}` : "?";
}

const control = "min-h-11 rounded-lg border border-stone-300 bg-white px-2 text-base";

export default function OrderList() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { shopSlug, filters, list } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.status || filters.shipment);
  const base = `/admin/${shopSlug}/orders`;

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">
        {t("orders.list.title")}{" "}
        <span className="text-base font-normal text-stone-600">{t("orders.list.count", { count: list.total })}</span>
      </h1>

      <Form
        method="get"
        role="search"
        className="flex flex-wrap items-end gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200"
      >
        <label className="flex min-w-0 flex-[2_1_12rem] flex-col gap-1 text-sm font-medium">
          {t("orders.list.search")}
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            maxLength={50}
            placeholder={t("orders.list.searchPlaceholder")}
            className={`${control} w-full px-3`}
          />
        </label>
        <label className="flex flex-[1_1_8rem] flex-col gap-1 text-sm font-medium">
          {t("orders.list.status")}
          <select name="status" defaultValue={filters.status} className={control}>
            <option value="">{t("orders.list.allStatuses")}</option>
            {ORDER_FILTERS.map((status) => (
              <option key={status} value={status}>
                {status === "NEW" ? t("orders.list.needsAction") : t(`orders.status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-[1_1_8rem] flex-col gap-1 text-sm font-medium">
          {t("packing.filter.label")}
          <select name="shipment" defaultValue={filters.shipment} className={control} data-testid="shipment-filter">
            <option value="">{t("packing.filter.all")}</option>
            {SHIPMENT_FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`packing.filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-center gap-3">
          <button type="submit" className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white">
            {t("orders.list.filter")}
          </button>
          {filtered ? (
            <Link to={base} className="text-sm text-leaf underline">
              {t("orders.list.clear")}
            </Link>
          ) : null}
        </div>
      </Form>

      {list.total === 0 ? (
        <div
          className="rounded-2xl bg-white p-6 ring-1 ring-stone-200"
          data-testid={filtered ? "no-matches" : "no-orders"}
        >
          <p className="font-medium">{t(filtered ? "orders.list.noMatchesTitle" : "orders.list.emptyTitle")}</p>
          <p className="mt-1 text-stone-600">{t(filtered ? "orders.list.noMatchesText" : "orders.list.emptyText")}</p>
        </div>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="order-list">
          {list.rows.map((row) => (
            <li key={row.number}>
              <Link
                to={`${base}/${row.number}`}
                className="flex flex-col gap-1 rounded-2xl bg-white p-3 ring-1 ring-stone-200 hover:ring-leaf"
              >
                <span className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-mono font-semibold">{row.number}</span>
                  <span className="flex flex-wrap items-center gap-1">
                    {row.shipmentStatus ? (
                      <span
                        className="rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-900 ring-1 ring-sky-200"
                        data-testid="row-shipment-status"
                      >
                        {t(`shipments.status.${row.shipmentStatus}`)}
                      </span>
                    ) : null}
                    <OrderStatusBadge status={row.status} />
                  </span>
                </span>
                <span className="flex flex-wrap justify-between gap-x-3 text-sm text-stone-700">
                  <span>
                    {row.buyerName} · {row.buyerPhone}
                  </span>
                  <span className="font-semibold text-stone-900">{formatFen(row.totalFen, lng)}</span>
                </span>
                <span className="text-xs text-stone-600">
                  {formatDateTime(row.createdAt, lng)} · {t(`orders.delivery.${row.delivery}`)} ·{" "}
                  {t(`orders.payment.${row.payment}`)} · {t("orders.list.lines", { count: row.lineCount })}
                  {row.refundedFen > 0
                    ? ` · ${t("orders.list.refunded", { amount: formatFen(row.refundedFen, lng) })}`
                    : ""}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {list.pageCount > 1 ? (
        <nav aria-label={t("orders.list.pagination")} className="flex items-center justify-between gap-2 text-sm">
          {list.page > 1 ? (
            <Link
              to={listHref(filters, list.page - 1)}
              rel="prev"
              className="inline-flex min-h-11 items-center rounded-full px-4 ring-1 ring-stone-300"
            >
              ← {t("orders.list.previous")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-stone-600">{t("orders.list.pageOf", { page: list.page, pages: list.pageCount })}</span>
          {list.page < list.pageCount ? (
            <Link
              to={listHref(filters, list.page + 1)}
              rel="next"
              className="inline-flex min-h-11 items-center rounded-full px-4 ring-1 ring-stone-300"
            >
              {t("orders.list.next")} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
