import { z } from "zod";
import { decimalNumber } from "~/lib/decimal";

// The batch form, checked the same way in the browser (Conform) and on the server.
// Messages are i18n keys under "batches.errors"; "key|{json}" carries values.

export const INPUT_KINDS = ["FERTILISER", "PESTICIDE", "VETERINARY_DRUG", "OTHER"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** What the producer promises on a 食用农产品承诺达标合格证. */
export const CERT_COMMITMENTS = [
  "NO_BANNED_PESTICIDES",
  "NO_ILLEGAL_ADDITIVES",
  "PESTICIDE_RESIDUE_COMPLIANT",
  "VETERINARY_DRUG_RESIDUE_COMPLIANT",
] as const;

/** How compliance is shown: self-check, a commissioned test, or internal quality control. */
export const CERT_BASES = ["SELF_CHECK", "COMMISSIONED_TEST", "INTERNAL_CONTROL"] as const;

/** Blank rows the form offers below the existing inputs, so that it works without JavaScript. */
export const EXTRA_INPUT_ROWS = 3;
export const MAX_INPUT_ROWS = 40;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-07-10" and a real calendar day (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const PHONE = /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;

const requiredText = (max: number, requiredKey: string) =>
  z
    .string({ required_error: requiredKey, invalid_type_error: requiredKey })
    .trim()
    .min(1, requiredKey)
    .max(max, `batches.errors.tooLong|{"max":${max}}`);
const optionalText = (max: number) => z.string().trim().max(max, `batches.errors.tooLong|{"max":${max}}`).optional();
const requiredDate = (requiredKey: string) =>
  z.string({ required_error: requiredKey }).trim().refine(isIsoDate, "batches.errors.dateInvalid");

const inputRowSchema = z
  .object({
    kind: z.enum(INPUT_KINDS, { errorMap: () => ({ message: "batches.errors.inputKindRequired" }) }).optional(),
    nameZh: optionalText(120),
    nameEn: optionalText(120),
    appliedOn: z.string().trim().optional(),
    safetyIntervalDays: decimalNumber(
      z
        .number({ invalid_type_error: "batches.errors.intervalInvalid" })
        .int("batches.errors.intervalInvalid")
        .min(0, "batches.errors.intervalInvalid")
        .max(365, "batches.errors.intervalInvalid"),
    ).optional(),
  })
  .superRefine((row, ctx) => {
    if (isBlankRow(row)) return;
    const issue = (field: keyof typeof row, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    if (!row.kind) issue("kind", "batches.errors.inputKindRequired");
    if (!row.nameZh) issue("nameZh", "batches.errors.inputNameRequired");
    if (!row.appliedOn) issue("appliedOn", "batches.errors.appliedOnRequired");
    else if (!isIsoDate(row.appliedOn)) issue("appliedOn", "batches.errors.dateInvalid");
    if (row.kind === "PESTICIDE" && row.safetyIntervalDays === undefined)
      issue("safetyIntervalDays", "batches.errors.intervalRequired");
  });

type InputRow = z.infer<typeof inputRowSchema>;

/** A row left completely empty (the form's spare rows) is ignored, not an error. */
function isBlankRow(row: InputRow | undefined): boolean {
  return !row || (!row.kind && !row.nameZh && !row.nameEn && !row.appliedOn && row.safetyIntervalDays === undefined);
}

export const batchSchema = z
  .object({
    productNameZh: requiredText(120, "batches.errors.productNameRequired"),
    productNameEn: optionalText(120),
    harvestDate: requiredDate("batches.errors.harvestDateRequired"),
    originPlotZh: requiredText(200, "batches.errors.originPlotRequired"),
    originPlotEn: optionalText(200),
    quantity: decimalNumber(
      z
        .number({
          required_error: "batches.errors.quantityRequired",
          invalid_type_error: "batches.errors.quantityInvalid",
        })
        .int("batches.errors.quantityInvalid")
        .min(1, "batches.errors.quantityInvalid")
        .max(1_000_000_000, "batches.errors.quantityInvalid"),
    ),
    quantityUnit: requiredText(10, "batches.errors.unitRequired"),
    testReportZh: optionalText(1000),
    testReportEn: optionalText(1000),
    testedAt: z.string().trim().refine(isIsoDate, "batches.errors.dateInvalid").optional(),
    testedBy: optionalText(120),
    certProducer: requiredText(120, "batches.errors.producerRequired"),
    certContactPhone: z
      .string({ required_error: "batches.errors.phoneRequired" })
      .transform((phone) => phone.replace(/\s+/g, "").replace(/^\+?86(?=1\d{10}$)/, ""))
      .refine((phone) => PHONE.test(phone), "batches.errors.phoneInvalid"),
    certOrigin: requiredText(200, "batches.errors.certOriginRequired"),
    certIssuedOn: requiredDate("batches.errors.issuedOnRequired"),
    certCommitments: z
      .array(z.enum(CERT_COMMITMENTS), { required_error: "batches.errors.commitmentsRequired" })
      .min(1, "batches.errors.commitmentsRequired"),
    certBasis: z.enum(CERT_BASES).optional(),
    products: z.array(z.string().max(40)).max(200).default([]),
    inputs: z.array(inputRowSchema.optional()).max(MAX_INPUT_ROWS).default([]),
  })
  .superRefine((batch, ctx) => {
    // Food safety: nothing may be harvested inside a pesticide's (or drug's) safety interval.
    batch.inputs.forEach((row, i) => {
      if (
        !row ||
        isBlankRow(row) ||
        row.safetyIntervalDays === undefined ||
        !row.appliedOn ||
        !isIsoDate(row.appliedOn)
      )
        return;
      const days = daysBetween(row.appliedOn, batch.harvestDate);
      if (days < row.safetyIntervalDays) {
        ctx.addIssue({
          code: "custom",
          path: ["inputs", i, "appliedOn"],
          message: `batches.errors.withinSafetyInterval|${JSON.stringify({ days, interval: row.safetyIntervalDays })}`,
        });
      }
    });
  })
  .transform((batch) => ({
    ...batch,
    products: [...new Set(batch.products)],
    inputs: batch.inputs.flatMap((row) =>
      row && !isBlankRow(row)
        ? [
            {
              kind: row.kind!,
              nameZh: row.nameZh!,
              nameEn: row.nameEn,
              appliedOn: row.appliedOn!,
              safetyIntervalDays: row.safetyIntervalDays,
            },
          ]
        : [],
    ),
  }));

export type BatchValues = z.output<typeof batchSchema>;
export type BatchInputValues = BatchValues["inputs"][number];

/** The form's fields as strings, for its default values. */
export interface BatchFormDefaults {
  productNameZh?: string;
  productNameEn?: string;
  harvestDate?: string;
  originPlotZh?: string;
  originPlotEn?: string;
  quantity?: string;
  quantityUnit?: string;
  testReportZh?: string;
  testReportEn?: string;
  testedAt?: string;
  testedBy?: string;
  certProducer?: string;
  certContactPhone?: string;
  certOrigin?: string;
  certIssuedOn?: string;
  certCommitments?: string[];
  certBasis?: string;
  products?: string[];
  inputs?: { kind?: string; nameZh?: string; nameEn?: string; appliedOn?: string; safetyIntervalDays?: string }[];
}
