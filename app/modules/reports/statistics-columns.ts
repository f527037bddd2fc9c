import { pick } from "~/lib/i18n";
import type { ReportColumn } from "./columns";
import {
  changePct,
  FIGURES,
  MONEY_FIGURES,
  type MonthFigures,
  type MonthlyStatistics,
  type ThreeMonths,
  type TownStatistics,
} from "./monthly-statistics";

// The monthly statistics' two tables, shared by the page and the XLSX: the county's summary (one
// row per figure: this month, the month before, 环比, the same month last year, 同比) and the
// figures by township. Headers are `statistics.columns.<key>`.

export interface SummaryRow {
  figure: keyof MonthFigures;
  months: ThreeMonths;
}

const typeOfFigure = (figure: keyof MonthFigures) => (MONEY_FIGURES.has(figure) ? "money" : "number");

export const SUMMARY_COLUMNS: ReportColumn<SummaryRow>[] = [
  { key: "figure", type: "text", width: 26, value: (r, _l, t) => t(`statistics.figures.${r.figure}`) },
  {
    key: "current",
    type: "number",
    width: 16,
    typeOf: (r) => typeOfFigure(r.figure),
    value: (r) => r.months.current[r.figure],
  },
  {
    key: "previous",
    type: "number",
    width: 16,
    typeOf: (r) => typeOfFigure(r.figure),
    value: (r) => r.months.previous[r.figure],
  },
  {
    key: "mom",
    type: "percent",
    width: 10,
    value: (r) => changePct(r.months.current[r.figure], r.months.previous[r.figure]),
  },
  {
    key: "lastYear",
    type: "number",
    width: 16,
    typeOf: (r) => typeOfFigure(r.figure),
    value: (r) => r.months.lastYear[r.figure],
  },
  {
    key: "yoy",
    type: "percent",
    width: 10,
    value: (r) => changePct(r.months.current[r.figure], r.months.lastYear[r.figure]),
  },
];

export const summaryRows = (s: MonthlyStatistics): SummaryRow[] =>
  FIGURES.map((figure) => ({ figure, months: s.county }));

const current = (figure: keyof MonthFigures): ReportColumn<TownStatistics> => ({
  key: figure,
  type: typeOfFigure(figure),
  width: MONEY_FIGURES.has(figure) ? 14 : 9,
  value: (r) => r.figures.current[figure],
});

/** Every figure of the month by township, sales with its 环比 and 同比. */
export const TOWN_COLUMNS: ReportColumn<TownStatistics>[] = [
  {
    key: "town",
    type: "text",
    width: 16,
    value: (r, lng, t) => pick(lng, r.townZh, r.townEn) ?? t("statistics.noTown"),
  },
  current("salesFen"),
  {
    key: "mom",
    type: "percent",
    width: 9,
    value: (r) => changePct(r.figures.current.salesFen, r.figures.previous.salesFen),
  },
  {
    key: "yoy",
    type: "percent",
    width: 9,
    value: (r) => changePct(r.figures.current.salesFen, r.figures.lastYear.salesFen),
  },
  current("produceFen"),
  current("specialtyFen"),
  current("experienceFen"),
  current("refundsFen"),
  current("orders"),
  current("parcels"),
  current("activeShops"),
  current("newShops"),
  current("buyers"),
];

/** The township columns the printed page keeps, so that the table fits A4 (the XLSX has all). */
export const TOWN_PAGE_KEYS = new Set([
  "town",
  "salesFen",
  "mom",
  "yoy",
  "produceFen",
  "orders",
  "parcels",
  "activeShops",
  "newShops",
  "buyers",
]);
