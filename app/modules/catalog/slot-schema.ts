import { z } from "zod";
import { isoDate, wholeNumber } from "./form-fields";
import { decimalNumber } from "~/lib/decimal";

// Forms for an experience's time slots. Dates and times are Asia/Shanghai wall-clock.

export const MAX_WEEKS = 26;
export const MAX_TIMES_PER_DAY = 12;
/** Monday first, as Chinese calendars show it; values are JavaScript's getUTCDay (0 = Sunday). */
export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;

const capacity = wholeNumber(1, 10_000, "catalog.errors.capacityRange", "catalog.errors.capacityRequired");

/** "9:00" or "09：00" → "09:00"; null when it is not a time of day. */
export function normaliseTime(text: string): string | null {
  const match = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/.exec(text.trim());
  return match ? `${match[1]!.padStart(2, "0")}:${match[2]}` : null;
}

const timeOfDay = z.string({ required_error: "catalog.errors.timeRequired" }).transform((text, ctx) => {
  const time = normaliseTime(text);
  if (time) return time;
  ctx.addIssue({ code: "custom", message: "catalog.errors.timeInvalid" });
  return z.NEVER;
});

/** "09:00, 14:00" (commas, spaces or 、 between) → ["09:00", "14:00"], sorted and without repeats. */
const timesOfDay = z.string({ required_error: "catalog.errors.timesRequired" }).transform((text, ctx) => {
  const parts = text.split(/[\s,，、;；]+/).filter(Boolean);
  const times: string[] = [];
  for (const part of parts) {
    const time = normaliseTime(part);
    if (!time) {
      ctx.addIssue({ code: "custom", message: `catalog.errors.timesInvalid|${JSON.stringify({ value: part })}` });
      return z.NEVER;
    }
    if (!times.includes(time)) times.push(time);
  }
  if (times.length === 0) {
    ctx.addIssue({ code: "custom", message: "catalog.errors.timesRequired" });
    return z.NEVER;
  }
  if (times.length > MAX_TIMES_PER_DAY) {
    ctx.addIssue({
      code: "custom",
      message: `catalog.errors.timesTooMany|${JSON.stringify({ max: MAX_TIMES_PER_DAY })}`,
    });
    return z.NEVER;
  }
  return times.sort();
});

export const slotCreateSchema = z.object({
  date: isoDate("catalog.errors.dateRequired"),
  time: timeOfDay,
  capacity,
});

export const slotBulkSchema = z.object({
  weekdays: z
    .array(decimalNumber(z.number().int().min(0).max(6)), { required_error: "catalog.errors.weekdaysRequired" })
    .min(1, "catalog.errors.weekdaysRequired"),
  times: timesOfDay,
  fromDate: isoDate("catalog.errors.dateRequired"),
  weeks: wholeNumber(1, MAX_WEEKS, "catalog.errors.weeksRange", "catalog.errors.weeksRequired"),
  capacity,
});

export const slotCapacitySchema = z.object({ slotId: z.string().min(1), capacity });
export const slotDeleteSchema = z.object({ slotId: z.string().min(1) });
