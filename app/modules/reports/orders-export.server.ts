import { ORDER_COLUMNS } from "./columns";
import { filtersForLog, filtersToSearch, parseReportFilters } from "./filters";
import { countyShop, orderReportCount, orderReportRows, type ReportScope } from "./orders-report.cross-shop.server";
import { reportFileBody, titleStamp, type ExportableReport } from "./report-file.server";

// The orders report's files (/county/:code/reports/orders.csv and .xlsx, and background exports):
// its filters from the query string, its row count, and its rows with columns, header and title.

export const ordersExport: ExportableReport = {
  async prepare(search, county) {
    const parsed = parseReportFilters(search);
    if (!parsed.ok) return { ok: false, status: 400, error: parsed.error };
    const filters = parsed.filters;
    const scope: ReportScope = { countyId: county.id };
    if (filters.shop) {
      const shop = await countyShop(county.id, filters.shop);
      if (!shop) return { ok: false, status: 404 };
      scope.shopId = shop.id;
    }
    return {
      ok: true,
      prepared: {
        search: filtersToSearch(filters),
        includeContacts: filters.includeContacts,
        logFilters: filtersForLog(filters),
        count: () => orderReportCount(scope, filters),
        file(format, options) {
          const { t, lng, now } = options;
          const body = reportFileBody(
            format,
            {
              title: t("reports.fileTitle", {
                county: lng === "en" ? county.nameEn : county.nameZh,
                from: filters.from,
                to: filters.to,
                at: titleStamp(now),
              }),
              sheetName: t("reports.sheetName"),
              header: ORDER_COLUMNS.map((c) => t(`reports.columns.${c.key}`)),
              columns: ORDER_COLUMNS,
              rows: orderReportRows(scope, filters),
              lng,
            },
            options,
          );
          return { filename: `orders-${county.code}-${filters.from}-${filters.to}.${format}`, body };
        },
      },
    };
  },
};
