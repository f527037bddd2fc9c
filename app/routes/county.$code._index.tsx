import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { CountyDashboard } from "~/components/county/dashboard-page";
import { getFixedT } from "~/lib/i18n.server";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { dashboardView } from "~/modules/reports/dashboard-page.server";
import { parseRange } from "~/modules/reports/range";

// The county coordinator's overview: sales of the county's shops for a range (?range= or
// ?from=&to=, Shanghai days) against the previous period; a bad range answers 400 with the form.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  const { t, lng } = await getFixedT(request);
  const countyName = lng === "en" ? county.nameEn : county.nameZh;
  const headers = { "Cache-Control": "private, no-store" };
  const parsed = parseRange(new URL(request.url).searchParams);
  if (!parsed.ok)
    return data(
      { title: t("dashboard.title"), countyName, error: t(parsed.error), view: null },
      { status: 400, headers },
    );
  const view = await dashboardView(county.id, parsed.range, lng, t);
  return data({ title: t("dashboard.title"), countyName, error: null, view }, { headers });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountyOverview() {
  const { code } = useParams();
  const { countyName, error, view } = useLoaderData<typeof loader>();
  return <CountyDashboard base={`/county/${code}`} countyName={countyName} error={error} view={view} />;
}
