import { z } from "zod";
import { addDays, shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";
import { SHOP_ORDER_STATUSES } from "~/modules/orders/status";

// The orders report's filters, from the query string: whole days in Asia/Shanghai, `from` and `to`
// both included (default: the last 30 days), at most 366 days; optionally one shop (by slug),
// one product kind and one shop-order status. Errors are i18n keys.

export const MAX_REPORT_DAYS = 366;
export const DEFAULT_REPORT_DAYS = 30;

export const PRODUCT_KINDS = ["PRODUCE", "SPECIALTY", "EXPERIENCE"] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function isRealDate(iso: string): boolean {
  if (!ISO_DATE.test(iso)) return false;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const isoDate = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .refine((v) => isRealDate(v), "reports.errors.dateInvalid")
    .optional(),
);

export const reportQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    shop: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(64, "reports.errors.shopInvalid")
        .regex(/^[a-z0-9-]+$/, "reports.errors.shopInvalid")
        .optional(),
    ),
    kind: z.preprocess(blankToUndefined, z.enum(PRODUCT_KINDS, { message: "reports.errors.kindInvalid" }).optional()),
    status: z.preprocess(
      blankToUndefined,
      z.enum(SHOP_ORDER_STATUSES, { message: "reports.errors.statusInvalid" }).optional(),
    ),
    includeContacts: z.preprocess((v) => v === "1" || v === "on" || v === "true", z.boolean()),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to) {
      if (value.from > value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "reports.errors.dateOrder" });
      else if (daysBetween(value.from, value.to) > MAX_REPORT_DAYS)
        ctx.addIssue({ code: "custom", path: ["to"], message: "reports.errors.rangeTooLong" });
    }
  });

function daysBetween(from: string, to: string) {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

export interface ReportFilters {
  from: string;
  to: string;
  /** UTC bounds of the Shanghai days: start included, end excluded. */
  start: Date;
  end: Date;
  shop?: string;
  kind?: (typeof PRODUCT_KINDS)[number];
  status?: (typeof SHOP_ORDER_STATUSES)[number];
  includeContacts: boolean;
}

export type FiltersParse = { ok: true; filters: ReportFilters } | { ok: false; error: string; field: string };

export function parseReportFilters(search: URLSearchParams, now = new Date()): FiltersParse {
  const raw = {
    from: search.get("from") ?? undefined,
    to: search.get("to") ?? undefined,
    shop: search.get("shop") ?? undefined,
    kind: search.get("kind") ?? undefined,
    status: search.get("status") ?? undefined,
    includeContacts: search.get("includeContacts") ?? undefined,
  };
  const parsed = reportQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: issue.message, field: String(issue.path[0] ?? "") };
  }
  const v = parsed.data;
  const to = v.to ?? (v.from ? min(addDays(v.from, DEFAULT_REPORT_DAYS - 1), shanghaiToday(now)) : shanghaiToday(now));
  const from = v.from ?? addDays(to, -(DEFAULT_REPORT_DAYS - 1));
  if (from > to) return { ok: false, error: "reports.errors.dateOrder", field: "to" };
  if (daysBetween(from, to) > MAX_REPORT_DAYS) return { ok: false, error: "reports.errors.rangeTooLong", field: "to" };
  return {
    ok: true,
    filters: {
      from,
      to,
      start: shanghaiLocalToUtc(`${from}T00:00`),
      end: shanghaiLocalToUtc(`${addDays(to, 1)}T00:00`),
      shop: v.shop,
      kind: v.kind,
      status: v.status,
      includeContacts: v.includeContacts,
    },
  };
}

const min = (a: string, b: string) => (a < b ? a : b);

/** The filters as query parameters (for links to the files and the next page). */
export function filtersToSearch(f: ReportFilters): URLSearchParams {
  const s = new URLSearchParams({ from: f.from, to: f.to });
  if (f.shop) s.set("shop", f.shop);
  if (f.kind) s.set("kind", f.kind);
  if (f.status) s.set("status", f.status);
  if (f.includeContacts) s.set("includeContacts", "1");
  return s;
}

/** What the security log keeps of the filters. */
export function filtersForLog(f: ReportFilters) {
  return { from: f.from, to: f.to, shop: f.shop ?? null, kind: f.kind ?? null, status: f.status ?? null };
}
