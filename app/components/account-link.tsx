import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * "我的" in a storefront header (issue #13): the same neutral link for everyone, so that a page
 * cached for anonymous visitors carries nothing about who looks (decision 019). The account
 * page asks a signed-out visitor to sign in and comes back.
 */
export function AccountLink({ className = "" }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to="/account"
      className={`inline-flex min-h-10 shrink-0 items-center whitespace-nowrap rounded-full px-3 text-sm font-medium ${className}`}
      aria-label={t("pages.header.accountLabel")}
      data-testid="account-link"
    >
      {t("pages.header.account")}
    </Link>
  );
}
