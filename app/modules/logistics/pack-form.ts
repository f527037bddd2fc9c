import { z } from "zod";
import { decimalNumber, parseDecimal } from "~/lib/decimal";

// The cooperative's "mark packed" form (issue #10): how many parcels, their weight in kg, cold
// chain or not. Shared by the browser and the server; messages are i18n keys (packing.errors.*).

export const MAX_PARCELS = 20;
export const MAX_WEIGHT_KG = 1000;

const FULL_WIDTH = /[０-９．]/g;

/**
 * "3.5", "３．５", "12" kg → grams (integer); null for anything else. Decimal digits only (no
 * "1e3", no "0x10"), at most three decimals (a gram).
 */
export function parseKgToGrams(input: string): number | null {
  const text = input
    .trim()
    .replace(FULL_WIDTH, (c) => (c === "．" ? "." : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/\s*(kg|公斤|千克)$/i, "");
  const match = /^([0-9]{1,7})(?:\.([0-9]{1,3}))?$/.exec(text);
  if (!match) return null;
  const whole = parseDecimal(match[1]);
  const fraction = parseDecimal((match[2] ?? "").padEnd(3, "0"));
  if (whole === null || fraction === null) return null;
  return whole * 1000 + fraction;
}

/** Grams as the kg a person types ("3.5"). */
export function gramsToKgInput(grams: number): string {
  return String(grams / 1000);
}

export const packSchema = z.object({
  intent: z.literal("pack"),
  parcels: decimalNumber(
    z
      .number({ required_error: "packing.errors.parcelsRequired", invalid_type_error: "packing.errors.parcelsInvalid" })
      .int("packing.errors.parcelsInvalid")
      .min(1, "packing.errors.parcelsRange")
      .max(MAX_PARCELS, "packing.errors.parcelsRange"),
  ),
  weight: z.string({ required_error: "packing.errors.weightRequired" }).transform((text, ctx) => {
    if (text.trim() === "") {
      ctx.addIssue({ code: "custom", message: "packing.errors.weightRequired" });
      return z.NEVER;
    }
    const grams = parseKgToGrams(text);
    if (grams === null) {
      ctx.addIssue({ code: "custom", message: "packing.errors.weightInvalid" });
      return z.NEVER;
    }
    if (grams <= 0 || grams > MAX_WEIGHT_KG * 1000) {
      ctx.addIssue({ code: "custom", message: "packing.errors.weightRange" });
      return z.NEVER;
    }
    return grams;
  }),
  /** A checkbox: present ("on") or absent. */
  coldChain: z
    .string()
    .optional()
    .transform((value) => value === "on" || value === "true"),
});

export type PackForm = z.infer<typeof packSchema>;
