import { data } from "@remix-run/node";
import { env } from "~/env.server";
import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { countyExport, recentExports } from "./report-exports.server";

// The data of /county/:code/reports/exports (the coordinator's exports) and of one export's page
// (its progress, refreshed every 2 s while it runs, then its download link).

const noStore = { "Cache-Control": "private, no-store" };

export async function loadExportsPage(request: Request, access: CountyAccess, id: string | null, now = new Date()) {
  const { t } = await getFixedT(request);
  const current = id === null ? null : await countyExport(access, id, now);
  if (id !== null && !current) throw new Response(null, { status: 404, statusText: "Not Found" });
  const recent = await recentExports(access, now);
  return data(
    {
      title: current ? t("reportExports.title") : t("reportExports.listTitle"),
      countyCode: access.county.code,
      limit: env().EXPORT_BACKGROUND_ROWS,
      current,
      recent,
      refresh: current !== null && (current.status === "QUEUED" || current.status === "RUNNING"),
    },
    { headers: noStore },
  );
}
