import { useTranslation } from "react-i18next";
import { formatShopperPrice } from "~/lib/money";
import { formatDate } from "~/lib/time";

export interface PromiseData {
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  coldChain: boolean;
  presaleShipBy: string | null;
  traceable: boolean;
  shipping: { homeFen: number; pickupFen: number; freeFromFen: number | null };
}

/** 配送与售后 on a product page (issue #13): when it ships, how, what it costs, and if it arrives damaged. */
export function PromiseBlock({ data }: { data: PromiseData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const money = (fen: number) => formatShopperPrice(fen, lng);
  const items: string[] = [];
  if (data.kind === "EXPERIENCE") {
    items.push(t("pages.promise.experience"));
  } else {
    items.push(
      data.presaleShipBy
        ? t("pages.promise.presaleShipBy", { date: formatDate(data.presaleShipBy, lng) })
        : t("pages.promise.shipBy"),
    );
    if (data.coldChain) items.push(t("pages.promise.coldChain"));
    if (data.shipping.homeFen === 0) items.push(t("pages.promise.shippingFree"));
    else {
      items.push(
        t("pages.promise.shippingFrom", { home: money(data.shipping.homeFen), pickup: money(data.shipping.pickupFen) }),
      );
      if (data.shipping.freeFromFen !== null)
        items.push(t("pages.promise.freeShipping", { amount: money(data.shipping.freeFromFen) }));
    }
    items.push(t("pages.promise.damaged"));
  }
  if (data.traceable) items.push(t("pages.promise.trace"));
  return (
    <section
      aria-labelledby="promise-h"
      className="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      data-testid="promise"
    >
      <h2 id="promise-h" className="text-base font-semibold">
        {t("pages.promise.heading")}
      </h2>
      <ul className="mt-2 space-y-1.5 text-sm text-stone-700">
        {items.map((text) => (
          <li key={text} className="flex gap-2">
            <span aria-hidden="true" className="text-emerald-700">
              ✓
            </span>
            <span>{text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
