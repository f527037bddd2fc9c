import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { ORDER_COLUMNS } from "./columns";
import { csvStream } from "./csv.server";
import { filtersForLog, parseReportFilters, type ReportFilters } from "./filters";
import { countyShop, orderReportRows, type ReportScope } from "./orders-report.cross-shop.server";
import { xlsxStream } from "./xlsx.server";

// The orders report as a file download (/county/:code/reports/orders.csv and .xlsx), streamed
// from the keyset reader; each export is written to the security log once the file is complete.

const text400 = (message: string) =>
  new Response(message, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

/** The filters and scope of a report request, or the Response to answer instead (400 or 404). */
export async function reportRequest(
  request: Request,
  county: CountyAccess["county"],
): Promise<{ ok: true; filters: ReportFilters; scope: ReportScope } | { ok: false; response: Response }> {
  const { t } = await getFixedT(request);
  const parsed = parseReportFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return { ok: false, response: text400(t(parsed.error)) };
  const scope: ReportScope = { countyId: county.id };
  if (parsed.filters.shop) {
    const shop = await countyShop(county.id, parsed.filters.shop);
    if (!shop) return { ok: false, response: new Response(null, { status: 404, statusText: "Not Found" }) };
    scope.shopId = shop.id;
  }
  return { ok: true, filters: parsed.filters, scope };
}

/**
 * What writes a county report file's `export` security event (who, from where, the county, the
 * report's own details and the number of rows), called once the last row is written.
 */
export function exportRecorder(request: Request, access: CountyAccess, detail: Record<string, unknown>) {
  const source = requestSource(request);
  return (rows: number) =>
    recordSecurityEvent({
      type: "export",
      userId: access.user.id,
      ...source,
      detail: { county: access.county.code, ...detail, rows },
    });
}

export async function ordersFileResponse(request: Request, access: CountyAccess, format: "csv" | "xlsx") {
  const prepared = await reportRequest(request, access.county);
  if (!prepared.ok) return prepared.response;
  const { filters, scope } = prepared;
  const { t, lng } = await getFixedT(request);
  const header = ORDER_COLUMNS.map((c) => t(`reports.columns.${c.key}`));
  const onDone = exportRecorder(request, access, {
    report: "orders",
    format,
    filters: filtersForLog(filters),
    includeContacts: filters.includeContacts,
  });
  const rows = orderReportRows(scope, filters);
  const filename = `orders-${access.county.code}-${filters.from}-${filters.to}.${format}`;
  const countyName = lng === "en" ? access.county.nameEn : access.county.nameZh;
  const body =
    format === "csv"
      ? csvStream({ header, columns: ORDER_COLUMNS, rows, lng, t, onDone })
      : xlsxStream({
          title: t("reports.fileTitle", {
            county: countyName,
            from: filters.from,
            to: filters.to,
            at: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " "),
          }),
          sheetName: t("reports.sheetName"),
          header,
          columns: ORDER_COLUMNS,
          rows,
          lng,
          t,
          onDone,
        });
  return new Response(body, {
    headers: {
      "Content-Type":
        format === "csv"
          ? "text/csv; charset=utf-8"
          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
