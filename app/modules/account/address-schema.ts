import { z } from "zod";
import { mobileField } from "~/modules/checkout/checkout-schema";

// A saved address, checked the same way in the browser (Conform) and on the server.
// Messages are i18n keys; the mobile rule is the checkout's.

const required = (max: number, key: string) =>
  z.string({ required_error: key }).trim().min(1, key).max(max, "account.addresses.errors.tooLong");

export const addressSchema = z.object({
  recipientName: required(40, "account.addresses.errors.nameRequired"),
  phone: mobileField,
  region: required(60, "checkout.errors.regionRequired"),
  line: required(200, "checkout.errors.addressRequired"),
  isDefault: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "1" || v === "true"),
});

export type AddressInput = z.infer<typeof addressSchema>;
