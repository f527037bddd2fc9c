import { z } from "zod";
import { brandContrast, formatRatio, MIN_CONTRAST } from "./contrast";

// The branding forms' schemas, used by the server and, through Conform, by the browser.

export const HEX_COLOUR = /^#[0-9a-f]{6}$/;

/**
 * A colour comes as a picker and a hex text box. Without JavaScript they are not kept in
 * step, so the one the owner changed wins: the text if it differs from the saved colour
 * (`was`), else the picker.
 */
export function chosenColour(text: unknown, picker: unknown, was: unknown): string {
  const typed = typeof text === "string" ? text.trim().toLowerCase() : "";
  const normalisedTyped = typed && !typed.startsWith("#") ? `#${typed}` : typed;
  if (normalisedTyped && normalisedTyped !== was) return normalisedTyped;
  return typeof picker === "string" && picker ? picker.toLowerCase() : normalisedTyped;
}

const colour = (invalid: string) => z.string({ required_error: invalid }).regex(HEX_COLOUR, invalid);

function withMessageValues(key: string, values: Record<string, string>) {
  return `${key}|${JSON.stringify(values)}`;
}

export const coloursSchema = z.preprocess(
  (input) => {
    const form = (input ?? {}) as Record<string, unknown>;
    return {
      intent: form.intent,
      themePrimary: chosenColour(form.themePrimary, form.themePrimaryPicker, form.themePrimaryWas),
      themeAccent: chosenColour(form.themeAccent, form.themeAccentPicker, form.themeAccentWas),
    };
  },
  z
    .object({
      intent: z.literal("colours"),
      themePrimary: colour("media.branding.errors.colour"),
      themeAccent: colour("media.branding.errors.colour"),
    })
    .superRefine(({ themePrimary, themeAccent }, ctx) => {
      const ratios = brandContrast(themePrimary, themeAccent);
      const values = { min: String(MIN_CONTRAST) };
      if (ratios.primary < MIN_CONTRAST) {
        ctx.addIssue({
          code: "custom",
          path: ["themePrimary"],
          message: withMessageValues("media.branding.errors.primaryContrast", { ...values, ratio: formatRatio(ratios.primary) }),
        });
      }
      if (ratios.accent < MIN_CONTRAST) {
        ctx.addIssue({
          code: "custom",
          path: ["themeAccent"],
          message: withMessageValues("media.branding.errors.accentContrast", { ...values, ratio: formatRatio(ratios.accent) }),
        });
      }
    }),
);

/** A host name such as shop.example.cn: lower-case, no scheme, port or path. */
const HOST_NAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function normaliseDomain(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "")
    .replace(/\.$/, "");
}

export const domainSchema = z.object({
  intent: z.literal("domain"),
  customDomain: z
    .string()
    .max(260, "media.branding.errors.domainInvalid")
    .transform(normaliseDomain)
    .refine((host) => host === "" || HOST_NAME.test(host), "media.branding.errors.domainInvalid")
    .optional()
    .transform((host) => host || null),
});
