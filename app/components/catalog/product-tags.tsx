import { useTranslation } from "react-i18next";
import type { ProductTag } from "~/modules/catalog/types";

const STYLE: Record<ProductTag, string> = {
  freeShipping: "bg-red-50 text-red-800 ring-red-200",
  coldChain: "bg-sky-50 text-sky-900 ring-sky-200",
  presale: "bg-amber-50 text-amber-900 ring-amber-200",
  gi: "bg-emerald-50 text-emerald-900 ring-emerald-200",
};

/** 包邮 · 冷链 · 预售 · 地理标志 on a product tile or page. */
export function ProductTags({ tags, className = "" }: { tags: ProductTag[]; className?: string }) {
  const { t } = useTranslation();
  if (tags.length === 0) return null;
  return (
    <ul className={`flex flex-wrap gap-1 ${className}`} aria-label={t("pages.tags.label")} data-testid="product-tags">
      {tags.map((tag) => (
        <li
          key={tag}
          className={`rounded px-1.5 py-0.5 text-[11px] font-medium leading-4 ring-1 ${STYLE[tag]}`}
          data-tag={tag}
        >
          {t(`pages.tags.${tag}`)}
        </li>
      ))}
    </ul>
  );
}
