import { shippingFen, type DeliveryMethod, type ShippingRates } from "./shipping";

// Subtotal, shipping and total per shop for the chosen deliveries. Pure, so the checkout
// page computes the same summary in the browser as the server does when placing the order.

export interface QuotableGroup {
  shopId: string;
  /** Goods to deliver; a group of experiences only is visited (VISIT), not shipped. */
  hasGoods: boolean;
  rates: ShippingRates;
  goodsSubtotalFen: number;
  subtotalFen: number;
}

export interface GroupQuote {
  shopId: string;
  delivery: DeliveryMethod;
  subtotalFen: number;
  shippingFen: number;
  totalFen: number;
}

/** HOME when a group with goods has no delivery chosen yet. */
export function quote(
  groups: QuotableGroup[],
  choices: Partial<Record<string, DeliveryMethod>>,
): { shops: GroupQuote[]; totalFen: number } {
  const shops = groups.map((g) => {
    const delivery: DeliveryMethod = g.hasGoods ? (choices[g.shopId] ?? "HOME") : "VISIT";
    const shipping = shippingFen(g.rates, delivery, g.goodsSubtotalFen);
    return {
      shopId: g.shopId,
      delivery,
      subtotalFen: g.subtotalFen,
      shippingFen: shipping,
      totalFen: g.subtotalFen + shipping,
    };
  });
  return { shops, totalFen: shops.reduce((sum, s) => sum + s.totalFen, 0) };
}
