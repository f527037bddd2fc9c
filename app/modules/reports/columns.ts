import type { TFunction } from "i18next";
import { pick } from "~/lib/i18n";
import type { OrderReportRow } from "./orders-report.cross-shop.server";

// A report's columns, shared by the screen, the CSV and the XLSX. `type` says how a file
// writes the cell: text, a count, money (integer fen shown as yuan), a time, or a change in
// percent (null: no base to compare with, written "—"). A report is its columns and an async
// iterable of rows (see report-kinds.ts).

export type ColumnType = "text" | "number" | "money" | "time" | "percent";

export interface ReportColumn<Row = OrderReportRow> {
  key: string;
  type: ColumnType;
  width: number;
  /** `t` is there for cells that are words (a kind, who owes whom). */
  value: (row: Row, lng: string, t: TFunction) => string | number | Date | null;
  /** For a column whose rows differ (a summary: money in one row, a count in the next). */
  typeOf?: (row: Row) => ColumnType;
}

/** A report's CSV data rows made by the database (no BOM, no header), and their number once read. */
export interface DatabaseCsv {
  chunks: AsyncIterable<Uint8Array>;
  rowCount: () => number;
}

/** What a file writer (CSV or XLSX) streams: its header, columns and rows, and what to do once all are written. */
export interface ReportFileInput<Row> {
  header: string[];
  columns: ReportColumn<Row>[];
  rows: AsyncIterable<Row>;
  lng: string;
  t: TFunction;
  onDone: (count: number) => Promise<void>;
}

export const ORDER_COLUMNS: ReportColumn<OrderReportRow>[] = [
  { key: "orderNumber", type: "text", width: 16, value: (r) => r.orderNumber },
  { key: "shopOrderNumber", type: "text", width: 18, value: (r) => r.shopOrderNumber },
  { key: "placedAt", type: "time", width: 17, value: (r) => r.placedAt },
  { key: "paidAt", type: "time", width: 17, value: (r) => r.paidAt },
  { key: "packedAt", type: "time", width: 17, value: (r) => r.packedAt },
  { key: "handedOverAt", type: "time", width: 17, value: (r) => r.handedOverAt },
  { key: "deliveredAt", type: "time", width: 17, value: (r) => r.deliveredAt },
  { key: "shop", type: "text", width: 20, value: (r, l) => pick(l, r.shopNameZh, r.shopNameEn) },
  { key: "village", type: "text", width: 14, value: (r, l) => pick(l, r.villageZh, r.villageEn) },
  { key: "product", type: "text", width: 24, value: (r, l) => pick(l, r.titleZh, r.titleEn) },
  { key: "kind", type: "text", width: 11, value: (r) => r.kind },
  { key: "variant", type: "text", width: 16, value: (r, l) => pick(l, r.variantTitleZh, r.variantTitleEn) },
  { key: "quantity", type: "number", width: 8, value: (r) => r.quantity },
  { key: "unitPrice", type: "money", width: 11, value: (r) => r.unitPriceFen },
  { key: "lineTotal", type: "money", width: 12, value: (r) => r.lineTotalFen },
  { key: "shipping", type: "money", width: 10, value: (r) => r.shippingFen },
  { key: "refunded", type: "money", width: 10, value: (r) => r.refundedFen },
  { key: "status", type: "text", width: 13, value: (r) => r.status },
  { key: "delivery", type: "text", width: 13, value: (r) => r.delivery },
  {
    key: "pickupPoint",
    type: "text",
    width: 18,
    value: (r, l) => (r.pickupPointZh ? pick(l, r.pickupPointZh, r.pickupPointEn) : ""),
  },
  { key: "buyerName", type: "text", width: 10, value: (r) => r.buyerName },
  { key: "buyerMobile", type: "text", width: 14, value: (r) => r.buyerMobile },
];
