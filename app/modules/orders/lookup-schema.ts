import { z } from "zod";
import { mobileField } from "~/modules/checkout/checkout-schema";

// The "find an order" form: the order's number and the mobile given at checkout.
export const lookupSchema = z.object({
  number: z
    .string({ required_error: "checkout.lookup.numberInvalid" })
    .trim()
    .min(1, "checkout.lookup.numberInvalid")
    .max(40, "checkout.lookup.numberInvalid"),
  phone: mobileField,
});
