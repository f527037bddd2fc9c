import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** A plain link (works without JavaScript) to the same page in the other language. */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const other = i18n.language === "en" ? "zh-CN" : "en";
  const params = new URLSearchParams(location.search);
  params.set("lng", other);
  return (
    <Link
      to={`${location.pathname}?${params}`}
      hrefLang={other}
      lang={other}
      reloadDocument
      className={`inline-flex min-h-10 items-center rounded-full border border-current/40 px-3 text-sm font-medium ${className}`}
      aria-label={`${t("app.language")}: ${t("app.switchTo")}`}
      data-testid="language-switch"
    >
      {t("app.switchTo")}
    </Link>
  );
}
