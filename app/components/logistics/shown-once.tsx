import { useTranslation } from "react-i18next";

/** A secret shown once: selectable in one click, with the hint to copy it now. */
export function ShownOnce({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-col gap-1">
      <span className="text-sm font-medium text-stone-800">{label}</span>
      {hint ? <span className="text-sm text-stone-700">{hint}</span> : null}
      <code
        className="block select-all break-all rounded-lg bg-stone-900 px-3 py-2 font-mono text-sm text-emerald-100"
        data-testid="shown-once"
        aria-label={`${label} (${t("logisticsPartners.created.text")})`}
      >
        {value}
      </code>
    </div>
  );
}
