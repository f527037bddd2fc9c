import { useTranslation } from "react-i18next";
import type { StockState } from "~/modules/catalog/types";

export function StockBadge({ stock }: { stock: StockState }) {
  const { t } = useTranslation();
  if (stock.state === "out") {
    return <span className="rounded bg-stone-200 px-1.5 py-0.5 text-xs font-medium text-stone-700">{t("product.soldOut")}</span>;
  }
  if (stock.state === "low") {
    return (
      <span className="rounded bg-orange-100 px-1.5 py-0.5 text-xs font-medium text-orange-800">
        {t("product.lowStock", { count: stock.count })}
      </span>
    );
  }
  return <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">{t("product.inStock")}</span>;
}
