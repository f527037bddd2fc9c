import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { countyShop, type ReportScope } from "./orders-report.cross-shop.server";
import { REPORT_KINDS, type PreparedReport, type ReportName } from "./report-kinds";

// What the county reports' pages and files share: the scope of a request (the county, and the
// shop of its filter if it is the county's) and the `export` security event of a file.

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
