// What the county dashboard's server code and its page share (no server-only imports here).

export const STAGES = ["paidToPacked", "packedToHandedOver", "handedOverToDelivered"] as const;
export type Stage = (typeof STAGES)[number];

export const TOP_PRODUCTS = 20;
export const TOP_PICKUP_POINTS = 10;
export const TOP_BATCHES = 20;

/** a / b in percent with one decimal; null when b is 0. */
export const pct = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : null);
