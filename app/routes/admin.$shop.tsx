import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { pick } from "~/lib/i18n";
import { getLanguage } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { ROLE_PERMISSIONS } from "~/modules/identity/permissions";
import type { loader as adminLoader } from "./admin";

// A shop's admin: every page below checks access again in its own loader and action.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const lng = await getLanguage(request);
  return {
    shop: { slug: access.shop.slug, name: pick(lng, access.shop.nameZh, access.shop.nameEn), status: access.shop.status },
    role: access.role,
    permissions: ROLE_PERMISSIONS[access.role],
  };
}

export default function ShopAdminLayout() {
  const { t } = useTranslation();
  const { shop } = useLoaderData<typeof loader>();
  const { user } = useRouteLoaderData<typeof adminLoader>("routes/admin")!;
  const base = `/admin/${shop.slug}`;
  return (
    <AdminLayout
      userName={user.name}
      title={shop.name}
      nav={[
        { to: base, label: t("admin.nav.overview"), end: true },
        { to: `${base}/products`, label: t("admin.nav.products") },
        { to: `${base}/batches`, label: t("admin.nav.batches") },
        { to: `${base}/settings`, label: t("admin.nav.settings") },
        { to: `${base}/branding`, label: t("admin.nav.branding") },
        { to: `${base}/members`, label: t("admin.nav.members") },
      ]}
    >
      <Outlet />
    </AdminLayout>
  );
}
