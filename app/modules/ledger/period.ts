import { addDays, shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";

// A statement's period: whole days in Asia/Shanghai, `from` and `to` both included.
// `start` and `end` are the UTC instants that bound it (end excluded).

export interface Period {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** The longest period one statement covers (about three years). */
export const MAX_PERIOD_DAYS = 1_100;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;

function isRealDate(iso: string): boolean {
  if (!ISO_DATE.test(iso)) return false;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

export function periodOf(from: string, to: string): Period {
  return { from, to, start: shanghaiLocalToUtc(`${from}T00:00`), end: shanghaiLocalToUtc(`${addDays(to, 1)}T00:00`) };
}

/** "2026-12" → 1 to 31 December 2026. */
export function monthPeriod(month: string): Period {
  const from = `${month}-01`;
  const [y, m] = month.split("-").map(Number);
  const next = m === 12 ? `${y! + 1}-01-01` : `${y}-${String(m! + 1).padStart(2, "0")}-01`;
  return periodOf(from, addDays(next, -1));
}

export type PeriodParse = { ok: true; period: Period } | { ok: false; error: string };

/**
 * ?month=YYYY-MM, or ?from=YYYY-MM-DD&to=YYYY-MM-DD (either may be left out: from defaults
 * to the first of to's month, to defaults to today). Nothing: this month in Shanghai.
 */
export function periodFromSearch(search: URLSearchParams, now = new Date()): PeriodParse {
  const month = search.get("month")?.trim();
  const fromText = search.get("from")?.trim();
  const toText = search.get("to")?.trim();
  if (!fromText && !toText) {
    const wanted = month || shanghaiToday(now).slice(0, 7);
    if (!ISO_MONTH.test(wanted) || !isRealDate(`${wanted}-01`))
      return { ok: false, error: "money.errors.periodInvalid" };
    return { ok: true, period: monthPeriod(wanted) };
  }
  const to = toText || shanghaiToday(now);
  const from = fromText || `${to.slice(0, 7)}-01`;
  if (!isRealDate(from) || !isRealDate(to)) return { ok: false, error: "money.errors.periodInvalid" };
  if (from > to) return { ok: false, error: "money.errors.periodOrder" };
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) return { ok: false, error: "money.errors.periodTooLong" };
  return { ok: true, period: periodOf(from, to) };
}
