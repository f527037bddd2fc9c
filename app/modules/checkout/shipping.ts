// What one shop order costs to deliver. Experiences are visited, not shipped.

export type DeliveryMethod = "HOME" | "PICKUP_POINT" | "LOCKER" | "VISIT";

export interface ShippingRates {
  shippingHomeFen: number;
  shippingPickupFen: number;
  freeShippingFromFen: number | null;
}

export function shippingFen(rates: ShippingRates, delivery: DeliveryMethod, goodsSubtotalFen: number): number {
  if (delivery === "VISIT" || goodsSubtotalFen === 0) return 0;
  if (rates.freeShippingFromFen !== null && goodsSubtotalFen >= rates.freeShippingFromFen) return 0;
  return delivery === "HOME" ? rates.shippingHomeFen : rates.shippingPickupFen;
}
