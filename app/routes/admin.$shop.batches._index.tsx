import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { groupedCode } from "~/components/trace-label";
import { getFixedT } from "~/lib/i18n.server";
import { formatDate } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { can } from "~/modules/identity/permissions";
import { listBatches } from "~/modules/trace/batches.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  return {
    title: t("batches.title"),
    shopSlug: access.shop.slug,
    canEdit: can(access.role, "batches:edit"),
    batches: await listBatches({ shopId: access.shop.id, lng }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function BatchList() {
  const { t, i18n } = useTranslation();
  const { shopSlug, canEdit, batches } = useLoaderData<typeof loader>();
  const base = `/admin/${shopSlug}/batches`;
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t("batches.title")}</h1>
        {canEdit ? (
          <Link
            to={`${base}/new`}
            className="inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-semibold text-white"
          >
            {t("batches.new")}
          </Link>
        ) : null}
      </div>
      <p className="mt-2 max-w-2xl text-stone-700">{t("batches.intro")}</p>

      {batches.length === 0 ? (
        <div className="mt-6 rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="no-batches">
          <p className="font-medium">{t("batches.emptyTitle")}</p>
          <p className="mt-1 text-stone-600">{canEdit ? t("batches.emptyText") : t("batches.emptyReadOnly")}</p>
        </div>
      ) : (
        <>
          <p className="mt-4 text-sm text-stone-600">{t("batches.count", { count: batches.length })}</p>
          <ul className="mt-2 grid gap-3" data-testid="batches">
            {batches.map((batch) => (
              <li key={batch.id}>
                <Link
                  to={`${base}/${batch.id}`}
                  className="block rounded-2xl bg-white p-4 ring-1 ring-stone-200 hover:ring-leaf"
                >
                  <span className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="text-lg font-semibold">{batch.productName}</span>
                    <span className="font-mono text-sm text-stone-700" data-testid="trace-code">
                      <span className="sr-only">{t("batches.traceCode")} </span>
                      {groupedCode(batch.traceCode)}
                    </span>
                  </span>
                  <span className="mt-1 block text-sm text-stone-700">
                    {t("batches.harvested", { date: formatDate(batch.harvestDate, i18n.language) })} ·{" "}
                    {t("batches.quantityValue", {
                      quantity: batch.quantity.toLocaleString(i18n.language),
                      unit: batch.quantityUnit,
                    })}
                  </span>
                  <span className="mt-1 block text-sm text-stone-600">
                    {batch.products.length
                      ? t("batches.linkedList", { list: new Intl.ListFormat(i18n.language).format(batch.products) })
                      : t("batches.noLinkedProducts")}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
