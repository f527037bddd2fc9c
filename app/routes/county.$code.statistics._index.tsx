import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { statisticsRedirect } from "~/modules/reports/monthly-statistics-page.server";

// /county/:code/statistics[?month=YYYY-MM]: the month picker's GET target; sends on to the month's
// page (the last full month when none is asked for). A bad month is a translated 400.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return statisticsRedirect(request, county);
}
