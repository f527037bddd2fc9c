import { pick } from "~/lib/i18n";
import { orderReportCount } from "./orders-report.cross-shop.server";
import { reportScope } from "./report-export.server";
import { reportFileBody, titleStamp, type ExportableReport } from "./report-file.server";
import { REPORT_KINDS, REPORT_NAMES, type ReportName } from "./report-kinds";

// The county reports that have files, by the name used in their URLs (/county/:code/reports/<name>.csv),
// in the security log and on background exports: each is its REPORT_KINDS definition (filters,
// columns, rows) with a row count. Only the orders report (a row per order line) can grow past the
// background threshold; the sales and settlement reports are groups (shops × periods) and are
// always streamed at once.

function exportable(name: ReportName): ExportableReport {
  return {
    async prepare(search, county) {
      const parsed = REPORT_KINDS[name].parse(search);
      if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
      const { report } = parsed;
      const scope = await reportScope(county, report.filters.shop);
      if (!scope) return { ok: false, status: 404 };
      // The filters as the job will read them: the same query with the dates spelled out.
      const frozen = new URLSearchParams(search);
      frozen.set("from", report.filters.from);
      frozen.set("to", report.filters.to);
      return {
        ok: true,
        prepared: {
          search: frozen,
          includeContacts: report.includeContacts,
          logFilters: report.logFilters,
          count: name === "orders" ? (limit) => orderReportCount(scope, report.filters, limit) : async () => 0,
          file(format, options) {
            const { t, lng, now } = options;
            const body = reportFileBody(
              format,
              {
                title: report.title(t, { county: pick(lng, county.nameZh, county.nameEn), at: titleStamp(now) }),
                sheetName: report.sheetName(t),
                header: report.header(t),
                columns: report.columns,
                rows: report.rows(scope),
                databaseCsv: format === "csv" ? report.databaseCsv(scope, lng) : null,
                lng,
                t,
              },
              options,
            );
            const { from, to } = report.filters;
            return { filename: `${name}-${county.code}-${from}-${to}.${format}`, body };
          },
        },
      };
    },
  };
}

export const EXPORTABLE_REPORTS: Readonly<Record<ReportName, ExportableReport>> = Object.fromEntries(
  REPORT_NAMES.map((name) => [name, exportable(name)]),
) as Record<ReportName, ExportableReport>;

export function exportableReport(name: string): ExportableReport | null {
  return Object.hasOwn(EXPORTABLE_REPORTS, name) ? EXPORTABLE_REPORTS[name as ReportName] : null;
}
