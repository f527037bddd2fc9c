import { z } from "zod";
import { parseIdentifier } from "~/modules/identity/identifier";
import { decimalNumber } from "~/lib/decimal";

// The checkout form, checked the same way in the browser (Conform) and on the server.
// Messages are i18n keys in the checkout area.

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "checkout.errors.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined));

export const mobileField = z
  .string({ required_error: "checkout.errors.phoneRequired" })
  .trim()
  .min(1, "checkout.errors.phoneRequired")
  .transform((value, ctx) => {
    const id = parseIdentifier(value);
    if (!id || id.kind !== "phone") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "checkout.errors.phoneInvalid" });
      return z.NEVER;
    }
    return id.value;
  });

export const shopDeliverySchema = z
  .object({
    shopId: z.string().min(1).max(40),
    delivery: z.enum(["HOME", "PICKUP_POINT", "LOCKER"], {
      errorMap: () => ({ message: "checkout.errors.deliveryRequired" }),
    }),
    addressRegion: text(60),
    addressLine: text(200),
    pickupPointId: text(40),
    note: text(200),
  })
  .superRefine((shop, ctx) => {
    if (shop.delivery === "HOME") {
      if (!shop.addressRegion)
        ctx.addIssue({ code: "custom", path: ["addressRegion"], message: "checkout.errors.regionRequired" });
      if (!shop.addressLine)
        ctx.addIssue({ code: "custom", path: ["addressLine"], message: "checkout.errors.addressRequired" });
    } else if (!shop.pickupPointId) {
      ctx.addIssue({ code: "custom", path: ["pickupPointId"], message: "checkout.errors.pickupRequired" });
    }
  });

export const visitorsSchema = z.object({
  lineId: z.string().min(1).max(40),
  /** One name per visitor, separated by commas, 、 or new lines. */
  names: z
    .string({ required_error: "checkout.errors.visitorsRequired" })
    .trim()
    .min(1, "checkout.errors.visitorsRequired")
    .max(500, "checkout.errors.tooLong")
    .transform((value) =>
      value
        .split(/[,，、;；\n]+/)
        .map((name) => name.trim())
        .filter(Boolean),
    ),
});

export const checkoutSchema = z.object({
  contactName: z
    .string({ required_error: "checkout.errors.nameRequired" })
    .trim()
    .min(1, "checkout.errors.nameRequired")
    .max(40, "checkout.errors.tooLong"),
  contactPhone: mobileField,
  shops: z.array(shopDeliverySchema).max(50).default([]),
  visitors: z.array(visitorsSchema).max(100).default([]),
  provider: z.enum(["STRIPE", "OFFLINE"], { errorMap: () => ({ message: "checkout.errors.providerRequired" }) }),
  offlineMethod: z.enum(["COD", "BANK_TRANSFER"]).optional(),
  /** One per rendering of the form: a second press of "place order" finds the first order. */
  checkoutKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "checkout.errors.formExpired"),
  /** The buyer's city or district for pickup points and lockers (issue #10): those of its partners' networks are offered. */
  pickupRegion: text(60),
  /** The total the buyer saw; a different total now is a change to show, not to charge. */
  expectedTotalFen: decimalNumber(z.number().int().min(0)),
  /**
   * The deliveries that total was computed for, "shopId:HOME,shopId:LOCKER" (issue #13). Without
   * JavaScript the page's total stays the one it was rendered with while the buyer picks another
   * delivery (whose fee is shown beside it): the buyer's own choice is not a change.
   */
  quotedDeliveries: z.string().max(2000).optional(),
});

export type CheckoutInput = z.infer<typeof checkoutSchema>;
export type ShopDeliveryInput = z.infer<typeof shopDeliverySchema>;
