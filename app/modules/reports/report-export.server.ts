import type { CountyAccess } from "~/modules/identity/county-access.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { countyShop, type ReportScope } from "./orders-report.cross-shop.server";

// What the county reports' pages and files share: the scope of a request (the county, and the
// shop of its filter if it is the county's) and the `export` security event of a file.

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
