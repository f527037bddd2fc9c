import { ordersExport } from "./orders-export.server";
import type { ExportableReport } from "./report-file.server";

// The county reports that have files, by the name used in their URLs (/county/:code/reports/<name>.csv),
// in the security log and on background exports. The sales and settlement reports join here.
export const EXPORTABLE_REPORTS: Readonly<Record<string, ExportableReport>> = {
  orders: ordersExport,
};

export function exportableReport(name: string): ExportableReport | null {
  return Object.hasOwn(EXPORTABLE_REPORTS, name) ? EXPORTABLE_REPORTS[name]! : null;
}
