import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { loadStaffMessages } from "~/lib/i18n-client";
import { requireCountyAccess } from "~/modules/identity/county-access.server";

// A county coordinator's pages (/county/:code/...): only that county's coordinator gets in.
// Each page below checks requireCountyAccess again in its own loader and action.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, county } = await requireCountyAccess(request, params.code);
  return { userName: user.name ?? user.phone ?? user.email ?? "", county };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export default function CountyLayout() {
  const { t, i18n } = useTranslation();
  const { userName, county } = useLoaderData<typeof loader>();
  const name = i18n.language === "en" ? county.nameEn : county.nameZh;
  return (
    <AdminLayout
      userName={userName}
      title={t("logisticsPartners.countyTitle", { county: name })}
      home={`/county/${county.code}`}
      nav={[
        { to: `/county/${county.code}`, label: t("dashboard.nav"), end: true },
        { to: `/county/${county.code}/reports`, label: t("reports.nav") },
        { to: `/county/${county.code}/statistics`, label: t("statistics.nav") },
        { to: `/county/${county.code}/logistics`, label: t("logisticsPartners.nav") },
      ]}
    >
      <Outlet />
    </AdminLayout>
  );
}
