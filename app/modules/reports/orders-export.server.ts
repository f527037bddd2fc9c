import type { CountyAccess } from "~/modules/identity/county-access.server";
import { reportFileResponse } from "./report-export.server";

// The orders report as a file download (/county/:code/reports/orders.csv and .xlsx): the
// general report download (report-export.server.ts) for the "orders" report.
export function ordersFileResponse(request: Request, access: CountyAccess, format: "csv" | "xlsx") {
  return reportFileResponse(request, access, "orders", format);
}
