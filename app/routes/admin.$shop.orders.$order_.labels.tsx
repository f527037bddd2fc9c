import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ParcelLabel } from "~/components/logistics/parcel-label";
import { PrintButton } from "~/components/trace-label";
import { getFixedT } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { parcelLabels } from "~/modules/logistics/shop-shipments.server";

// /admin/:shop/orders/:order/labels: one 100 × 150 mm label per parcel of a packed shop order,
// to print and reprint (issue #10). Any member who may see the order may print; another shop's
// order (or one not packed) is not found.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "orders:view");
  const { t, lng } = await getFixedT(request);
  const labels = await parcelLabels(access.shop.id, params.order ?? "", lng);
  if (!labels) throw new Response(null, { status: 404, statusText: "Not Found" });
  return {
    title: t("packing.labels.title", { number: params.order ?? "" }),
    shopSlug: access.shop.slug,
    number: params.order ?? "",
    labels,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function ParcelLabels() {
  const { t } = useTranslation();
  const { shopSlug, number, labels } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="no-print">
        <nav className="mb-2 text-sm">
          <Link to={`/admin/${shopSlug}/orders/${number}`} className="text-stone-600 underline underline-offset-4">
            ← {t("packing.labels.back")}
          </Link>
        </nav>
        <h1 className="text-2xl font-bold">{t("packing.labels.title", { number })}</h1>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <PrintButton />
        </div>
        <p className="mt-3 max-w-2xl text-sm text-stone-700">
          {t("packing.labels.hint")} {t("packing.labels.noJs")}
        </p>
      </div>
      <div className="parcel-print-area mt-4 flex flex-col items-center gap-4 overflow-x-auto pb-4 print:mt-0 print:block print:gap-0 print:p-0">
        {labels.map((label) => (
          <ParcelLabel key={label.index} label={label} />
        ))}
      </div>
    </>
  );
}
