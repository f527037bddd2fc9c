import { useTranslation } from "react-i18next";

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white/60">
      <p className="mx-auto max-w-6xl px-4 py-6 text-xs leading-relaxed text-stone-600">{t("app.footer")}</p>
    </footer>
  );
}
