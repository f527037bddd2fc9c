import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { PartnersPage } from "~/components/logistics/partners-page";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { loadPartnerList, partnerListAction } from "~/modules/logistics/partner-admin-pages.server";

// The coordinator's logistics partners of their county, and the county's shipments waiting for one.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  const { t } = await getFixedT(request);
  return { title: t("logisticsPartners.title"), ...(await loadPartnerList({ countyId: county.id }, county.code)) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { user, county } = await requireCountyAccess(request, params.code);
  const { status, body } = await partnerListAction({
    request,
    formData,
    scope: { countyId: county.id },
    userId: user.id,
    countyCode: county.code,
  });
  return data(body, { status, headers: { "Cache-Control": "no-store" } });
}

export default function CountyLogistics() {
  const { code } = useParams();
  return <PartnersPage base={`/county/${code}/logistics`} countyFilter={false} />;
}
