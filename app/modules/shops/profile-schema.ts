import { z } from "zod";
import type { CertificationKind } from "~/generated/prisma/enums";
import { isValidCreditCode } from "~/modules/tenancy/credit-code";
import { isReservedSlug, SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from "./slug-rules";

// The shop profile form, validated with the same schema in the browser and on the server.
// Messages are i18n keys ("key|{json values}" where they need a number).

export const CERTIFICATION_KINDS = [
  "GEOGRAPHIC_INDICATION",
  "GREEN_FOOD",
  "ORGANIC",
  "POLLUTION_FREE",
  "COMPLIANCE_CERTIFICATE",
  "OTHER",
] as const satisfies readonly CertificationKind[];

export const MAX_CERTIFICATIONS = 10;

const tooLong = (max: number) => `shopsetup.errors.tooLong|${JSON.stringify({ max })}`;
const optionalText = (max: number) => z.string().trim().max(max, tooLong(max)).optional();
const requiredText = (max: number, required: string) =>
  z.string({ required_error: required }).trim().min(1, required).max(max, tooLong(max));

/** A mainland mobile (13800138000) or a landline with its area code (0510-87654321); null when neither. */
export function normalizeContactPhone(input: string): string | null {
  const compact = input.trim().replace(/[\s()（）]/g, "");
  const mobile = compact.replace(/-/g, "").replace(/^(\+?86)(?=1\d{10}$)/, "");
  if (/^1[3-9]\d{9}$/.test(mobile)) return mobile;
  const landline = compact.replace(/^\+?86-?(?=[1-9])/, "0");
  if (/^0\d{2,3}-\d{7,8}$/.test(landline) || /^0\d{9,11}$/.test(landline)) return landline;
  return null;
}

export function normalizeCreditCode(input: string): string {
  return input.replace(/\s/g, "").toUpperCase();
}

export const slugField = z
  .string()
  .trim()
  .toLowerCase()
  .min(SLUG_MIN, "shopsetup.errors.slugFormat")
  .max(SLUG_MAX, "shopsetup.errors.slugFormat")
  .regex(SLUG_PATTERN, "shopsetup.errors.slugFormat")
  .refine((slug) => !isReservedSlug(slug), "shopsetup.errors.slugReserved");

const certificationRow = z
  .object({
    id: z.string().max(40).optional(),
    kind: z
      .enum(CERTIFICATION_KINDS, { errorMap: () => ({ message: "shopsetup.errors.certKindRequired" }) })
      .optional(),
    nameZh: optionalText(60),
    nameEn: optionalText(120),
    number: optionalText(60),
  })
  .superRefine((row, ctx) => {
    if (isBlankRow(row)) return;
    if (!row.kind) ctx.addIssue({ code: "custom", path: ["kind"], message: "shopsetup.errors.certKindRequired" });
    if (!row.nameZh) ctx.addIssue({ code: "custom", path: ["nameZh"], message: "shopsetup.errors.certNameRequired" });
  });

function isBlankRow(row: { kind?: string; nameZh?: string; nameEn?: string; number?: string } | undefined) {
  return !row || (!row.kind && !row.nameZh && !row.nameEn && !row.number);
}

export const shopProfileSchema = z.object({
  nameZh: requiredText(60, "shopsetup.errors.nameRequired"),
  nameEn: optionalText(120),
  countyId: z.string({ required_error: "shopsetup.errors.countyRequired" }).max(40),
  townZh: optionalText(40),
  townEn: optionalText(80),
  villageZh: requiredText(40, "shopsetup.errors.villageRequired"),
  villageEn: optionalText(80),
  taglineZh: optionalText(60),
  taglineEn: optionalText(120),
  storyZh: optionalText(2000),
  storyEn: optionalText(4000),
  contactName: requiredText(40, "shopsetup.errors.contactNameRequired"),
  contactPhone: z
    .string({ required_error: "shopsetup.errors.contactPhoneRequired" })
    .refine((value) => normalizeContactPhone(value) !== null, "shopsetup.errors.contactPhoneInvalid")
    .transform((value) => normalizeContactPhone(value)!),
  contactEmail: z
    .string()
    .trim()
    .toLowerCase()
    .email("shopsetup.errors.emailInvalid")
    .max(254, tooLong(254))
    .optional(),
  creditCode: z
    .string()
    .transform(normalizeCreditCode)
    .refine(isValidCreditCode, "shopsetup.errors.creditCodeInvalid")
    .optional(),
  certifications: z
    .array(certificationRow.optional())
    .max(MAX_CERTIFICATIONS, `shopsetup.errors.tooManyCerts|${JSON.stringify({ max: MAX_CERTIFICATIONS })}`)
    .default([])
    // Rows left blank are not certifications (the form shows an empty row to fill in).
    .transform((rows) =>
      rows.flatMap((row) => (row && !isBlankRow(row) ? [{ ...row, kind: row.kind!, nameZh: row.nameZh! }] : [])),
    ),
});

/** Creating a shop also chooses its slug (left empty: the server suggests one from the name). */
export const createShopSchema = shopProfileSchema.extend({ slug: slugField.optional() });

export type ShopProfileInput = z.output<typeof shopProfileSchema>;
export type CertificationInput = ShopProfileInput["certifications"][number];
