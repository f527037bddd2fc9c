import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addToCart, cartIdOf } from "~/modules/cart/cart.cross-shop.server";
import type { CheckoutInput } from "~/modules/checkout/checkout-schema";
import { loadCheckoutCart, placeOrder, quote } from "~/modules/checkout/place-order.cross-shop.server";
import { guest, request } from "./cart-fixtures";

// Orders for the payment tests, made the way buyers make them: a guest's cart filled with
// addToCart, then placeOrder with a valid checkout form.

export interface WantedLine {
  variantId: string;
  slotId?: string | null;
  quantity: number;
}

/** A guest's cart holding these lines, and the checkout form a buyer would send for it. */
export async function cartWith(lines: WantedLine[], { provider = "STRIPE" as "STRIPE" | "OFFLINE" } = {}) {
  const buyer = await guest();
  for (const line of lines) {
    const added = await addToCart({
      visitor: buyer.visitor,
      request: request(),
      variantId: line.variantId,
      slotId: line.slotId ?? null,
      quantity: line.quantity,
    });
    expect(added, JSON.stringify(added)).toMatchObject({ ok: true });
  }
  const cartId = cartIdOf(buyer.visitor)!;
  const groups = await loadCheckoutCart(unscopedDb(), cartId, "zh-CN");
  const shops = groups
    .filter((g) => g.hasGoods)
    .map((g) => ({
      shopId: g.shopId,
      delivery: "HOME" as const,
      addressRegion: "江苏省 无锡市 惠山区",
      addressLine: "阳山镇桃源村 8 号",
      pickupPointId: undefined,
      note: undefined,
    }));
  const visitors = groups
    .flatMap((g) => g.lines)
    .filter((l) => l.kind === "EXPERIENCE")
    .map((l) => ({ lineId: l.id, names: Array.from({ length: l.quantity }, (_, i) => `游客${i + 1}`) }));
  const input: CheckoutInput = {
    contactName: "李买家",
    contactPhone: "13912345678",
    shops,
    visitors,
    provider,
    offlineMethod: provider === "OFFLINE" ? "COD" : undefined,
    checkoutKey: randomBytes(16).toString("hex"),
    expectedTotalFen: quote(groups, Object.fromEntries(shops.map((s) => [s.shopId, s.delivery]))).totalFen,
  };
  return { cartId, input };
}

/** Places an order for these lines; fails the test unless it is placed. */
export async function placed(lines: WantedLine[], options: { provider?: "STRIPE" | "OFFLINE"; now?: Date } = {}) {
  const { cartId, input } = await cartWith(lines, options);
  const result = await placeOrder({
    cartId,
    userId: null,
    input,
    lng: "zh-CN",
    ...(options.now ? { now: options.now } : {}),
  });
  if (!result.ok) throw new Error(`order not placed: ${JSON.stringify(result)}`);
  return result;
}

/** Everything of one order that money and stock depend on, without ids and timestamps. */
export async function orderState(orderId: string) {
  const prisma = unscopedDb();
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      number: true,
      status: true,
      totalFen: true,
      payments: { orderBy: { createdAt: "asc" }, select: { status: true, amountFen: true } },
      shopOrders: {
        orderBy: { number: "asc" },
        select: {
          number: true,
          status: true,
          totalFen: true,
          refundedFen: true,
          lines: { orderBy: { sku: "asc" }, select: { sku: true, quantity: true, refundedQuantity: true } },
          reservations: {
            orderBy: [{ variantId: "asc" }, { slotId: "asc" }],
            select: { status: true, quantity: true },
          },
          events: { orderBy: { createdAt: "asc" }, select: { fromStatus: true, toStatus: true, actorKind: true } },
          refunds: { orderBy: { createdAt: "asc" }, select: { status: true, amountFen: true } },
          ledgerEntries: { select: { kind: true, amountFen: true } },
        },
      },
    },
  });
  const movements = await prisma.stockMovement.findMany({
    where: { reason: { endsWith: `: ${order.number}` } },
    select: { reason: true, delta: true, variant: { select: { sku: true } } },
  });
  const { number: _number, ...rest } = order;
  return {
    ...rest,
    shopOrders: order.shopOrders.map(({ number, ...so }) => ({
      suffix: number.replace(/^.*-/, ""),
      ...so,
      ledgerEntries: [...so.ledgerEntries].sort((a, b) => a.kind.localeCompare(b.kind) || a.amountFen - b.amountFen),
    })),
    movements: movements.map((m) => `${m.variant.sku} ${m.reason.replace(/:.*$/, "")} ${m.delta}`).sort(),
  };
}

/** Stock of every variant and places booked in every slot, by SKU / slot id. */
export async function stockLevels() {
  const prisma = unscopedDb();
  const [variants, slots, products] = await Promise.all([
    prisma.variant.findMany({ select: { sku: true, stock: true } }),
    prisma.experienceSlot.findMany({ select: { id: true, booked: true } }),
    prisma.product.findMany({ select: { slug: true, shopId: true, presaleReserved: true } }),
  ]);
  return {
    stock: Object.fromEntries(variants.map((v) => [v.sku, v.stock])),
    booked: Object.fromEntries(slots.map((s) => [s.id, s.booked])),
    presale: Object.fromEntries(products.map((p) => [`${p.shopId}/${p.slug}`, p.presaleReserved])),
  };
}

export async function paymentOf(orderId: string) {
  return unscopedDb().payment.findFirstOrThrow({ where: { orderId }, orderBy: { createdAt: "desc" } });
}
