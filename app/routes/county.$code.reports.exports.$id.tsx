import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ReportExportsPage } from "~/components/reports/report-exports";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadExportsPage } from "~/modules/reports/report-exports-page.server";

// /county/:code/reports/exports/:id: one background export's progress, then its download link
// (7 days). While it runs the page refreshes itself every 2 s (no JavaScript needed).
// Another county's export is a 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireCountyAccess(request, params.code);
  return loadExportsPage(request, access, params.id ?? "");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  ...(data?.refresh ? [{ httpEquiv: "refresh", content: "2" }] : []),
];

export default function CountyReportExport() {
  return <ReportExportsPage {...useLoaderData<typeof loader>()} />;
}
