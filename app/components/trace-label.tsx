import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

export interface TraceLabelData {
  traceCode: string;
  productName: string;
  harvestDate: string;
  producer: string;
  contactPhone: string;
  origin: string;
  cooperative: string;
  url: string;
  /** The QR code as an SVG document made by the qrcode package from `url`. */
  qrSvg: string;
}

/** "ABCD EFGH JKLM": easier to read and type; the trace page ignores the spaces. */
export function groupedCode(code: string) {
  return code.replace(/(.{4})(?=.)/g, "$1 ");
}

function Qr({ label, className }: { label: TraceLabelData; className: string }) {
  const { t } = useTranslation();
  return (
    <div
      role="img"
      aria-label={t("batches.label.qrAlt", { url: label.url })}
      className={`${className} [&>svg]:block [&>svg]:size-full`}
      // Our own URL rendered by the qrcode package: no user-supplied markup.
      dangerouslySetInnerHTML={{ __html: label.qrSvg }}
    />
  );
}

/**
 * One sticker of a 3 × 8 A4 sheet (63.5 × 33.9 mm, the common 24-up label size):
 * the QR code with the code under it, and the essentials of the 承诺达标合格证.
 */
export function SmallTraceLabel({ label }: { label: TraceLabelData }) {
  const { t } = useTranslation();
  return (
    <div className="grid h-[33.9mm] w-[63.5mm] grid-cols-[21mm_1fr] gap-[1.5mm] overflow-hidden bg-white p-[1.8mm] text-[6.3pt] leading-[1.25] text-black outline outline-1 outline-dashed outline-stone-300 print:outline-none">
      <div className="flex flex-col items-center">
        <Qr label={label} className="size-[21mm]" />
        <p className="mt-[0.6mm] whitespace-nowrap font-mono text-[6.3pt] font-semibold tracking-tight">
          {groupedCode(label.traceCode)}
        </p>
        <p className="text-[5.5pt]">{t("batches.label.scan")}</p>
      </div>
      <div className="min-w-0">
        <p className="line-clamp-2 text-[7.3pt] font-bold leading-[1.2]">{label.productName}</p>
        <p>
          {t("batches.label.harvest")} {label.harvestDate}
        </p>
        <p className="truncate">{label.cooperative}</p>
        <p className="mt-[0.5mm] border-t border-black pt-[0.4mm] font-bold">{t("batches.label.cert")}</p>
        <p className="truncate">
          {t("batches.label.producer")} {label.producer}
        </p>
        <p className="line-clamp-2">
          {t("batches.label.origin")} {label.origin}
        </p>
        <p className="whitespace-nowrap">
          {t("batches.label.contact")} {label.contactPhone}
        </p>
      </div>
    </div>
  );
}

/** One large label (120 × 80 mm) for a crate or a market stall. */
export function LargeTraceLabel({ label }: { label: TraceLabelData }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t("batches.label.harvest"), label.harvestDate],
    [t("batches.label.cooperative"), label.cooperative],
    [t("batches.label.producer"), label.producer],
    [t("batches.label.origin"), label.origin],
    [t("batches.label.contact"), label.contactPhone],
  ];
  return (
    <div className="grid w-[120mm] grid-cols-[46mm_1fr] gap-[4mm] bg-white p-[5mm] text-[9pt] leading-snug text-black ring-1 ring-stone-400">
      <div className="flex flex-col items-center">
        <Qr label={label} className="size-[46mm]" />
        <p className="mt-[1mm] font-mono text-[11pt] font-bold">{groupedCode(label.traceCode)}</p>
        <p className="text-[8pt]">{t("batches.label.scan")}</p>
      </div>
      <div className="min-w-0">
        <p className="text-[13pt] font-bold leading-tight">{label.productName}</p>
        <p className="mt-[2mm] border-b border-black pb-[1mm] font-bold">{t("batches.label.cert")}</p>
        <dl className="mt-[1mm]">
          {rows.map(([term, value]) => (
            <div key={term} className="flex gap-[2mm]">
              <dt className="shrink-0 text-stone-700">{term}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}

/** Shown once JavaScript runs; without it the browser's own Print menu does the same. */
export function PrintButton() {
  const { t } = useTranslation();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white shadow-sm hover:brightness-110"
    >
      {t("batches.print")}
    </button>
  );
}
