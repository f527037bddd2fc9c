import { z } from "zod";
import { SLUG_MAX, SLUG_PATTERN } from "~/modules/shops/slug-rules";
import { checkbox, isoDate, optionalText, requiredText, wholeNumber } from "./form-fields";
import { decimalNumber } from "~/lib/decimal";

// The admin's product form: one zod schema per kind, joined as a discriminated union
// on `kind` (docs/decisions/004-data-model.md). Used in the browser (Conform) and on
// the server; field names are the Product columns they fill.

export const PRODUCT_KINDS = ["PRODUCE", "SPECIALTY", "EXPERIENCE"] as const;
export type ProductKindName = (typeof PRODUCT_KINDS)[number];
export const PRODUCT_STATUSES = ["DRAFT", "ACTIVE", "ARCHIVED"] as const;
export type ProductStatusName = (typeof PRODUCT_STATUSES)[number];

export function isProductKind(value: unknown): value is ProductKindName {
  return PRODUCT_KINDS.includes(value as ProductKindName);
}
export function isProductStatus(value: unknown): value is ProductStatusName {
  return PRODUCT_STATUSES.includes(value as ProductStatusName);
}

export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

const month = decimalNumber(
  z
    .number({ invalid_type_error: "catalog.errors.monthsInvalid" })
    .int("catalog.errors.monthsInvalid")
    .min(1, "catalog.errors.monthsInvalid")
    .max(12, "catalog.errors.monthsInvalid"),
);
const months = z
  .array(month, { invalid_type_error: "catalog.errors.monthsInvalid" })
  .max(12, "catalog.errors.monthsInvalid");
const shelfLifeDays = wholeNumber(1, 36500, "catalog.errors.shelfLifeRange").optional();

const base = {
  titleZh: requiredText(120, "catalog.errors.titleRequired"),
  titleEn: optionalText(120),
  /** Blank: suggested from the English title or the pinyin of the Chinese one. */
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .max(SLUG_MAX, "catalog.errors.slugInvalid")
    .regex(SLUG_PATTERN, "catalog.errors.slugInvalid")
    .optional(),
  summaryZh: optionalText(300),
  summaryEn: optionalText(300),
  /** Plain text (a small markdown subset at most); stored as typed, always rendered escaped. */
  descriptionZh: optionalText(5000),
  descriptionEn: optionalText(5000),
  status: z.enum(PRODUCT_STATUSES, { errorMap: () => ({ message: "catalog.errors.statusInvalid" }) }).default("DRAFT"),
  featured: checkbox,
  /** The season: required for fresh produce, optional for the others (e.g. new tea in April). */
  harvestMonths: months.default([]),
};

const geographicIndication = {
  giName: optionalText(80),
  giAuthNumber: optionalText(80),
};

const storage = {
  shelfLifeDays,
  storageZh: optionalText(300),
  storageEn: optionalText(300),
};

export const produceSchema = z.object({
  ...base,
  kind: z.literal("PRODUCE"),
  harvestMonths: months.min(1, "catalog.errors.harvestMonthsRequired"),
  coldChain: checkbox,
  ...storage,
  presale: checkbox,
  presaleYieldCap: wholeNumber(1, 100_000_000, "catalog.errors.yieldCapRange").optional(),
  presaleShipBy: isoDate().optional(),
  ...geographicIndication,
});

export const specialtySchema = z.object({
  ...base,
  kind: z.literal("SPECIALTY"),
  ...storage,
  ...geographicIndication,
});

export const experienceSchema = z.object({
  ...base,
  kind: z.literal("EXPERIENCE"),
  durationMinutes: wholeNumber(15, 60 * 24 * 14, "catalog.errors.durationRange", "catalog.errors.durationRequired"),
  meetingPointZh: requiredText(300, "catalog.errors.meetingPointRequired"),
  meetingPointEn: optionalText(300),
  includedZh: optionalText(1000),
  includedEn: optionalText(1000),
});

export type ProductForm =
  z.infer<typeof produceSchema> | z.infer<typeof specialtySchema> | z.infer<typeof experienceSchema>;

/** Rules across fields, for every kind: a pre-sale names its cap and ship-by date; a GI names both parts. */
function crossFieldRules(value: ProductForm, ctx: z.RefinementCtx) {
  if (value.kind === "PRODUCE" && value.presale) {
    if (value.presaleYieldCap === undefined) {
      ctx.addIssue({ code: "custom", path: ["presaleYieldCap"], message: "catalog.errors.presaleYieldCapRequired" });
    }
    if (value.presaleShipBy === undefined) {
      ctx.addIssue({ code: "custom", path: ["presaleShipBy"], message: "catalog.errors.presaleShipByRequired" });
    }
  }
  if (value.kind !== "EXPERIENCE") {
    if (value.giName && !value.giAuthNumber) {
      ctx.addIssue({ code: "custom", path: ["giAuthNumber"], message: "catalog.errors.giAuthRequired" });
    }
    if (value.giAuthNumber && !value.giName) {
      ctx.addIssue({ code: "custom", path: ["giName"], message: "catalog.errors.giNameRequired" });
    }
  }
}

/** The form for every kind, chosen by its `kind` field (a product never changes kind once created). */
export const productFormSchema = z
  .discriminatedUnion("kind", [produceSchema, specialtySchema, experienceSchema], {
    errorMap: () => ({ message: "catalog.errors.kindInvalid" }),
  })
  .superRefine(crossFieldRules);
