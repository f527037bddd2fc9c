import { z } from "zod";

// The portal's forms (issue #10), one schema for the browser and the server: a stop collected,
// and a parcel delivered / failed (reason required) / in a locker (code required) / returned.
// The nonce comes with the page: a double press sends the same one, so it is one event.

const nonce = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const collectFormSchema = z.object({ intent: z.literal("collect") });

const base = { intent: z.literal("event"), shipmentId: z.string().min(1).max(64), nonce };

export const portalEventFormSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("delivered") }),
  z.object({ ...base, type: z.literal("returned") }),
  z.object({
    ...base,
    type: z.literal("failed"),
    reason: z
      .string({ required_error: "portal.shipment.errors.reasonRequired" })
      .trim()
      .min(1, "portal.shipment.errors.reasonRequired")
      .max(500, "portal.shipment.errors.tooLong"),
  }),
  z.object({
    ...base,
    type: z.literal("in_locker"),
    lockerCode: z
      .string({ required_error: "portal.shipment.errors.lockerCodeRequired" })
      .trim()
      .min(1, "portal.shipment.errors.lockerCodeRequired")
      .regex(/^[A-Za-z0-9]{4,12}$/, "portal.shipment.errors.lockerCodeInvalid"),
  }),
]);
export type PortalEventForm = z.infer<typeof portalEventFormSchema>;

/** The event's id: the form's nonce, so the same form sent twice is recorded once. */
export function portalEventId(form: { type: string; nonce: string }): string {
  return `portal:${form.type}:${form.nonce}`;
}
