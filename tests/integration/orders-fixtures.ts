import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addToCart, cartIdOf } from "~/modules/cart/cart.cross-shop.server";
import type { CheckoutInput } from "~/modules/checkout/checkout-schema";
import { loadCheckoutCart, placeOrder, quote } from "~/modules/checkout/place-order.cross-shop.server";
import { guest, request } from "./cart-fixtures";

// Orders as a buyer places them: a guest cart filled with addToCart, then placeOrder —
// never rows written by hand. Shops come from cart-fixtures' twoShops().

export interface WantedLine {
  variantId: string;
  quantity: number;
  slotId?: string;
}

export interface PlacedOrder {
  orderId: string;
  paymentId: string;
  number: string;
  totalFen: number;
  /** The shop orders, by shop id. */
  shopOrders: Map<string, { id: string; number: string; totalFen: number }>;
}

let serial = 0;

/** A county pickup point (platform reference data, not an order row). */
export async function pickupPoint(countyOfShopSlug: string, kind: "POINT" | "LOCKER" = "LOCKER") {
  const shop = await unscopedDb().shop.findUniqueOrThrow({
    where: { slug: countyOfShopSlug },
    select: { countyId: true },
  });
  return unscopedDb().pickupPoint.create({
    data: {
      countyId: shop.countyId,
      code: `${kind}-${++serial}-${randomBytes(2).toString("hex")}`,
      kind,
      nameZh: kind === "LOCKER" ? "桃源村丰巢柜" : "村邮站",
      nameEn: kind === "LOCKER" ? "Taoyuan locker" : "Village post",
      addressZh: "桃源村村委会旁",
      addressEn: "Next to the village committee",
    },
  });
}

/**
 * Fills a fresh guest cart and places the order. Goods go home to an address unless
 * `pickup` names a pickup point for that shop; experiences get one visitor name per place.
 */
export async function placeTestOrder({
  lines,
  provider = "OFFLINE",
  offlineMethod = "BANK_TRANSFER",
  contactName = "李买家",
  contactPhone = "13912345678",
  pickup = {},
  pickupRegion,
  userId = null,
  now = new Date(),
}: {
  lines: WantedLine[];
  /** The signed-in buyer who places it (a guest by default). */
  userId?: string | null;
  provider?: "OFFLINE" | "STRIPE";
  /** Offline orders: a bank transfer (the cooperative confirms the money) unless COD (accepted, paid at delivery). */
  offlineMethod?: "COD" | "BANK_TRANSFER";
  contactName?: string;
  contactPhone?: string;
  pickup?: Record<string, { delivery: "PICKUP_POINT" | "LOCKER"; pickupPointId: string }>;
  /** The buyer's city or district: partners' pickup points there may be chosen. */
  pickupRegion?: string;
  now?: Date;
}): Promise<PlacedOrder> {
  const { visitor } = await guest();
  for (const line of lines) {
    const added = await addToCart({
      visitor,
      request: request(),
      variantId: line.variantId,
      slotId: line.slotId,
      quantity: line.quantity,
      now,
    });
    expect(added, JSON.stringify(added)).toMatchObject({ ok: true });
  }
  const cartId = cartIdOf(visitor)!;
  const groups = await loadCheckoutCart(unscopedDb(), cartId, "zh-CN");
  const shops: CheckoutInput["shops"] = groups
    .filter((g) => g.hasGoods)
    .map((g) =>
      pickup[g.shopId]
        ? { shopId: g.shopId, ...pickup[g.shopId]!, addressRegion: undefined, addressLine: undefined, note: undefined }
        : {
            shopId: g.shopId,
            delivery: "HOME" as const,
            addressRegion: "江苏省无锡市梁溪区",
            addressLine: "人民路 100 号 3 单元 501",
            pickupPointId: undefined,
            note: "请放门卫",
          },
    );
  const visitors = groups
    .flatMap((g) => g.lines)
    .filter((l) => l.kind === "EXPERIENCE")
    .map((l) => ({ lineId: l.id, names: Array.from({ length: l.quantity }, (_, i) => `游客${i + 1}`) }));
  const choices = Object.fromEntries(shops.map((s) => [s.shopId, s.delivery] as const));
  const input: CheckoutInput = {
    contactName,
    contactPhone,
    shops,
    visitors,
    provider,
    offlineMethod: provider === "OFFLINE" ? offlineMethod : undefined,
    pickupRegion,
    checkoutKey: randomBytes(16).toString("hex"),
    expectedTotalFen: quote(groups, choices).totalFen,
  };
  const placed = await placeOrder({ cartId, userId, input, lng: "zh-CN", now });
  if (!placed.ok) throw new Error(`order not placed: ${JSON.stringify(placed)}`);
  const rows = await unscopedDb().shopOrder.findMany({
    where: { orderId: placed.orderId },
    select: { id: true, shopId: true, number: true, totalFen: true },
  });
  return {
    orderId: placed.orderId,
    paymentId: placed.paymentId,
    number: placed.number,
    totalFen: placed.totalFen,
    shopOrders: new Map(rows.map((r) => [r.shopId, { id: r.id, number: r.number, totalFen: r.totalFen }])),
  };
}
