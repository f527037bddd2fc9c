import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { KindPicker } from "~/components/catalog/kind-picker";
import { Picture } from "~/components/picture";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { listAdminProducts } from "~/modules/catalog/admin-products.server";
import { isProductKind, isProductStatus, PRODUCT_KINDS, PRODUCT_STATUSES } from "~/modules/catalog/product-schema";
import { requireShopAccess } from "~/modules/identity/access.server";
import { can } from "~/modules/identity/permissions";
import { parseDecimal } from "~/lib/decimal";

// /admin/:shop/products: every member may look; adding needs catalog:edit.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const [kind, status] = [search.get("kind"), search.get("status")];
  const filters = {
    q: (search.get("q") ?? "").trim().slice(0, 100),
    kind: isProductKind(kind) ? kind : undefined,
    status: isProductStatus(status) ? status : undefined,
  };
  const list = await listAdminProducts({
    shopId: access.shop.id,
    lng,
    ...filters,
    page: parseDecimal(search.get("page")) || 1,
  });
  return {
    title: `${t("catalog.list.title")} · ${lng === "en" ? access.shop.nameEn : access.shop.nameZh}`,
    shopSlug: access.shop.slug,
    canEdit: can(access.role, "catalog:edit"),
    filters,
    list,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function listHref(filters: { q: string; kind?: string; status?: string }, page: number) {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.status) params.set("status", filters.status);
  if (page > 1) params.set("page", String(page));
  return params.size ? `?${params}` : "?";
}

const selectClass = "min-h-11 rounded-lg border border-stone-300 bg-white px-2 text-base";

export default function ProductList() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { shopSlug, canEdit, filters, list } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.q || filters.kind || filters.status);
  const base = `/admin/${shopSlug}/products`;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">
          {t("catalog.list.title")}{" "}
          <span className="text-base font-normal text-stone-600">{t("catalog.list.count", { count: list.total })}</span>
        </h1>
      </div>

      {canEdit && (filtered || list.total > 0) ? (
        <details className="group rounded-2xl">
          <summary className="inline-flex min-h-11 cursor-pointer list-none items-center rounded-full bg-leaf px-5 font-semibold text-white [&::-webkit-details-marker]:hidden">
            + {t("catalog.list.add")}
          </summary>
          <div className="mt-3">
            <p className="mb-2 text-sm text-stone-700">{t("catalog.kindPicker.prompt")}</p>
            <KindPicker shopSlug={shopSlug} />
          </div>
        </details>
      ) : null}

      {filtered || list.total > 0 ? (
        <Form
          method="get"
          className="flex flex-wrap items-end gap-2 rounded-2xl bg-white p-3 ring-1 ring-stone-200"
          role="search"
        >
          <label className="flex min-w-0 flex-[2_1_12rem] flex-col gap-1 text-sm font-medium">
            {t("catalog.list.search")}
            <input
              type="search"
              name="q"
              defaultValue={filters.q}
              placeholder={t("catalog.list.searchPlaceholder")}
              className="min-h-11 w-full rounded-lg border border-stone-300 px-3 text-base"
            />
          </label>
          <label className="flex flex-[1_1_7rem] flex-col gap-1 text-sm font-medium">
            {t("catalog.list.kind")}
            <select name="kind" defaultValue={filters.kind ?? ""} className={selectClass}>
              <option value="">{t("catalog.list.allKinds")}</option>
              {PRODUCT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-[1_1_7rem] flex-col gap-1 text-sm font-medium">
            {t("catalog.list.status")}
            <select name="status" defaultValue={filters.status ?? ""} className={selectClass}>
              <option value="">{t("catalog.list.allStatuses")}</option>
              {PRODUCT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`catalog.status.${status}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="flex items-center gap-3">
            <button type="submit" className="min-h-11 rounded-full bg-stone-800 px-5 font-semibold text-white">
              {t("catalog.list.filter")}
            </button>
            {filtered ? (
              <Link to={base} className="text-sm text-leaf underline">
                {t("catalog.list.clear")}
              </Link>
            ) : null}
          </div>
        </Form>
      ) : null}

      {list.total === 0 ? (
        filtered ? (
          <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="no-matches">
            <p className="font-medium">{t("catalog.list.noMatchesTitle")}</p>
            <p className="mt-1 text-stone-600">{t("catalog.list.noMatchesText")}</p>
          </div>
        ) : (
          <div className="rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="no-products">
            <p className="font-medium">{t("catalog.list.emptyTitle")}</p>
            <p className="mt-1 text-stone-600">
              {t(canEdit ? "catalog.list.emptyText" : "catalog.list.emptyTextReadOnly")}
            </p>
            {canEdit ? (
              <div className="mt-4">
                <KindPicker shopSlug={shopSlug} />
              </div>
            ) : null}
          </div>
        )
      ) : (
        <ul className="flex flex-col gap-2" data-testid="product-list">
          {list.items.map((item) => (
            <li key={item.id}>
              <Link
                to={`${base}/${item.id}`}
                className="flex items-center gap-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200 hover:ring-leaf"
              >
                {item.picture ? (
                  <Picture
                    picture={item.picture}
                    sizes="64px"
                    alt=""
                    className="size-16 shrink-0 rounded-xl object-cover"
                  />
                ) : (
                  <span
                    aria-hidden
                    className="grid size-16 shrink-0 place-items-center rounded-xl bg-stone-100 text-xs text-stone-500"
                  >
                    {t("catalog.list.noPhoto")}
                  </span>
                )}
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-semibold">{item.title}</span>
                  <span className="mt-1 flex flex-wrap gap-1 text-xs">
                    <span className="rounded bg-stone-100 px-1.5 py-0.5">{t(`kind.${item.kind}`)}</span>
                    <span
                      className={`rounded px-1.5 py-0.5 ${item.status === "ACTIVE" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}
                    >
                      {t(`catalog.status.${item.status}`)}
                    </span>
                    {item.featured ? (
                      <span className="rounded bg-sky-100 px-1.5 py-0.5 text-sky-900">
                        {t("catalog.list.featured")}
                      </span>
                    ) : null}
                    {item.presale ? (
                      <span className="rounded bg-violet-100 px-1.5 py-0.5 text-violet-900">
                        {t("catalog.list.presale")}
                      </span>
                    ) : null}
                  </span>
                  <span className="mt-1 block text-sm text-stone-600">
                    {t("catalog.list.variants", { count: item.variantCount })}
                    {item.minPriceFen !== null
                      ? ` · ${
                          item.pricesVary
                            ? t("catalog.list.fromPrice", { price: formatFen(item.minPriceFen, lng) })
                            : formatFen(item.minPriceFen, lng)
                        }`
                      : ""}
                    {" · "}
                    {t(item.kind === "EXPERIENCE" ? "catalog.list.placesLeft" : "catalog.list.stock", {
                      count: item.available,
                    })}
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {list.pages > 1 ? (
        <nav aria-label={t("catalog.list.pagination")} className="flex items-center justify-between gap-2 text-sm">
          {list.page > 1 ? (
            <Link
              to={listHref(filters, list.page - 1)}
              rel="prev"
              className="inline-flex min-h-11 items-center rounded-full px-4 ring-1 ring-stone-300"
            >
              ← {t("catalog.list.previous")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-stone-600">{t("catalog.list.pageOf", { page: list.page, pages: list.pages })}</span>
          {list.page < list.pages ? (
            <Link
              to={listHref(filters, list.page + 1)}
              rel="next"
              className="inline-flex min-h-11 items-center rounded-full px-4 ring-1 ring-stone-300"
            >
              {t("catalog.list.next")} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </div>
  );
}
