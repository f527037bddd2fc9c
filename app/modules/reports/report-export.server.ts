import { getFixedT } from "~/lib/i18n.server";
import { pick } from "~/lib/i18n";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { csvStream } from "./csv.server";
import { countyShop, type ReportScope } from "./orders-report.cross-shop.server";
import { REPORT_KINDS, type PreparedReport, type ReportName } from "./report-kinds";
import { xlsxStream } from "./xlsx.server";

// Any county report as a file download (/county/:code/reports/<name>.csv and .xlsx), streamed
// from its rows; each export is written to the security log once the file is complete.

const text400 = (message: string) =>
  new Response(message, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

const notFound = () => new Response(null, { status: 404, statusText: "Not Found" });

/** The report's scope: the county, and the shop of the `shop` filter if it is one of the county's (else null). */
export async function reportScope(
  county: CountyAccess["county"],
  shopSlug: string | undefined,
): Promise<ReportScope | null> {
  const scope: ReportScope = { countyId: county.id };
  if (shopSlug) {
    const shop = await countyShop(county.id, shopSlug);
    if (!shop) return null;
    scope.shopId = shop.id;
  }
  return scope;
}

/** The parsed report and its scope, or the Response to answer instead (a translated 400, or 404). */
export async function preparedReportRequest(
  request: Request,
  county: CountyAccess["county"],
  name: ReportName,
): Promise<{ ok: true; report: PreparedReport; scope: ReportScope } | { ok: false; response: Response }> {
  const { t } = await getFixedT(request);
  const parsed = REPORT_KINDS[name].parse(new URL(request.url).searchParams);
  if (!parsed.ok) return { ok: false, response: text400(t(parsed.error)) };
  const scope = await reportScope(county, parsed.report.filters.shop);
  if (!scope) return { ok: false, response: notFound() };
  return { ok: true, report: parsed.report, scope };
}

/** Shanghai wall-clock time of the export, "YYYY-MM-DD HH:mm", for the file's title row. */
const exportedAt = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");

/**
 * What writes a county file's `export` security event (who, from where, the county, the report's
 * own details and the number of rows), called once the last row is written.
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

export async function reportFileResponse(
  request: Request,
  access: CountyAccess,
  name: ReportName,
  format: "csv" | "xlsx",
) {
  const prepared = await preparedReportRequest(request, access.county, name);
  if (!prepared.ok) return prepared.response;
  const { report, scope } = prepared;
  const { t, lng } = await getFixedT(request);
  const onDone = exportRecorder(request, access, {
    report: name,
    format,
    filters: report.logFilters,
    includeContacts: report.includeContacts,
  });
  const input = { header: report.header(t), columns: report.columns, rows: report.rows(scope), lng, t, onDone };
  const { from, to } = report.filters;
  const filename = `${name}-${access.county.code}-${from}-${to}.${format}`;
  const county = pick(lng, access.county.nameZh, access.county.nameEn);
  const body =
    format === "csv"
      ? csvStream(input)
      : xlsxStream({ ...input, title: report.title(t, { county, at: exportedAt() }), sheetName: report.sheetName(t) });
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
