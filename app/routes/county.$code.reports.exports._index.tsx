import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ReportExportsPage } from "~/components/reports/report-exports";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadExportsPage } from "~/modules/reports/report-exports-page.server";

// /county/:code/reports/exports: the coordinator's recent background exports and their links.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return loadExportsPage(request, access, null);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountyReportExports() {
  return <ReportExportsPage {...useLoaderData<typeof loader>()} />;
}
