// Times are stored in UTC and shown in Asia/Shanghai (UTC+8 all year, no daylight saving).
import { dateLocale, perLanguage } from "./per-language";

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const TIME_ZONE = "Asia/Shanghai";

/** "2027-03-06T09:00" read as Shanghai wall-clock time. */
export function shanghaiLocalToUtc(local: string): Date {
  const [datePart, timePart = "00:00"] = local.split("T");
  const [y, m, d] = datePart!.split("-").map(Number);
  const [hh, mm] = timePart.split(":").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!, hh!, mm!) - SHANGHAI_OFFSET_MS);
}

/** A calendar date ("2027-07-15") as stored in a @db.Date column. */
export function isoDateToDate(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

/** Today's date in Shanghai as "YYYY-MM-DD". */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The month (1–12) in Shanghai. */
export function shanghaiMonth(now = new Date()): number {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCMonth() + 1;
}

const dateTimeFormat = perLanguage(
  (lng) =>
    new Intl.DateTimeFormat(dateLocale(lng), {
      timeZone: TIME_ZONE,
      month: "short",
      day: "numeric",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    }),
);

export function formatDateTime(date: Date | string, lng: string) {
  return dateTimeFormat(lng).format(new Date(date));
}

const dateFormat = perLanguage(
  (lng) =>
    new Intl.DateTimeFormat(dateLocale(lng), {
      timeZone: "UTC", // calendar dates are stored at UTC midnight
      year: "numeric",
      month: "short",
      day: "numeric",
    }),
);

export function formatDate(date: Date | string, lng: string) {
  return dateFormat(lng).format(new Date(date));
}

/** The twelve months' short names, January first: "Jan" / "1月". */
export const shortMonthNames = perLanguage((lng) => {
  const format = new Intl.DateTimeFormat(dateLocale(lng), { month: "short", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, i) => format.format(new Date(Date.UTC(2000, i, 1))));
});

/** "2026-12-05 10:00" in Shanghai: for files (CSV) that Excel reads as a date and time. */
export function shanghaiStamp(date: Date | string): string {
  // A report writes five of these a row, a million rows a file: the day's text is kept (a few
  // hundred distinct days a file) and the minute looked up, rather than toISOString every time.
  const ms = (typeof date === "string" ? Date.parse(date) : date.getTime()) + SHANGHAI_OFFSET_MS;
  const day = Math.floor(ms / DAY_MS);
  let text = stampDays.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (stampDays.size >= 4_096) stampDays.clear();
    stampDays.set(day, text);
  }
  return `${text} ${MINUTES_OF_DAY[Math.floor((ms - day * DAY_MS) / 60_000)]}`;
}

const DAY_MS = 86_400_000;
const stampDays = new Map<number, string>();
const MINUTES_OF_DAY = Array.from(
  { length: 1_440 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`,
);

/** A calendar date "YYYY-MM-DD" moved by whole days. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const timeFormat = perLanguage(
  (lng) =>
    new Intl.DateTimeFormat(dateLocale(lng), {
      timeZone: TIME_ZONE,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }),
);

/** "14:35" in Shanghai. */
export function formatTime(date: Date | string, lng: string) {
  return timeFormat(lng).format(new Date(date));
}

/** The same calendar day in Shanghai. */
export function sameShanghaiDay(a: Date | string, b: Date | string) {
  return shanghaiToday(new Date(a)) === shanghaiToday(new Date(b));
}
