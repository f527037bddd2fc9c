import { useTranslation } from "react-i18next";
import { formatFen } from "~/lib/money";
import type { ParcelLabel as ParcelLabelData } from "~/modules/logistics/shop-shipments.server";

// One 电子面单-style parcel label, 100 × 150 mm (one per printed page; app/tailwind.css sets
// the page size): carrier and waybill on top, recipient, sender, money and marks below.

function Qr({ svg, label, className }: { svg: string; label: string; className: string }) {
  return (
    <div
      role="img"
      aria-label={label}
      className={`${className} shrink-0 [&>svg]:block [&>svg]:size-full`}
      // Our own text rendered by the qrcode package: no user-supplied markup.
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

export function ParcelLabel({ label }: { label: ParcelLabelData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const row = "border-b border-black px-[3mm] py-[1.5mm]";
  return (
    <article
      className="parcel-label flex h-[150mm] w-[100mm] flex-col overflow-hidden bg-white text-[9pt] leading-snug text-black ring-1 ring-stone-400 print:ring-0"
      data-testid="parcel-label"
      aria-label={t("packing.labels.parcelOf", { index: label.index, count: label.count })}
    >
      <div className={`${row} flex items-center justify-between gap-[2mm]`}>
        <p className="min-w-0 truncate text-[12pt] font-bold" data-testid="label-partner">
          {label.partnerName ?? t("packing.labels.noPartner")}
        </p>
        <p className="shrink-0 text-[12pt] font-bold" data-testid="label-parcel-of">
          {t("packing.labels.parcelOf", { index: label.index, count: label.count })}
        </p>
      </div>
      <div className={`${row} flex items-center gap-[3mm]`}>
        <Qr
          svg={label.waybillQrSvg}
          label={t("packing.labels.waybillQr", { waybill: label.waybillNo })}
          className="size-[24mm]"
        />
        <div className="min-w-0">
          <p className="text-[8pt]">{t("packing.labels.waybill")}</p>
          <p className="font-mono text-[17pt] font-bold leading-tight break-all" data-testid="label-waybill">
            {label.waybillNo}
          </p>
          <p className="mt-[1mm] text-[8pt]">
            {t("packing.labels.order")} <span className="font-mono">{label.orderNumber}</span>
          </p>
        </div>
      </div>
      <div className={`${row} flex-1`}>
        <p className="text-[8pt] font-bold">{t("packing.labels.recipient")}</p>
        <p className="text-[12pt] font-bold">
          {label.recipient.name} <span data-testid="label-mobile">{label.recipient.phone}</span>
        </p>
        {label.recipient.address ? <p className="text-[10pt]">{label.recipient.address}</p> : null}
        {label.pickupPoint ? (
          <p className="text-[10pt]">
            <span className="font-bold">
              {label.pickupPoint.kind === "LOCKER" ? t("packing.labels.locker") : t("packing.labels.pickupPoint")}
            </span>{" "}
            {label.pickupPoint.name} ({label.pickupPoint.code}) · {label.pickupPoint.address}
          </p>
        ) : null}
        {label.lockerCode ? (
          <p className="text-[10pt]">
            {t("packing.labels.lockerCode")} <span className="font-mono font-bold">{label.lockerCode}</span>
          </p>
        ) : null}
      </div>
      <div className={row}>
        <p className="text-[8pt] font-bold">{t("packing.labels.sender")}</p>
        <p>
          {label.sender.cooperative}
          {label.sender.phone ? ` ${label.sender.phone}` : ""}
        </p>
        <p className="text-[8pt]">{label.sender.village}</p>
      </div>
      <div className="flex items-stretch gap-[2mm] px-[3mm] py-[1.5mm]">
        <div className="flex min-w-0 flex-1 flex-col justify-center gap-[1mm]">
          {label.codAmountFen > 0 ? (
            <p className="border-2 border-black px-[1.5mm] py-[0.5mm] text-[11pt] font-bold" data-testid="label-cod">
              {t("packing.labels.cod")} {formatFen(label.codAmountFen, lng)}
            </p>
          ) : null}
          {label.coldChain ? (
            <p
              className="self-start bg-black px-[2mm] py-[0.5mm] text-[13pt] font-bold text-white print:[print-color-adjust:exact]"
              data-testid="label-cold-chain"
            >
              {t("packing.labels.coldChain")}
            </p>
          ) : null}
          <p className="text-[8pt]">
            {t("packing.labels.weight")} {(label.weightGrams / 1000).toString()} kg
          </p>
        </div>
        {label.traceUrl && label.traceQrSvg ? (
          <div className="flex flex-col items-center">
            <Qr
              svg={label.traceQrSvg}
              label={t("packing.labels.traceQr", { url: label.traceUrl })}
              className="size-[20mm]"
            />
            <p className="text-[7pt]">{t("packing.labels.trace")}</p>
          </div>
        ) : null}
      </div>
    </article>
  );
}
