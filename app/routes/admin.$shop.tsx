import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { pick } from "~/lib/i18n";
import { getLanguage } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { can, ROLE_PERMISSIONS } from "~/modules/identity/permissions";
import { newOrderCount } from "~/modules/orders/shop-orders.server";
import type { loader as adminLoader } from "./admin";

// A shop's admin: every page below checks access again in its own loader and action.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const lng = await getLanguage(request);
  const canSeeOrders = can(access.role, "orders:view");
  return {
    shop: {
      slug: access.shop.slug,
      name: pick(lng, access.shop.nameZh, access.shop.nameEn),
      status: access.shop.status,
    },
    role: access.role,
    permissions: ROLE_PERMISSIONS[access.role],
    /** Orders waiting for the cooperative (paid, or offline and unconfirmed): the header's count. */
    newOrders: canSeeOrders ? await newOrderCount(access.shop.id) : null,
    canSeeMoney: can(access.role, "shop:money"),
  };
}

export default function ShopAdminLayout() {
  const { t } = useTranslation();
  const { shop, newOrders, canSeeMoney } = useLoaderData<typeof loader>();
  const { user } = useRouteLoaderData<typeof adminLoader>("routes/admin")!;
  const base = `/admin/${shop.slug}`;
  return (
    <AdminLayout
      userName={user.name}
      title={shop.name}
      nav={[
        { to: base, label: t("admin.nav.overview"), end: true },
        ...(newOrders !== null
          ? [
              {
                to: `${base}/orders`,
                label: t("orders.nav"),
                badge: { count: newOrders, label: t("orders.navNew", { count: newOrders }) },
              },
            ]
          : []),
        { to: `${base}/products`, label: t("admin.nav.products") },
        { to: `${base}/batches`, label: t("admin.nav.batches") },
        { to: `${base}/reviews`, label: t("reviews.admin.nav") },
        { to: `${base}/settings`, label: t("admin.nav.settings") },
        { to: `${base}/branding`, label: t("admin.nav.branding") },
        ...(canSeeMoney ? [{ to: `${base}/money`, label: t("money.nav") }] : []),
        { to: `${base}/members`, label: t("admin.nav.members") },
      ]}
    >
      <Outlet />
    </AdminLayout>
  );
}
