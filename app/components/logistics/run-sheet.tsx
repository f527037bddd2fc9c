import { useTranslation } from "react-i18next";
import type { Counts, Manifest, Totals } from "~/modules/logistics/manifest-schemas";

// Pieces of the pickup-run pages (issue #10): totals in words, and the printable A4 run sheet —
// a table per township with its stops, parcels and weights, cold chain apart, signature boxes.

export const kg = (grams: number) => (grams / 1000).toFixed(1);

export function CountsText({ counts }: { counts: Counts }) {
  const { t } = useTranslation();
  return (
    <>{t("portal.totals", { shipments: counts.shipments, parcels: counts.parcels, kg: kg(counts.weightGrams) })}</>
  );
}

export function TotalsLine({ totals }: { totals: Totals }) {
  const { t } = useTranslation();
  return (
    <span className="text-sm text-stone-700">
      <CountsText counts={totals.all} />
      {totals.cold.shipments > 0 ? (
        <span className="ml-2 inline-block rounded bg-sky-100 px-1.5 font-medium text-sky-900">
          {t("portal.cold")}: <CountsText counts={totals.cold} />
        </span>
      ) : null}
    </span>
  );
}

const cell = "border border-stone-400 px-1.5 py-1 align-top";

/** The sheet a collector carries: shown only when printing (the page's cards are for the phone). */
export function RunSheet({ manifest, title }: { manifest: Manifest; title: string }) {
  const { t } = useTranslation();
  const cold = manifest.townships.flatMap((town) =>
    town.villages.flatMap((v) => v.stops.flatMap((s) => s.coldChain.map((c) => ({ ...c, stop: s.cooperative.name })))),
  );
  return (
    <div className="print-area run-sheet hidden bg-white text-[10.5pt] text-black print:block" data-testid="run-sheet">
      <h1 className="text-lg font-bold">{title}</h1>
      <p>
        {t("portal.run.partner", { partner: manifest.partner })} · {t("portal.run.total")}:{" "}
        <CountsText counts={manifest.totals.all} />
        {manifest.totals.cold.shipments > 0 ? (
          <>
            {" "}
            · {t("portal.cold")}: <CountsText counts={manifest.totals.cold} />
          </>
        ) : null}
      </p>
      {manifest.townships.map((town) => (
        <section key={town.name} className="mt-3 break-inside-avoid-page">
          <h2 className="font-semibold">
            {t("portal.run.township")}: {town.name} — <CountsText counts={town.totals.all} />
          </h2>
          <table className="mt-1 w-full border-collapse">
            <thead>
              <tr>
                <th className={cell}>{t("portal.run.village")}</th>
                <th className={cell}>{t("portal.print.stop")}</th>
                <th className={cell}>{t("portal.print.contact")}</th>
                <th className={cell}>{t("portal.print.shipments")}</th>
                <th className={cell}>{t("portal.print.parcels")}</th>
                <th className={cell}>{t("portal.print.weight")}</th>
                <th className={cell}>{t("portal.print.cold")}</th>
                <th className={`${cell} w-[22mm]`}>{t("portal.print.signCooperative")}</th>
                <th className={`${cell} w-[22mm]`}>{t("portal.print.signDriver")}</th>
              </tr>
            </thead>
            <tbody>
              {town.villages.flatMap((village) =>
                village.stops.map((stop) => (
                  <tr key={stop.id} className="break-inside-avoid">
                    <td className={cell}>{village.name}</td>
                    <td className={cell}>
                      {stop.cooperative.name}
                      <br />
                      <span className="text-[9pt]">{stop.cooperative.address}</span>
                    </td>
                    <td className={cell}>
                      {stop.cooperative.contactName ?? ""} {stop.cooperative.contactPhone ?? ""}
                    </td>
                    <td className={`${cell} text-right`}>{stop.totals.all.shipments}</td>
                    <td className={`${cell} text-right`}>{stop.totals.all.parcels}</td>
                    <td className={`${cell} text-right`}>{kg(stop.totals.all.weightGrams)}</td>
                    <td className={`${cell} text-right`}>{stop.totals.cold.parcels || ""}</td>
                    <td className={`${cell} h-[12mm]`} />
                    <td className={cell} />
                  </tr>
                )),
              )}
              <tr className="font-semibold">
                <td className={cell} colSpan={3}>
                  {t("portal.run.total")}
                </td>
                <td className={`${cell} text-right`}>{town.totals.all.shipments}</td>
                <td className={`${cell} text-right`}>{town.totals.all.parcels}</td>
                <td className={`${cell} text-right`}>{kg(town.totals.all.weightGrams)}</td>
                <td className={`${cell} text-right`}>{town.totals.cold.parcels || ""}</td>
                <td className={cell} colSpan={2} />
              </tr>
            </tbody>
          </table>
        </section>
      ))}
      {cold.length > 0 ? (
        <section className="mt-4 break-inside-avoid-page">
          <h2 className="font-semibold">{t("portal.print.coldList")}</h2>
          <table className="mt-1 w-full border-collapse">
            <thead>
              <tr>
                <th className={cell}>{t("portal.print.stop")}</th>
                <th className={cell}>{t("portal.print.waybill")}</th>
                <th className={cell}>{t("portal.print.parcels")}</th>
                <th className={cell}>{t("portal.print.weight")}</th>
                <th className={cell}>{t("portal.shipment.destination")}</th>
              </tr>
            </thead>
            <tbody>
              {cold.map((c) => (
                <tr key={c.id}>
                  <td className={cell}>{c.stop}</td>
                  <td className={cell}>{c.waybillNo ?? c.orderNumber}</td>
                  <td className={`${cell} text-right`}>{c.parcels}</td>
                  <td className={`${cell} text-right`}>{kg(c.weightGrams)}</td>
                  <td className={cell}>{c.destination}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <div className="mt-6 grid grid-cols-3 gap-4">
        {["signCooperative", "signDriver", "signTime"].map((k) => (
          <div key={k} className="h-[18mm] border-b border-black pt-1 text-[9pt]">
            {t(`portal.print.${k}`)}
          </div>
        ))}
      </div>
    </div>
  );
}
