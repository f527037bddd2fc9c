import { Link, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** "购物车 (3)" for a header; the count comes from the root loader (see cartCount). */
export function CartLink({ className = "" }: { className?: string }) {
  const { t } = useTranslation();
  const root = useRouteLoaderData<{ cartCount?: number }>("root");
  const count = root?.cartCount ?? 0;
  return (
    <Link
      to="/cart"
      className={`inline-flex min-h-10 shrink-0 items-center whitespace-nowrap rounded-full px-3 text-sm font-medium ${className}`}
      aria-label={t("cart.linkLabel", { count })}
      data-testid="cart-link"
    >
      {t("cart.link", { count })}
    </Link>
  );
}
