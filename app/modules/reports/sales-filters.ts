import { BUCKETS, type Bucket } from "./range";
import { filtersForLog, filtersToSearch, parseReportFilters, type ReportFilters } from "./filters";

// The sales summary's query: the orders report's filters (from, to, shop, kind, status) plus
// how rows are grouped (`by`, default shop) and the length of a time bucket (`period`, default
// month; weeks start on Monday, all in Asia/Shanghai). Errors are i18n keys.

export const SALES_GROUPS = ["shop", "product", "village", "kind"] as const;
export type SalesGroup = (typeof SALES_GROUPS)[number];

export interface SalesFilters extends ReportFilters {
  by: SalesGroup;
  period: Bucket;
}

export type SalesFiltersParse = { ok: true; filters: SalesFilters } | { ok: false; error: string; field: string };

const oneOf = <T extends string>(list: readonly T[], value: string | null, fallback: T): T | null =>
  value === null || value.trim() === "" ? fallback : (list as readonly string[]).includes(value) ? (value as T) : null;

export function parseSalesFilters(search: URLSearchParams, now = new Date()): SalesFiltersParse {
  const by = oneOf(SALES_GROUPS, search.get("by"), "shop");
  if (!by) return { ok: false, error: "salesReports.errors.byInvalid", field: "by" };
  const period = oneOf(BUCKETS, search.get("period"), "month");
  if (!period) return { ok: false, error: "salesReports.errors.periodInvalid", field: "period" };
  const base = parseReportFilters(search, now);
  if (!base.ok) return base;
  // Sales files never hold buyers' details, so the contacts box means nothing here.
  return { ok: true, filters: { ...base.filters, includeContacts: false, by, period } };
}

export function salesFiltersToSearch(f: SalesFilters): URLSearchParams {
  const s = filtersToSearch(f);
  s.set("by", f.by);
  s.set("period", f.period);
  return s;
}

export function salesFiltersForLog(f: SalesFilters) {
  return { ...filtersForLog(f), by: f.by, period: f.period };
}
