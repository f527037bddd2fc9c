import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { PartnersPage } from "~/components/logistics/partners-page";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { loadPartnerList, partnerListAction } from "~/modules/logistics/partner-admin-pages.server";

// The platform admin's logistics partners of every county (?county=<code> filters), and the
// shipments waiting for a partner.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t } = await getFixedT(request);
  const county = new URL(request.url).searchParams.get("county");
  return { title: t("logisticsPartners.title"), ...(await loadPartnerList({ countyId: null }, county)) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requirePlatformAdmin(request);
  const { status, body } = await partnerListAction({ request, formData, scope: { countyId: null }, userId: user.id });
  return data(body, { status, headers: { "Cache-Control": "no-store" } });
}

export default function PlatformLogistics() {
  return <PartnersPage base="/platform/logistics" countyFilter />;
}
