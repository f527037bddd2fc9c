import type { LoaderFunctionArgs } from "@remix-run/node";
import { getFixedT } from "~/lib/i18n.server";
import { manifestCsv } from "~/modules/logistics/manifest-csv.server";
import { requirePortalRun } from "~/modules/logistics/portal-access.server";

// /logistics/runs/:id.csv — the pickup run as a CSV for Excel (UTF-8 with a BOM), one row per
// shipment. The partner's staff only; another partner's run is 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { manifest } = await requirePortalRun(request, params.id);
  const { t } = await getFixedT(request);
  return new Response(manifestCsv(manifest, t), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="run-${manifest.runDate}-${manifest.id}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
