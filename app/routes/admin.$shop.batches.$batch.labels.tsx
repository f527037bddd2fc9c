import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { groupedCode, LargeTraceLabel, PrintButton, SmallTraceLabel } from "~/components/trace-label";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { platformOrigin } from "~/lib/origins.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { getBatchLabel } from "~/modules/trace/batches.server";
import { qrSvg } from "~/modules/trace/qr.server";
import { tracePageUrl } from "~/modules/trace/trace-code";

const LABELS_PER_SHEET = 24;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const batch = await getBatchLabel({ shopId: access.shop.id, batchId: params.batch ?? "", lng });
  if (!batch) throw new Response(null, { status: 404, statusText: "Not Found" });
  const url = new URL(request.url);
  const traceUrl = tracePageUrl(platformOrigin(), batch.traceCode);
  return {
    title: t("batches.labelsTitle", { code: batch.traceCode }),
    shopSlug: access.shop.slug,
    batchId: batch.id,
    single: url.searchParams.get("single") === "1",
    label: {
      traceCode: batch.traceCode,
      productName: batch.productName,
      harvestDate: batch.harvestDate,
      producer: batch.producer,
      contactPhone: batch.contactPhone,
      origin: batch.origin,
      cooperative: pick(lng, access.shop.nameZh, access.shop.nameEn),
      url: traceUrl,
      qrSvg: await qrSvg(traceUrl),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function BatchLabels() {
  const { t } = useTranslation();
  const { shopSlug, batchId, single, label } = useLoaderData<typeof loader>();
  const base = `/admin/${shopSlug}/batches/${batchId}`;
  const tab = (active: boolean) =>
    `inline-flex min-h-11 items-center rounded-full px-4 text-sm font-medium ${active ? "bg-leaf text-white" : "border border-leaf text-leaf"}`;
  return (
    <>
      <div className="no-print">
        <nav className="mb-2 text-sm">
          <Link to={base} className="text-stone-600 underline underline-offset-4">
            {t("batches.backToBatch")}
          </Link>
        </nav>
        <h1 className="text-2xl font-bold">{t("batches.labelsTitle", { code: groupedCode(label.traceCode) })}</h1>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Link to={`${base}/labels`} className={tab(!single)} aria-current={single ? undefined : "page"}>
            {t("batches.sheetView")}
          </Link>
          <Link to={`${base}/labels?single=1`} className={tab(single)} aria-current={single ? "page" : undefined}>
            {t("batches.singleView")}
          </Link>
          <PrintButton />
        </div>
        <p className="mt-3 max-w-2xl text-sm text-stone-700">
          {single ? t("batches.printHintSingle") : t("batches.printHintSheet")} {t("batches.printNoJs")}
        </p>
      </div>

      <div className="print-area mt-4 overflow-x-auto pb-4 print:mt-0">
        {single ? (
          <div className="mx-auto w-max print:pt-[20mm]" data-testid="label-single">
            <LargeTraceLabel label={label} />
          </div>
        ) : (
          <div
            className="mx-auto grid w-[210mm] grid-cols-[repeat(3,63.5mm)] content-start gap-x-[2.5mm] bg-white px-[7.25mm] pb-[5mm] pt-[12.9mm] print:pb-0 shadow print:shadow-none"
            data-testid="label-sheet"
          >
            {Array.from({ length: LABELS_PER_SHEET }, (_, i) => (
              <SmallTraceLabel key={i} label={label} />
            ))}
          </div>
        )}
      </div>
    </>
  );
}
