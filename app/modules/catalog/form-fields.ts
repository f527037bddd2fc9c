import { z } from "zod";
import { decimalNumber } from "~/lib/decimal";

// Zod building blocks shared by the catalog's admin forms (browser and server).
// Messages are i18n keys, optionally "key|{json values}" (see useErrorText).

export const tooLong = (max: number) => `catalog.errors.tooLong|${JSON.stringify({ max })}`;

/**
 * A required text: trimmed, at least one character. A blank field (which Conform sends as
 * nothing) becomes "" rather than a type error, so that the form's cross-field rules still
 * run and every error shows at once.
 */
export const requiredText = (max: number, requiredKey: string) =>
  z.string().trim().min(1, requiredKey).max(max, tooLong(max)).default("");

/**
 * An optional text: blank becomes null, so clearing a field clears the column. Line ends
 * become "\n" (browsers send a textarea's as "\r\n").
 */
export const optionalText = (max: number) =>
  z
    .string()
    .transform((value) => value.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max, tooLong(max)))
    .optional()
    .transform((value) => value || null);

/** A whole number within a range; a blank field is "required" or undefined when optional. */
export const wholeNumber = (min: number, max: number, rangeKey: string, requiredKey = "catalog.errors.required") =>
  decimalNumber(
    z
      .number({ invalid_type_error: "catalog.errors.wholeNumber", required_error: requiredKey })
      .int("catalog.errors.wholeNumber")
      .min(min, rangeKey)
      .max(max, rangeKey),
  );

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** A calendar date as "YYYY-MM-DD" (what <input type="date"> sends). */
export const isoDate = (requiredKey = "catalog.errors.required") =>
  z
    .string({ required_error: requiredKey })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "catalog.errors.dateInvalid")
    .refine(isRealDate, "catalog.errors.dateInvalid");

/** Conform sends an unticked checkbox as nothing. */
export const checkbox = z.boolean().default(false);
