import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { StatisticsPage } from "~/components/county/statistics-page";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { statisticsRedirect } from "~/modules/reports/monthly-statistics-page.server";

// /county/:code/statistics[?month=YYYY-MM]: the month picker's GET target; sends on to the month's
// page (the last full month when none is asked for). A bad month is a translated 400 with the picker.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return statisticsRedirect(request, county);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountyStatisticsPicker() {
  return <StatisticsPage {...useLoaderData<typeof loader>()} />;
}
