import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { PartnerPageView } from "~/components/logistics/partner-page";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { loadPartnerPage, partnerPageAction } from "~/modules/logistics/partner-admin-pages.server";

// One partner of any county, for the platform admin: keys, signing secret, push endpoint, details.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  return loadPartnerPage({ countyId: null }, params.partner);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.partner.nameZh }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requirePlatformAdmin(request);
  const { status, body } = await partnerPageAction({
    request,
    formData,
    scope: { countyId: null },
    userId: user.id,
    partnerId: params.partner,
  });
  return data(body, { status, headers: { "Cache-Control": "no-store" } });
}

export default function PlatformPartner() {
  return <PartnerPageView base="/platform/logistics" />;
}
