import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { ordersFileResponse } from "~/modules/reports/orders-export.server";

// /county/:code/reports/orders.csv?from&to&shop&kind&status&includeContacts: the county's orders
// report as a streamed download. The county's coordinator only; a shop of another county is a 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return ordersFileResponse(request, access, "csv");
}
