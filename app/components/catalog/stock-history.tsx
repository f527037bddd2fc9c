import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/lib/time";

export interface StockMovementView {
  id: string;
  createdAt: string;
  delta: number;
  sku: string;
  who: string | null;
  code: string | null;
  note: string | null;
}

/** A product's stock changes, newest first: when (Shanghai time), which SKU, how much, why, who. */
export function StockHistory({ movements }: { movements: StockMovementView[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section id="stock-history" aria-labelledby="stock-history-title" className="flex flex-col gap-3">
      <h2 id="stock-history-title" className="text-xl font-semibold">
        {t("catalog.stock.historyTitle")}
      </h2>
      {movements.length === 0 ? (
        <p className="rounded-2xl bg-white p-4 text-stone-700 ring-1 ring-stone-200">
          {t("catalog.stock.historyEmpty")}
        </p>
      ) : (
        <ol
          className="divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200"
          data-testid="stock-history"
        >
          {movements.map((m) => (
            <li key={m.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3 text-sm">
              <strong className={`min-w-12 text-base ${m.delta > 0 ? "text-emerald-700" : "text-red-700"}`}>
                {m.delta > 0 ? `+${m.delta}` : `−${Math.abs(m.delta)}`}
              </strong>
              <span className="font-medium">
                {m.code ? t(`catalog.stock.reasons.${m.code}`) : null}
                {m.code && m.note ? " · " : null}
                {m.note}
              </span>
              <span className="text-stone-600">{m.sku}</span>
              <span className="basis-full text-stone-600 sm:basis-auto sm:ms-auto">
                <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, i18n.language)}</time> ·{" "}
                {m.who ?? t("catalog.stock.system")}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
