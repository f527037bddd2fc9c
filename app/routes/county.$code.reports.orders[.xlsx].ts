import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { reportFileResponse } from "~/modules/reports/report-download.server";

// /county/:code/reports/orders.xlsx?from&to&shop&kind&status&includeContacts: the county's orders
// report as a streamed download, or (over EXPORT_BACKGROUND_ROWS rows) a 303 to a background
// export. The county's coordinator only; a shop of another county is a 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return reportFileResponse(request, access, "orders", "xlsx");
}
