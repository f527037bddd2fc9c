import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OrdersReportPage } from "~/components/reports/orders-report-page";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadOrdersReportPage } from "~/modules/reports/orders-page.server";

// /county/:code/reports: the county's orders report on screen (filters by GET, 50 rows a page)
// with links to the same rows as CSV and XLSX. The county's coordinator only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return loadOrdersReportPage(request, county);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountyReports() {
  return <OrdersReportPage {...useLoaderData<typeof loader>()} />;
}
