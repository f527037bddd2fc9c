import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLanguage } from "~/lib/i18n.server";
import { platformOrigin } from "~/lib/origins.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { getBatchLabel } from "~/modules/trace/batches.server";
import { qrSvg } from "~/modules/trace/qr.server";
import { tracePageUrl } from "~/modules/trace/trace-code";

// The batch's QR code alone, as an SVG download for packaging designers and printers.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const batch = await getBatchLabel({
    shopId: access.shop.id,
    batchId: params.batch ?? "",
    lng: await getLanguage(request),
  });
  if (!batch) throw new Response(null, { status: 404, statusText: "Not Found" });
  const svg = await qrSvg(tracePageUrl(platformOrigin(), batch.traceCode));
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="trace-${batch.traceCode}.svg"`,
      "Cache-Control": "private, no-cache",
    },
  });
}
