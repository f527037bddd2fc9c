import type { TFunction } from "i18next";
import type { AdminNavItem } from "~/components/admin-layout";

/** The buyer's account sections (我的): orders and settings, saved addresses. */
export function accountNav(t: TFunction): AdminNavItem[] {
  return [
    { to: "/account", label: t("account.nav.overview"), end: true },
    { to: "/account/addresses", label: t("account.nav.addresses") },
  ];
}
