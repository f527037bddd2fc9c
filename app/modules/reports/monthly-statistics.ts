// The monthly statistics' shapes and pure helpers, shared by the server module
// (monthly-statistics.cross-shop.server.ts, where the definitions are), the page and the XLSX.

export interface MonthFigures {
  salesFen: number;
  produceFen: number;
  specialtyFen: number;
  experienceFen: number;
  shippingFen: number;
  refundsFen: number;
  /** Sales − refunds. */
  netFen: number;
  orders: number;
  parcels: number;
  activeShops: number;
  newShops: number;
  buyers: number;
}

export const FIGURES: (keyof MonthFigures)[] = [
  "salesFen",
  "produceFen",
  "specialtyFen",
  "experienceFen",
  "shippingFen",
  "refundsFen",
  "netFen",
  "orders",
  "parcels",
  "activeShops",
  "newShops",
  "buyers",
];
export const MONEY_FIGURES = new Set<keyof MonthFigures>([
  "salesFen",
  "produceFen",
  "specialtyFen",
  "experienceFen",
  "shippingFen",
  "refundsFen",
  "netFen",
]);

export const PERIODS = ["current", "previous", "lastYear"] as const;
export type Period = (typeof PERIODS)[number];
export type ThreeMonths = Record<Period, MonthFigures>;

export interface TownStatistics {
  /** null: shops whose township is not filled in. */
  townZh: string | null;
  townEn: string | null;
  figures: ThreeMonths;
}

export interface MonthlyStatistics {
  months: Record<Period, string>;
  county: ThreeMonths;
  towns: TownStatistics[];
}

/** Change against a base in percent, one decimal; null when the base is 0 (shown as "—"). */
export function changePct(now: number, base: number): number | null {
  if (base === 0) return null;
  return Math.round(((now - base) / Math.abs(base)) * 1000) / 10;
}
