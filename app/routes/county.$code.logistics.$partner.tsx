import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { PartnerPageView } from "~/components/logistics/partner-page";
import { readForm } from "~/lib/request-bounds.server";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { loadPartnerPage, partnerPageAction } from "~/modules/logistics/partner-admin-pages.server";

// One partner of the coordinator's county; another county's partner is not found (404).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { county } = await requireCountyAccess(request, params.code);
  return loadPartnerPage({ countyId: county.id }, params.partner);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.partner.nameZh }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { user, county } = await requireCountyAccess(request, params.code);
  const { status, body } = await partnerPageAction({
    request,
    formData,
    scope: { countyId: county.id },
    userId: user.id,
    partnerId: params.partner,
  });
  return data(body, { status, headers: { "Cache-Control": "no-store" } });
}

export default function CountyPartner() {
  const { code } = useParams();
  return <PartnerPageView base={`/county/${code}/logistics`} />;
}
