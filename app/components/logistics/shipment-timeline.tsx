import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import type { ShipmentTimelineEvent } from "~/modules/logistics/shipment-views";

// What the cooperative's order page and the buyer's order page both show of a shipment: its
// facts and its timeline (times in Asia/Shanghai, event names translated).

export interface ShipmentFactsData {
  status: string;
  partnerName: string | null;
  waybillNo: string | null;
  carrier: string | null;
  parcelCount: number;
  weightGrams?: number;
  coldChain: boolean;
  codAmountFen: number;
  codCollectedFen: number | null;
  pickupPoint: { kind: "POINT" | "LOCKER"; name: string; address: string } | null;
  lockerCode: string | null;
  reason: string | null;
  events: ShipmentTimelineEvent[];
}

export function ShipmentFacts({ shipment, showReason }: { shipment: ShipmentFactsData; showReason: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const failed = shipment.status === "FAILED" || shipment.status === "RETURNED";
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="shipment-facts">
      <dt className="text-stone-600">{t("shipments.partner")}</dt>
      <dd data-testid="shipment-partner">{shipment.partnerName ?? t("shipments.waitingPartner")}</dd>
      {shipment.waybillNo ? (
        <>
          <dt className="text-stone-600">{t("shipments.waybill")}</dt>
          <dd className="font-mono break-all" data-testid="shipment-waybill">
            {shipment.waybillNo}
          </dd>
        </>
      ) : null}
      {shipment.carrier ? (
        <>
          <dt className="text-stone-600">{t("shipments.carrier")}</dt>
          <dd>{shipment.carrier}</dd>
        </>
      ) : null}
      <dt className="sr-only">{t("shipments.parcels", { count: shipment.parcelCount })}</dt>
      <dd className="col-span-2 text-stone-700">
        {t("shipments.parcels", { count: shipment.parcelCount })}
        {shipment.weightGrams !== undefined
          ? ` · ${t("shipments.weight", { kg: (shipment.weightGrams / 1000).toLocaleString(lng === "en" ? "en" : "zh-CN") })}`
          : ""}
        {shipment.coldChain ? (
          <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs font-semibold text-sky-900">
            {t("shipments.coldChain")}
          </span>
        ) : null}
      </dd>
      {shipment.pickupPoint ? (
        <>
          <dt className="text-stone-600">{t(`shipments.pickupKind.${shipment.pickupPoint.kind}`)}</dt>
          <dd>
            <span className="font-medium">{shipment.pickupPoint.name}</span>
            <span className="block text-stone-700">{shipment.pickupPoint.address}</span>
          </dd>
        </>
      ) : null}
      {shipment.lockerCode ? (
        <>
          <dt className="text-stone-600">{t("shipments.lockerCode")}</dt>
          <dd className="font-mono text-lg font-bold tracking-widest" data-testid="shipment-locker-code">
            {shipment.lockerCode}
          </dd>
        </>
      ) : null}
      {shipment.codAmountFen > 0 ? (
        <dd className="col-span-2 text-amber-900">
          {shipment.codCollectedFen !== null
            ? t("shipments.codCollected", { amount: formatFen(shipment.codCollectedFen, lng) })
            : t("shipments.cod", { amount: formatFen(shipment.codAmountFen, lng) })}
        </dd>
      ) : null}
      {shipment.reason && (failed || showReason) ? (
        <dd className="col-span-2 text-rose-800" data-testid="shipment-reason">
          {failed
            ? t("shipments.failedReason", { reason: shipment.reason })
            : t("shipments.rejectedReason", { reason: shipment.reason })}
        </dd>
      ) : null}
    </dl>
  );
}

export function ShipmentTimeline({ events, showNotes }: { events: ShipmentTimelineEvent[]; showNotes: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (events.length === 0) return null;
  return (
    <div>
      <h3 className="text-sm font-semibold">{t("shipments.timeline")}</h3>
      <ol className="mt-1 flex flex-col gap-1.5 text-sm" data-testid="shipment-timeline">
        {[...events].reverse().map((e) => (
          <li key={e.id} className="flex flex-col border-l-4 border-leaf/40 pl-3" data-event={e.type}>
            <span className="text-stone-600">
              <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time>
            </span>
            <span className="font-medium">{t(`shipments.event.${e.type}`, { defaultValue: e.type })}</span>
            {e.lockerCode ? (
              <span className="text-stone-700">
                {t("shipments.lockerCode")}: <span className="font-mono">{e.lockerCode}</span>
              </span>
            ) : null}
            {e.note && (showNotes || e.type === "failed") ? <span className="text-stone-700">{e.note}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
