import { z } from "zod";

// Numbers typed into forms and URLs are decimal digits (with an optional leading minus), and
// nothing else: `Number()` — what z.coerce.number() and Conform's coercion use — also reads
// "0x10" as 16, "1e3" as 1000, "0b11" as 3 and " 12 " as 12. Shared by the browser and the server.

const DECIMAL = /^-?[0-9]{1,15}$/;

/** "12" → 12, "-3" → -3; "" → undefined (a blank field); anything else (a string, that is) → NaN, which z.number() refuses. */
export function decimalDigits(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "") return undefined;
  return DECIMAL.test(value) ? Number(value) : Number.NaN;
}

/** A form or query number that must be written in decimal digits; `number` carries the messages and the range. */
export function decimalNumber<T extends z.ZodTypeAny>(number: T) {
  // Typed with the number's own input, so that forms (Conform's field metadata) see a number field.
  return z.preprocess(decimalDigits, number) as unknown as z.ZodEffects<T, z.output<T>, z.input<T>>;
}

/** A query-string number in decimal digits, or null ("?page=0x2" is no page). */
export function parseDecimal(value: string | null | undefined): number | null {
  const parsed = decimalDigits(value ?? "");
  return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : null;
}
