// The one state machine of a shop order (issue #5). Every change of status goes through
// `assertTransition`, so a move the business does not allow cannot be written anywhere.

export const SHOP_ORDER_STATUSES = [
  "AWAITING_PAYMENT",
  "ACCEPTED",
  "PAID",
  "PACKED",
  "HANDED_OVER",
  "DELIVERED",
  "CANCELLED",
  "REFUNDED",
] as const;
export type ShopOrderStatus = (typeof SHOP_ORDER_STATUSES)[number];

// 货到付款 (issue #10): a cash-on-delivery shop order is ACCEPTED by the cooperative instead of
// paid (its goods are kept, it no longer expires), packed from there, and paid at delivery when
// the partner reports the cash. Its goods coming back after a failed delivery cancel it
// (HANDED_OVER → CANCELLED): the callers allow that for unpaid cash-on-delivery orders only.
const NEXT: Record<ShopOrderStatus, readonly ShopOrderStatus[]> = {
  AWAITING_PAYMENT: ["PAID", "ACCEPTED", "CANCELLED"],
  ACCEPTED: ["PACKED", "CANCELLED"],
  PAID: ["PACKED", "REFUNDED"],
  PACKED: ["HANDED_OVER", "REFUNDED"],
  HANDED_OVER: ["DELIVERED", "REFUNDED", "CANCELLED"],
  DELIVERED: ["REFUNDED"],
  CANCELLED: [],
  REFUNDED: [],
};

export function canMove(from: ShopOrderStatus, to: ShopOrderStatus): boolean {
  return NEXT[from].includes(to);
}

export class TransitionError extends Error {
  constructor(
    readonly from: ShopOrderStatus,
    readonly to: ShopOrderStatus,
  ) {
    super(`A shop order cannot move from ${from} to ${to}`);
    this.name = "TransitionError";
  }
}

export function assertTransition(from: ShopOrderStatus, to: ShopOrderStatus): void {
  if (!canMove(from, to)) throw new TransitionError(from, to);
}

/** The timestamp column each status sets when entered. */
export const STATUS_TIMESTAMP: Partial<
  Record<ShopOrderStatus, "paidAt" | "packedAt" | "handedOverAt" | "deliveredAt" | "cancelledAt">
> = {
  PAID: "paidAt",
  PACKED: "packedAt",
  HANDED_OVER: "handedOverAt",
  DELIVERED: "deliveredAt",
  CANCELLED: "cancelledAt",
};

/** Goods are still with the cooperative: refunded quantities can go back to stock. */
export function goodsStillHere(status: ShopOrderStatus): boolean {
  return status === "AWAITING_PAYMENT" || status === "ACCEPTED" || status === "PAID" || status === "PACKED";
}

/** The progress steps a buyer's tracking page shows, in order. */
export const TRACKING_STEPS: readonly ShopOrderStatus[] = [
  "AWAITING_PAYMENT",
  "PAID",
  "PACKED",
  "HANDED_OVER",
  "DELIVERED",
];

/** A cash-on-delivery order: offline, paid at the door (not a bank transfer). */
export function isCashOnDelivery(order: { provider: string; offlineMethod: string | null }): boolean {
  return order.provider === "OFFLINE" && order.offlineMethod === "COD";
}
