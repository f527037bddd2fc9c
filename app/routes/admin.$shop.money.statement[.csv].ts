import type { LoaderFunctionArgs } from "@remix-run/node";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { periodFromSearch } from "~/modules/ledger/period";
import { statement, statementCsv } from "~/modules/ledger/statement.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";

// /admin/:shop/money/statement.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (or ?month=YYYY-MM): the
// settlement statement of a period as a CSV download for Excel. The shop's owner only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:money");
  const { t, lng } = await getFixedT(request);
  const parsed = periodFromSearch(new URL(request.url).searchParams);
  if (!parsed.ok) {
    return new Response(t(parsed.error), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const s = await statement(access.shop.id, parsed.period);
  const csv = statementCsv(s, { shopName: pick(lng, access.shop.nameZh, access.shop.nameEn), t, lng });
  const filename = `statement-${access.shop.slug}-${s.from}-${s.to}.csv`;
  await recordSecurityEvent({
    type: "export",
    userId: access.user.id,
    shopId: access.shop.id,
    ...requestSource(request),
    detail: { report: "settlement-statement", from: s.from, to: s.to, format: "csv" },
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
