import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";
import { shanghaiStamp } from "~/lib/time";
import type { Manifest } from "./manifest-schemas";

// A pickup run as CSV for Excel (issue #10): one row per shipment, township → village → stop,
// ambient parcels first, then cold chain. UTF-8 with a BOM (so Excel opens Chinese right) and
// CRLF; a cell that Excel would run as a formula (= + - @, tab, CR) is kept as text.

export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function manifestCsv(m: Manifest, t: TFunction): string {
  const header = [
    "township",
    "village",
    "cooperative",
    "address",
    "contactName",
    "contactPhone",
    "orderNumber",
    "waybill",
    "coldChain",
    "parcels",
    "weightKg",
    "status",
    "recipient",
    "destination",
    "collectedAt",
  ].map((k) => t(`portal.csv.${k}`));
  const rows: string[][] = [header];
  for (const town of m.townships)
    for (const village of town.villages)
      for (const stop of village.stops)
        for (const s of [...stop.shipments, ...stop.coldChain])
          rows.push(
            [
              town.name,
              village.name,
              stop.cooperative.name,
              stop.cooperative.address,
              stop.cooperative.contactName ?? "",
              stop.cooperative.contactPhone ?? "",
              s.orderNumber,
              s.waybillNo ?? "",
              s.coldChain ? t("portal.csv.yes") : t("portal.csv.no"),
              String(s.parcels),
              (s.weightGrams / 1000).toFixed(3),
              t(`portal.shipment.status.${s.status}`),
              s.recipientName ?? "",
              s.destination,
              stop.collectedAt ? shanghaiStamp(stop.collectedAt) : "",
            ].map(csvText),
          );
  rows.push([
    t("portal.run.total"),
    "",
    "",
    "",
    "",
    "",
    String(m.totals.all.shipments),
    "",
    String(m.totals.cold.parcels),
    String(m.totals.all.parcels),
    (m.totals.all.weightGrams / 1000).toFixed(3),
  ]);
  return "\uFEFF" + stringify(rows, { record_delimiter: "windows" });
}
