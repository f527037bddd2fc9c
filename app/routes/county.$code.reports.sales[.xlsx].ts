import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { reportFileResponse } from "~/modules/reports/report-download.server";

// /county/:code/reports/sales.xlsx: the county's sales report as a streamed download, same filters
// as the page. The county's coordinator only; a shop of another county is a 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return reportFileResponse(request, access, "sales", "xlsx");
}
