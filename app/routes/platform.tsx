import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { loadStaffMessages } from "~/lib/i18n-client";

// The platform admin's area: reviewing shops, all shops, counties, payouts to cooperatives.
// Each page below checks requirePlatformAdmin again in its own loader and action.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePlatformAdmin(request);
  return { userName: user.name ?? user.phone ?? user.email ?? "" };
}

// In the browser, the staff's texts are fetched beside the data on the way in (app/lib/i18n-client.ts).
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export default function PlatformLayout() {
  const { t } = useTranslation();
  const { userName } = useLoaderData<typeof loader>();
  return (
    <AdminLayout
      userName={userName}
      title={t("platform.title")}
      nav={[
        { to: "/platform", label: t("platform.nav.review"), end: true },
        { to: "/platform/shops", label: t("platform.nav.shops") },
        { to: "/platform/reviews", label: t("reviews.platform.nav") },
        { to: "/platform/counties", label: t("platform.nav.counties") },
        { to: "/platform/payouts", label: t("money.platform.nav") },
        { to: "/platform/logistics", label: t("logisticsPartners.nav") },
        { to: "/platform/security", label: t("security.log.nav") },
        { to: "/platform/search", label: t("search.nav") },
      ]}
    >
      <Outlet />
    </AdminLayout>
  );
}
