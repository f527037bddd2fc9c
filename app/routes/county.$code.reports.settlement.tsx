import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SettlementReportPage } from "~/components/reports/settlement-report-page";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { loadSettlementReportPage } from "~/modules/reports/settlement-page.server";

// /county/:code/reports/settlement: the county's settlement per shop (the ledger's figures) on screen,
// filters by GET, with links to the same rows as CSV and XLSX. The county's coordinator only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return loadSettlementReportPage(request, county);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CountySettlementReport() {
  return <SettlementReportPage {...useLoaderData<typeof loader>()} />;
}
