import type { ShipmentStatus } from "./shipment-status";

// The cooperative's order list filters by where the parcels are (issue #10). Pure: the page's
// select and the loader share it.

export const SHIPMENT_FILTERS = ["waiting", "withPartner", "onTheRoad", "delivered", "failed"] as const;
export type ShipmentFilter = (typeof SHIPMENT_FILTERS)[number];

export const STATUSES_OF_FILTER: Record<ShipmentFilter, readonly ShipmentStatus[]> = {
  /** No partner has taken it yet: the county has still to assign one, or the partner to accept. */
  waiting: ["UNASSIGNED", "ASSIGNED"],
  /** A partner has it: accepted (to be collected), collected, at its hub. */
  withPartner: ["ACCEPTED", "PICKED_UP", "AT_HUB"],
  onTheRoad: ["OUT_FOR_DELIVERY", "IN_LOCKER"],
  delivered: ["DELIVERED"],
  failed: ["FAILED", "RETURNED"],
};

export function shipmentFilterOf(value: string | null): ShipmentFilter | undefined {
  return (SHIPMENT_FILTERS as readonly string[]).includes(value ?? "") ? (value as ShipmentFilter) : undefined;
}

/** A shipment a partner carries: the partner's events move the shop order, not the cooperative's buttons. */
export function partnerCarries(shipment: { partnerId: string | null; status: ShipmentStatus } | null): boolean {
  return shipment !== null && shipment.partnerId !== null && shipment.status !== "CANCELLED";
}
