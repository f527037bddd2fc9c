import { z } from "zod";
import { yuanAmount } from "~/modules/orders/admin-forms";
import { MAX_PERIOD_DAYS } from "./period";

// The platform admin's payout forms (browser and server). Messages are i18n keys.

const isoDate = z
  .string({ required_error: "money.errors.periodInvalid" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "money.errors.periodInvalid")
  .refine((iso) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
  }, "money.errors.periodInvalid");

export const bankPayoutSchema = z
  .object({
    intent: z.literal("bank"),
    amount: yuanAmount,
    reference: z
      .string({ required_error: "money.errors.referenceRequired" })
      .trim()
      .min(1, "money.errors.referenceRequired")
      .max(100, "money.errors.referenceTooLong"),
    from: isoDate,
    to: isoDate,
    key: z.string().regex(/^[a-f0-9]{16,64}$/, "money.errors.formExpired"),
  })
  .superRefine((value, ctx) => {
    if (value.from > value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "money.errors.periodOrder" });
    const days = (Date.parse(`${value.to}T00:00:00Z`) - Date.parse(`${value.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: "money.errors.periodTooLong" });
  });

/** The platform admin records money received from the cooperative (what it owed the platform). */
export const shopPaymentSchema = z.object({
  intent: z.literal("shopPayment"),
  amount: yuanAmount,
  reference: z
    .string({ required_error: "money.errors.referenceRequired" })
    .trim()
    .min(1, "money.errors.referenceRequired")
    .max(100, "money.errors.referenceTooLong"),
  key: z.string().regex(/^[a-f0-9]{16,64}$/, "money.errors.formExpired"),
});

export const stripeAccountSchema = z.object({
  intent: z.literal("stripeAccount"),
  stripeAccountId: z
    .string()
    .trim()
    .regex(/^(acct_[A-Za-z0-9]{6,60})?$/, "money.errors.stripeAccountInvalid")
    .optional()
    .transform((value) => value || null),
});

/** The platform admin records that a logistics partner paid in cash on delivery it held for the shop (issue #10). */
export const codRemittanceSchema = z.object({
  intent: z.literal("codRemittance"),
  partnerId: z.string().min(1).max(40),
  amount: yuanAmount,
  reference: z
    .string()
    .trim()
    .max(100, "money.errors.referenceTooLong")
    .optional()
    .transform((value) => value || null),
  key: z.string().regex(/^[a-f0-9]{16,64}$/, "money.errors.formExpired"),
});
