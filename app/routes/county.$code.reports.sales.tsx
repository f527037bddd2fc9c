import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SalesReportPage } from "~/components/reports/sales-report-page";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadSalesReportPage } from "~/modules/reports/sales-page.server";

// /county/:code/reports/sales: the county's sales summary (grouped, 50 rows a page) on screen,
// filters by GET, with links to the same rows as CSV and XLSX. The county's coordinator only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return loadSalesReportPage(request, county);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountySalesReport() {
  return <SalesReportPage {...useLoaderData<typeof loader>()} />;
}
