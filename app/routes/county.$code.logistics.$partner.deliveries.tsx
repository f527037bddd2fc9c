import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { DeliveriesPageView } from "~/components/logistics/deliveries-page";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePartnerOversightAsCoordinator } from "~/modules/identity/partner-oversight.server";
import { deliveriesPageAction, loadDeliveriesPage } from "~/modules/logistics/push-deliveries.server";

// /county/:code/logistics/:partner/deliveries: the push deliveries of one of the county's
// partners, for the county's coordinator.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { partner } = await requirePartnerOversightAsCoordinator(request, params.code, params.partner);
  const { t } = await getFixedT(request);
  const page = await loadDeliveriesPage(partner, new URL(request.url));
  return data(
    { ...page, title: t("logisticsPush.title", { partner: partner.nameZh }) },
    {
      headers: { "Cache-Control": "no-store" },
    },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { partner } = await requirePartnerOversightAsCoordinator(request, params.code, params.partner);
  const { status, result } = await deliveriesPageAction(partner.id, formData);
  return data({ result }, { status, headers: { "Cache-Control": "no-store" } });
}

export default function CountyPartnerDeliveries() {
  const { code } = useParams();
  return <DeliveriesPageView back={`/county/${code}/logistics`} />;
}
