import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { StatisticsPage } from "~/components/county/statistics-page";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadStatisticsPage } from "~/modules/reports/monthly-statistics-page.server";

// /county/:code/statistics/:month (YYYY-MM, Shanghai calendar month): the county's monthly rural
// e-commerce statistics, a printable A4 page; a bad month answers 400 with the month picker.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return loadStatisticsPage(request, county, params.month);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountyStatistics() {
  return <StatisticsPage {...useLoaderData<typeof loader>()} />;
}
