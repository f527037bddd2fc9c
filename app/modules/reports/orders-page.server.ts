import { data } from "@remix-run/node";
import { getFixedT } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import { filtersToSearch, parseReportFilters } from "./filters";
import { countyShop, countyShops, orderReportPage } from "./orders-report.cross-shop.server";

// The data of /county/:code/reports: the filter form's values and choices, one screen page of
// the orders report (50 rows, keyset by ?after=), and the query string the file links reuse.

export async function loadOrdersReportPage(request: Request, county: CountyAccess["county"]) {
  const { t, lng } = await getFixedT(request);
  const search = new URL(request.url).searchParams;
  const shops = (await countyShops(county.id)).map((s) => ({ slug: s.slug, name: lng === "en" ? s.nameEn : s.nameZh }));
  const base = { title: t("reports.title"), countyCode: county.code, shops };
  const parsed = parseReportFilters(search);
  if (!parsed.ok) {
    const form = {
      from: search.get("from") ?? "",
      to: search.get("to") ?? "",
      shop: "",
      kind: "",
      status: "",
      includeContacts: false,
    };
    return data(
      { ...base, form, error: parsed.error, field: parsed.field, rows: [], next: null, query: "", after: null },
      { status: 400, headers: { "Cache-Control": "private, no-store" } },
    );
  }
  const f = parsed.filters;
  let shopId: string | undefined;
  if (f.shop) {
    const shop = await countyShop(county.id, f.shop);
    if (!shop) throw new Response(null, { status: 404, statusText: "Not Found" });
    shopId = shop.id;
  }
  const after = search.get("after");
  // The screen always masks mobiles; the checkbox only applies to the files.
  const page = await orderReportPage({ countyId: county.id, shopId }, { ...f, includeContacts: false }, after);
  return data(
    {
      ...base,
      form: {
        from: f.from,
        to: f.to,
        shop: f.shop ?? "",
        kind: f.kind ?? "",
        status: f.status ?? "",
        includeContacts: f.includeContacts,
      },
      error: null,
      field: null,
      rows: page.rows,
      next: page.next,
      query: filtersToSearch(f).toString(),
      after,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
