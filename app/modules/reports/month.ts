import { shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";

// A calendar month in Asia/Shanghai ("2026-11"), for the county's monthly statistics: its UTC
// bounds (start included, end excluded), the month before and the same month a year earlier.

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthPeriod {
  /** "YYYY-MM" */
  month: string;
  start: Date;
  end: Date;
}

/** "2026-11" moved by whole months: ("2026-01", -1) → "2025-12". */
export function addMonths(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = y! * 12 + (m! - 1) + by;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthPeriod(month: string): MonthPeriod {
  return {
    month,
    start: shanghaiLocalToUtc(`${month}-01`),
    end: shanghaiLocalToUtc(`${addMonths(month, 1)}-01`),
  };
}

/** The last month that has ended in Shanghai. */
export function lastFullMonth(now = new Date()): string {
  return addMonths(shanghaiToday(now).slice(0, 7), -1);
}

/** Years accepted: wide enough for any real report, narrow enough to keep dates sane. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

export type MonthParse = { ok: true; month: string } | { ok: false; error: string };

/** "YYYY-MM" (a future month is allowed: it is simply empty). Errors are i18n keys. */
export function parseMonth(raw: string | undefined | null): MonthParse {
  const m = MONTH.exec(raw?.trim() ?? "");
  if (!m) return { ok: false, error: "statistics.errors.badMonth" };
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, error: "statistics.errors.badMonth" };
  return { ok: true, month: m[0] };
}
