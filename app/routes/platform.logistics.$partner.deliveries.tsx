import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { DeliveriesPageView } from "~/components/logistics/deliveries-page";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePartnerOversightAsAdmin } from "~/modules/identity/partner-oversight.server";
import { deliveriesPageAction, loadDeliveriesPage } from "~/modules/logistics/push-deliveries.server";

// /platform/logistics/:partner/deliveries: the partner's push deliveries, for the platform admin.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { partner } = await requirePartnerOversightAsAdmin(request, params.partner);
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
  const { partner } = await requirePartnerOversightAsAdmin(request, params.partner);
  const { status, result } = await deliveriesPageAction(partner.id, formData);
  return data({ result }, { status, headers: { "Cache-Control": "no-store" } });
}

export default function PlatformPartnerDeliveries() {
  return <DeliveriesPageView back="/platform/logistics" />;
}
