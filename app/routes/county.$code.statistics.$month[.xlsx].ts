import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { statisticsXlsxResponse } from "~/modules/reports/monthly-statistics-page.server";

// /county/:code/statistics/:month.xlsx: the month's statistics as a workbook (summary and by
// township). The county's coordinator only; every download is written to the security log.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return statisticsXlsxResponse(request, access, params.month);
}
