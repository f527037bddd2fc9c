// A shipment's states and what each partner event does to them (issue #10). Pure: shared by
// the server, the pages and the partner API's schemas.

export const SHIPMENT_STATUSES = [
  "UNASSIGNED",
  "ASSIGNED",
  "ACCEPTED",
  "PICKED_UP",
  "AT_HUB",
  "OUT_FOR_DELIVERY",
  "IN_LOCKER",
  "DELIVERED",
  "FAILED",
  "RETURNED",
  "CANCELLED",
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** What a partner reports, through the API or the portal. */
export const PARTNER_EVENT_TYPES = [
  "picked_up",
  "at_hub",
  "out_for_delivery",
  "in_locker",
  "delivered",
  "failed",
  "returned",
] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

export const STATUS_OF_EVENT: Record<PartnerEventType, ShipmentStatus> = {
  picked_up: "PICKED_UP",
  at_hub: "AT_HUB",
  out_for_delivery: "OUT_FOR_DELIVERY",
  in_locker: "IN_LOCKER",
  delivered: "DELIVERED",
  failed: "FAILED",
  returned: "RETURNED",
};

/** No event moves a shipment out of these. */
export const FINAL_STATUSES: readonly ShipmentStatus[] = ["DELIVERED", "RETURNED", "CANCELLED"];

/** Still with the cooperative: a refund or cancellation now cancels the shipment. */
export function beforePickup(status: ShipmentStatus): boolean {
  return status === "UNASSIGNED" || status === "ASSIGNED" || status === "ACCEPTED";
}

/** With a partner and not yet final: the partner may report on it. */
export function partnerMayReport(status: ShipmentStatus): boolean {
  return !FINAL_STATUSES.includes(status) && status !== "UNASSIGNED";
}

/**
 * The status after an event. Events can arrive out of order (a phone offline for an hour, a
 * retried request): an event older than the latest one applied is kept in the timeline but
 * does not move the status back; a final status is never left, except that a failed delivery
 * ends in RETURNED whenever the goods come back.
 */
export function statusAfter(
  current: ShipmentStatus,
  lastEventAt: Date | null,
  event: { type: PartnerEventType; at: Date },
): ShipmentStatus {
  const next = STATUS_OF_EVENT[event.type];
  if (current === "CANCELLED" || current === "UNASSIGNED") return current;
  if (event.type === "returned") return current === "DELIVERED" || current === "RETURNED" ? current : next;
  if (FINAL_STATUSES.includes(current)) return current;
  if (lastEventAt && event.at < lastEventAt) return current;
  return next;
}

/** Events the buyer is told of (the notification transport). */
export const BUYER_NOTIFIED_EVENTS: readonly PartnerEventType[] = ["picked_up", "in_locker", "delivered", "failed"];
