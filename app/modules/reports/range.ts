import { addDays, shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";

// The county dashboard's date range (issue #11): a preset or from/to, as whole Shanghai days,
// and the previous period of equal length just before it.

export const PRESETS = ["today", "7d", "30d", "month"] as const;
export type Preset = (typeof PRESETS)[number];
export const BUCKETS = ["day", "week", "month"] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface DashboardRange {
  preset: Preset | "custom";
  /** First and last Shanghai day shown, "YYYY-MM-DD", both included. */
  from: string;
  to: string;
  days: number;
  by: Bucket;
  start: Date;
  end: Date;
  prevStart: Date;
  prevFrom: string;
  prevTo: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range accepted, in days (about ten years). */
export const MAX_DAYS = 3700;

function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

export type RangeResult = { ok: true; range: DashboardRange } | { ok: false; error: string };

/** Reads ?range=today|7d|30d|month or ?from=&to= (and ?by=day|week|month). Errors are i18n keys. */
export function parseRange(params: URLSearchParams, now = new Date()): RangeResult {
  const today = shanghaiToday(now);
  const fromRaw = params.get("from")?.trim() ?? "";
  const toRaw = params.get("to")?.trim() ?? "";
  let preset: DashboardRange["preset"];
  let from: string;
  let to: string;
  if (fromRaw || toRaw) {
    if (!validDate(fromRaw) || !validDate(toRaw)) return { ok: false, error: "dashboard.errors.badDate" };
    if (fromRaw > toRaw) return { ok: false, error: "dashboard.errors.fromAfterTo" };
    if (daysBetween(fromRaw, toRaw) > MAX_DAYS) return { ok: false, error: "dashboard.errors.tooLong" };
    preset = "custom";
    from = fromRaw;
    to = toRaw;
  } else {
    const asked = params.get("range") ?? "30d";
    if (!(PRESETS as readonly string[]).includes(asked)) return { ok: false, error: "dashboard.errors.badRange" };
    preset = asked as Preset;
    to = today;
    from =
      preset === "today"
        ? today
        : preset === "7d"
          ? addDays(today, -6)
          : preset === "30d"
            ? addDays(today, -29)
            : `${today.slice(0, 8)}01`;
  }
  const days = daysBetween(from, to);
  const byRaw = params.get("by");
  let by: Bucket;
  if (byRaw) {
    if (!(BUCKETS as readonly string[]).includes(byRaw)) return { ok: false, error: "dashboard.errors.badBucket" };
    by = byRaw as Bucket;
  } else by = days > 180 ? "month" : days > 62 ? "week" : "day";
  const prevTo = addDays(from, -1);
  const prevFrom = addDays(from, -days);
  return {
    ok: true,
    range: {
      preset,
      from,
      to,
      days,
      by,
      start: shanghaiLocalToUtc(from),
      end: shanghaiLocalToUtc(addDays(to, 1)),
      prevStart: shanghaiLocalToUtc(prevFrom),
      prevFrom,
      prevTo,
    },
  };
}
