import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, useErrorText } from "~/components/form-basics";
import { formatFen } from "~/lib/money";
import type { ManifestShipment } from "~/modules/logistics/manifest-schemas";
import { partnerMayReport, type ShipmentStatus } from "~/modules/logistics/shipment-status";
import { kg } from "./run-sheet";

// One parcel of a stop in the partner portal, with what the collector or driver can record:
// delivered, failed (reason), in a locker (pickup code), returned. Plain forms: no JavaScript
// needed; big buttons for a thumb. The nonce makes a double press one event.

const button = "min-h-12 rounded-full px-4 font-semibold disabled:opacity-60";
const input =
  "min-h-12 w-full rounded-lg border border-stone-300 bg-white px-3 text-base aria-[invalid=true]:border-red-600";

export function ShipmentCard({
  shipment: s,
  error,
  busy,
}: {
  shipment: ManifestShipment & { nonce: string };
  error: { error: string; fields?: Record<string, string> } | null;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const status = s.status.toUpperCase() as ShipmentStatus;
  const open = partnerMayReport(status);
  const hidden = (type: string) => (
    <>
      <CsrfInput />
      <input type="hidden" name="intent" value="event" />
      <input type="hidden" name="shipmentId" value={s.id} />
      <input type="hidden" name="nonce" value={s.nonce} />
      <input type="hidden" name="type" value={type} />
    </>
  );
  const reasonError = error?.fields?.reason;
  const lockerError = error?.fields?.lockerCode;
  return (
    <li
      id={`s-${s.id}`}
      className="flex flex-col gap-2 rounded-xl bg-white p-4 ring-1 ring-stone-200"
      data-testid="shipment"
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{t("portal.shipment.order", { number: s.orderNumber })}</span>
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-sm" data-testid="shipment-status">
          {t(`portal.shipment.status.${s.status}`)}
        </span>
        {s.coldChain ? (
          <span className="rounded-full bg-sky-100 px-2 py-0.5 text-sm font-medium text-sky-900">
            {t("portal.cold")}
          </span>
        ) : null}
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-600">{t("portal.shipment.waybill")}</dt>
        <dd className="break-all">{s.waybillNo ?? "—"}</dd>
        <dt className="text-stone-600">{t("portal.shipment.parcels")}</dt>
        <dd>
          {s.parcels} · {kg(s.weightGrams)} kg
        </dd>
        <dt className="text-stone-600">{t("portal.shipment.recipient")}</dt>
        <dd>{s.recipientName ?? "—"}</dd>
        <dt className="text-stone-600">{t("portal.shipment.destination")}</dt>
        <dd>
          {t(`portal.shipment.delivery.${s.delivery}`)} · {s.destination}
        </dd>
        {s.lockerCode ? (
          <>
            <dt className="text-stone-600">{t("portal.shipment.lockerCode")}</dt>
            <dd className="font-mono">{s.lockerCode}</dd>
          </>
        ) : null}
        {s.reason ? (
          <>
            <dt className="text-stone-600">{t("portal.shipment.reason")}</dt>
            <dd>{s.reason}</dd>
          </>
        ) : null}
      </dl>
      {s.codAmountFen > 0 ? (
        <p className="font-semibold text-amber-900">
          {t("portal.shipment.cod", { amount: formatFen(s.codAmountFen, i18n.language) })}
        </p>
      ) : null}
      {error && !reasonError && !lockerError ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-900 ring-1 ring-red-200">
          {errorText(error.error)}
        </p>
      ) : null}
      {open ? (
        <div className="flex flex-col gap-3">
          <Form method="post">
            {hidden("delivered")}
            <button type="submit" disabled={busy} className={`${button} w-full bg-leaf text-lg text-white`}>
              {t("portal.shipment.delivered")}
            </button>
          </Form>
          <Form method="post" className="flex flex-col gap-1">
            {hidden("in_locker")}
            <label htmlFor={`locker-${s.id}`} className="text-sm font-medium">
              {t("portal.shipment.lockerCode")}
            </label>
            <div className="flex gap-2">
              <input
                id={`locker-${s.id}`}
                name="lockerCode"
                required
                maxLength={12}
                autoComplete="off"
                inputMode="text"
                aria-invalid={lockerError ? true : undefined}
                aria-describedby={lockerError ? `locker-${s.id}-error` : undefined}
                className={input}
              />
              <button type="submit" disabled={busy} className={`${button} shrink-0 text-leaf ring-1 ring-leaf`}>
                {t("portal.shipment.inLocker")}
              </button>
            </div>
            {lockerError ? (
              <p id={`locker-${s.id}-error`} role="alert" className="text-sm text-red-700">
                {errorText(lockerError)}
              </p>
            ) : null}
          </Form>
          <Form method="post" className="flex flex-col gap-1">
            {hidden("failed")}
            <label htmlFor={`reason-${s.id}`} className="text-sm font-medium">
              {t("portal.shipment.reason")}
            </label>
            <div className="flex gap-2">
              <input
                id={`reason-${s.id}`}
                name="reason"
                required
                maxLength={500}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={reasonError ? `reason-${s.id}-error` : undefined}
                className={input}
              />
              <button type="submit" disabled={busy} className={`${button} shrink-0 text-red-800 ring-1 ring-red-700`}>
                {t("portal.shipment.failed")}
              </button>
            </div>
            {reasonError ? (
              <p id={`reason-${s.id}-error`} role="alert" className="text-sm text-red-700">
                {errorText(reasonError)}
              </p>
            ) : null}
          </Form>
        </div>
      ) : null}
      {open || status === "FAILED" ? (
        <Form method="post">
          {hidden("returned")}
          <button type="submit" disabled={busy} className={`${button} w-full text-stone-800 ring-1 ring-stone-400`}>
            {t("portal.shipment.returned")}
          </button>
        </Form>
      ) : null}
    </li>
  );
}
