import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { loadStaffMessages } from "~/lib/i18n-client";
import { requirePartnerStaff } from "~/modules/logistics/partner-staff.server";

// The partner portal (issue #10): a logistics partner's staff on a phone. Signed out: to the
// sign-in page; signed in but on no partner's staff: 403. Each page checks again in its own
// loader and action, and reaches only its own partner's runs.
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, partners } = await requirePartnerStaff(request);
  return { userName: user.name ?? user.phone ?? user.email ?? "", partners: partners.map((p) => p.nameZh) };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export default function PortalLayout() {
  const { t } = useTranslation();
  const { userName, partners } = useLoaderData<typeof loader>();
  return (
    <AdminLayout
      userName={userName}
      home="/logistics"
      title={`${t("portal.title")} · ${partners.join("、")}`}
      nav={[{ to: "/logistics", label: t("portal.nav.runs") }]}
    >
      <Outlet />
    </AdminLayout>
  );
}
