import { data } from "@remix-run/node";
import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { reportScope } from "./report-export.server";
import { formOf, pageNumber, shopChoices } from "./report-page.server";
import { parseSalesFilters, salesFiltersToSearch } from "./sales-filters";
import { salesPage, salesTotals, type SalesRow, type SalesTotals } from "./sales.cross-shop.server";

// The data of /county/:code/reports/sales: the filter form, one page of 50 grouped rows, the
// totals over all of them, and the query string the file links and the pager reuse.

const noStore = { "Cache-Control": "private, no-store" };

export async function loadSalesReportPage(request: Request, county: CountyAccess["county"]) {
  const { t, lng } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const base = { title: t("salesReports.sales.title"), countyCode: county.code, shops: await shopChoices(county, lng) };
  const parsed = parseSalesFilters(search);
  const page = pageNumber(search);
  if (!parsed.ok || page === null) {
    const error = parsed.ok ? "salesReports.errors.pageInvalid" : parsed.error;
    return data(
      {
        ...base,
        form: formOf(search),
        error,
        period: "month",
        rows: [] as SalesRow[],
        totals: null as SalesTotals | null,
        page: 1,
        more: false,
        query: "",
      },
      { status: 400, headers: noStore },
    );
  }
  const f = parsed.filters;
  const scope = await reportScope(county, f.shop);
  if (!scope) throw new Response(null, { status: 404, statusText: "Not Found" });
  const [shown, totals] = await Promise.all([salesPage(scope, f, page), salesTotals(scope, f)]);
  return data(
    {
      ...base,
      form: formOf(search, { from: f.from, to: f.to, by: f.by, period: f.period }),
      error: null,
      period: f.period,
      rows: shown.rows,
      totals,
      page,
      more: shown.more,
      query: salesFiltersToSearch(f).toString(),
    },
    { headers: noStore },
  );
}
