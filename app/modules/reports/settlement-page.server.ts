import { data } from "@remix-run/node";
import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { balanceText } from "~/modules/ledger/balance-words";
import { reportScope } from "./report-export.server";
import { parseSettlementFilters } from "./report-kinds";
import { formOf, pageNumber, shopChoices } from "./report-page.server";
import { settlementPage, type SettlementRow } from "./settlement.cross-shop.server";

// The data of /county/:code/reports/settlement: the form (from, to, shop) and one page of 50
// shops with their ledger figures; balances come with the words saying who owes whom.

const noStore = { "Cache-Control": "private, no-store" };

export async function loadSettlementReportPage(request: Request, county: CountyAccess["county"]) {
  const { t, lng } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const base = {
    title: t("salesReports.settlement.title"),
    countyCode: county.code,
    shops: await shopChoices(county, lng),
  };
  const parsed = parseSettlementFilters(search);
  const page = pageNumber(search);
  if (!parsed.ok || page === null) {
    const error = parsed.ok ? "salesReports.errors.pageInvalid" : parsed.error;
    return data(
      { ...base, form: formOf(search), error, rows: [], page: 1, more: false, query: "" },
      { status: 400, headers: noStore },
    );
  }
  const f = parsed.filters;
  const scope = await reportScope(county, f.shop);
  if (!scope) throw new Response(null, { status: 404, statusText: "Not Found" });
  const shown = await settlementPage(scope, f, page);
  const words = (fen: number) => balanceText(t, lng, fen);
  const query = new URLSearchParams({ from: f.from, to: f.to, ...(f.shop ? { shop: f.shop } : {}) });
  return data(
    {
      ...base,
      form: formOf(search, { from: f.from, to: f.to }),
      error: null,
      rows: shown.rows.map((r: SettlementRow) => ({
        ...r,
        openingWords: words(r.openingFen),
        closingWords: words(r.closingFen),
      })),
      page,
      more: shown.more,
      query: query.toString(),
    },
    { headers: noStore },
  );
}
