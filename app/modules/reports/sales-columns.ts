import { pick } from "~/lib/i18n";
import type { ReportColumn } from "./columns";
import type { SalesFilters } from "./sales-filters";
import type { SalesRow } from "./sales.cross-shop.server";
import type { SettlementRow } from "./settlement.cross-shop.server";
import { balanceText } from "~/modules/ledger/balance-words";

// The sales summary's and the settlement report's columns (headers: salesReports.columns.<key>).

type SalesColumn = ReportColumn<SalesRow>;

const label = (r: SalesRow, l: string) => pick(l, r.labelZh, r.labelEn);
const parent = (r: SalesRow, l: string) => pick(l, r.parentZh, r.parentEn) ?? "";

/** The group's columns depend on `by`; a month shows as "YYYY-MM". */
export function salesColumns(f: Pick<SalesFilters, "by" | "period">): SalesColumn[] {
  const period: SalesColumn = {
    key: "period",
    type: "text",
    width: 12,
    value: (r) => (f.period === "month" ? r.bucket.slice(0, 7) : r.bucket),
  };
  const group: SalesColumn[] =
    f.by === "product"
      ? [
          { key: "shop", type: "text", width: 20, value: parent },
          { key: "product", type: "text", width: 24, value: label },
        ]
      : f.by === "village"
        ? [
            { key: "town", type: "text", width: 14, value: parent },
            { key: "village", type: "text", width: 14, value: label },
          ]
        : f.by === "kind"
          ? [{ key: "kind", type: "text", width: 12, value: (r, _l, t) => t(`reports.kinds.${r.key}`) }]
          : [{ key: "shop", type: "text", width: 20, value: label }];
  return [
    period,
    ...group,
    { key: "sales", type: "money", width: 14, value: (r) => r.salesFen },
    { key: "quantity", type: "number", width: 9, value: (r) => r.quantity },
    { key: "orders", type: "number", width: 9, value: (r) => r.orders },
    { key: "refunds", type: "money", width: 12, value: (r) => r.refundsFen },
    { key: "net", type: "money", width: 14, value: (r) => r.netFen },
  ];
}

/**
 * Balances as a positive amount and words saying who owes whom (decision 017); the movements keep
 * the ledger's sign (positive: owed to the cooperative), so opening + movements = closing.
 */
export const SETTLEMENT_COLUMNS: ReportColumn<SettlementRow>[] = [
  { key: "shop", type: "text", width: 20, value: (r, l) => pick(l, r.nameZh, r.nameEn) },
  { key: "village", type: "text", width: 14, value: (r, l) => pick(l, r.villageZh, r.villageEn) },
  { key: "opening", type: "money", width: 14, value: (r) => Math.abs(r.openingFen) },
  { key: "openingWords", type: "text", width: 26, value: (r, l, t) => balanceText(t, l, r.openingFen) },
  { key: "sales", type: "money", width: 14, value: (r) => r.salesFen },
  { key: "fee", type: "money", width: 12, value: (r) => r.feeFen },
  { key: "refunds", type: "money", width: 12, value: (r) => r.refundsFen },
  { key: "offline", type: "money", width: 14, value: (r) => r.offlineFen },
  { key: "cod", type: "money", width: 14, value: (r) => r.codFen },
  { key: "payouts", type: "money", width: 12, value: (r) => r.payoutsFen },
  { key: "shopPayments", type: "money", width: 14, value: (r) => r.shopPaymentsFen },
  { key: "closing", type: "money", width: 14, value: (r) => Math.abs(r.closingFen) },
  { key: "closingWords", type: "text", width: 26, value: (r, l, t) => balanceText(t, l, r.closingFen) },
];
