import { randomBytes, randomUUID } from "node:crypto";
import { connection, unscopedDb } from "~/db/index.server";
import { env } from "~/env.server";
import { adjustStock } from "~/modules/catalog/stock.server";
import type { CheckoutInput } from "~/modules/checkout/checkout-schema";
import { loadCheckoutCart, placeOrder, quote } from "~/modules/checkout/place-order.cross-shop.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { partialRefund } from "./bulk-orders.cross-shop.server";
import { loadDemoCatalog } from "./catalog.cross-shop.server";
import { planOrders, type DemoCatalog, type PlannedOrder, type StepAction } from "./plan";
import { ensureDemoStaff } from "./staff.server";

// The real path of `npm run demo:orders`: each planned order goes through the buyer's checkout
// (a cart, placeOrder with an offline payment) and the cooperative's moves through the order
// writer (actOnShopOrder: confirm the transfer or accept 货到付款, pack, hand over, deliver,
// cancel) and refunds through refundShopOrder — every rule, hold and ledger entry as in the app.
// Each call gets the planned moment as `now`; what the writers stamp with the database clock
// (stock movements, reservations, the payment, updatedAt) is back-dated afterwards, in a few
// UPDATEs per order. Goods that ran out are received into stock first (adjustStock), as a
// cooperative would. Slow on purpose: a few hundred orders; the bulk path does the rest.

export interface RealOptions {
  orders: number;
  days: number;
  seed: number;
  now?: Date;
  /** The length of the plan these orders begin (the bulk path writes the rest of it); default `orders`. */
  planned?: number;
  onProgress?: (p: { orders: number; seconds: number }) => void;
}

export interface RealResult {
  orders: number;
  shopOrders: number;
  lines: number;
  seconds: number;
}

type ShopAction = Exclude<StepAction, "refundFull" | "refundPartial">;

export async function placeRealOrders(options: RealOptions): Promise<RealResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const settings = env();
  const raw = connection().raw;
  const staff = await ensureDemoStaff(raw.query);
  const catalog = await loadDemoCatalog(raw.query);
  const done = { orders: 0, shopOrders: 0, lines: 0 };
  const seconds = () => (performance.now() - started) / 1000;
  for (const plan of planOrders(catalog, options.planned ?? options.orders, {
    days: options.days,
    seed: options.seed,
    now,
    holdHours: settings.OFFLINE_RESERVATION_HOURS,
  })) {
    if (done.orders >= options.orders) break;
    await placeOne(catalog, plan, staff);
    done.orders++;
    done.shopOrders += plan.shopOrders.length;
    done.lines += plan.shopOrders.reduce((n, so) => n + so.lines.length, 0);
    if (done.orders % 25 === 0) options.onProgress?.({ orders: done.orders, seconds: seconds() });
  }
  return { ...done, seconds: seconds() };
}

async function placeOne(catalog: DemoCatalog, plan: PlannedOrder, staff: string): Promise<void> {
  const prisma = unscopedDb();
  const variants = new Map(
    catalog.shops.flatMap((s) => s.variants.map((v) => [v.id, { ...v, shopId: s.id }] as const)),
  );
  const cartId = randomUUID();
  await prisma.cart.create({ data: { id: cartId } });
  await prisma.cartLine.createMany({
    data: plan.shopOrders.flatMap((so) =>
      so.lines.map((l) => {
        const v = variants.get(l.variantId)!;
        return {
          cartId,
          shopId: so.shopId,
          productId: v.productId,
          variantId: v.id,
          quantity: l.quantity,
          seenPriceFen: v.priceFen,
        };
      }),
    ),
  });
  const groups = await loadCheckoutCart(prisma, cartId, "zh-CN");
  const shops: CheckoutInput["shops"] = plan.shopOrders.map((so) => ({
    shopId: so.shopId,
    delivery: so.delivery,
    addressRegion: so.addressRegion ?? undefined,
    addressLine: so.addressLine ?? undefined,
    pickupPointId: so.pickupPointId ?? undefined,
    note: so.note ?? undefined,
  }));
  const input: CheckoutInput = {
    contactName: plan.buyer.name,
    contactPhone: plan.buyer.phone,
    shops,
    visitors: [],
    provider: "OFFLINE",
    offlineMethod: plan.method,
    pickupRegion: undefined,
    checkoutKey: randomBytes(16).toString("hex"),
    expectedTotalFen: quote(groups, Object.fromEntries(shops.map((s) => [s.shopId, s.delivery] as const))).totalFen,
  };
  const received: { shopId: string; variantId: string }[] = [];
  const startedAt = new Date(Date.now() - 5_000);
  let placed = await placeOrder({ cartId, userId: null, input, lng: "zh-CN", now: plan.placedAt });
  // Sold out: the cooperative receives more (as it would), then the buyer tries again.
  for (let attempt = 0; !placed.ok && placed.reason === "CHANGED" && attempt < 8; attempt++) {
    const short = placed.changes.find((c) => c.kind === "NOT_ENOUGH_STOCK");
    const line = short && groups.flatMap((g) => g.lines).find((l) => l.id === short.lineId);
    if (!line) break;
    const outcome = await adjustStock({
      shopId: line.shopId,
      productId: line.productId,
      variantId: line.variantId,
      userId: staff,
      delta: line.quantity + 50,
      reason: "received",
      note: "demo",
    });
    if (!outcome.ok) break;
    received.push({ shopId: line.shopId, variantId: line.variantId });
    placed = await placeOrder({ cartId, userId: null, input, lng: "zh-CN", now: plan.placedAt });
  }
  if (!placed.ok) throw new Error(`demo order not placed: ${JSON.stringify(placed)}`);

  const rows = await prisma.shopOrder.findMany({
    where: { orderId: placed.orderId },
    select: {
      id: true,
      shopId: true,
      totalFen: true,
      lines: { select: { id: true, variantId: true, quantity: true, unitPriceFen: true } },
    },
  });
  const byShop = new Map(rows.map((r) => [r.shopId, r]));
  const steps = plan.shopOrders
    .flatMap((so) => so.steps.map((step) => ({ ...step, shopId: so.shopId, first: so.lines[0]!.variantId })))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const stamps: { shop: string; reason: string; at: string }[] = [];
  for (const step of steps) {
    const so = byShop.get(step.shopId)!;
    if (step.action === "refundFull" || step.action === "refundPartial") {
      const full = step.action === "refundFull";
      const first = so.lines.find((l) => l.variantId === step.first) ?? so.lines[0]!;
      const refunded = await refundShopOrder({
        shopId: so.shopId,
        shopOrderId: so.id,
        amountFen: full ? so.totalFen : partialRefund(so.totalFen, first.unitPriceFen),
        lines: full ? so.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })) : [],
        reason: null,
        userId: staff,
        now: step.at,
      });
      if (!refunded.ok) throw new Error(`demo refund refused: ${refunded.error}`);
      if (full) stamps.push({ shop: so.shopId, reason: `refunded: ${placed.number}`, at: step.at.toISOString() });
      continue;
    }
    const acted = await actOnShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      action: step.action as ShopAction,
      userId: staff,
      now: step.at,
    });
    if (!acted.ok) throw new Error(`demo ${step.action} refused: ${acted.error}`);
    if (step.action === "cancel")
      stamps.push({ shop: so.shopId, reason: `released: ${placed.number}`, at: step.at.toISOString() });
  }
  await backDate(placed.orderId, placed.number, plan, stamps, { variants: received, since: startedAt });
}

/** What the writers stamped with the database clock, moved to the planned moments. */
async function backDate(
  orderId: string,
  number: string,
  plan: PlannedOrder,
  stamps: { shop: string; reason: string; at: string }[],
  received: { variants: { shopId: string; variantId: string }[]; since: Date },
): Promise<void> {
  const q = connection().raw.query;
  const placedAt = plan.placedAt.toISOString();
  const all = [
    ...plan.shopOrders.map((so) => ({ shop: so.shopId, reason: `reserved: ${number}`, at: placedAt })),
    ...stamps,
  ];
  await q(
    `UPDATE "StockMovement" m SET "createdAt" = v.at
       FROM jsonb_to_recordset($1::jsonb) AS v(shop text, reason text, at timestamptz)
      WHERE m."shopId" = v.shop AND m.reason = v.reason`,
    [JSON.stringify(all)],
  );
  if (received.variants.length > 0)
    await q(
      `UPDATE "StockMovement" m SET "createdAt" = $2::timestamptz - interval '1 minute'
         FROM jsonb_to_recordset($1::jsonb) AS v("shopId" text, "variantId" text)
        WHERE m."shopId" = v."shopId" AND m."variantId" = v."variantId" AND m.reason = 'received: demo'
          AND m."createdAt" >= $3`,
      [JSON.stringify(received.variants), placedAt, received.since],
    );
  const firstSteps = plan.shopOrders.map((so) => ({
    shop: so.shopId,
    at: (so.steps[0]?.at ?? plan.placedAt).toISOString(),
  }));
  await q(
    `UPDATE "Reservation" r SET "createdAt" = $2, "updatedAt" = v.at
       FROM "ShopOrder" so, jsonb_to_recordset($3::jsonb) AS v(shop text, at timestamptz)
      WHERE so."orderId" = $1 AND r."shopOrderId" = so.id AND r."shopId" = so."shopId" AND so."shopId" = v.shop`,
    [orderId, placedAt, JSON.stringify(firstSteps)],
  );
  await q(`UPDATE "Payment" SET "createdAt" = $2, "updatedAt" = $2 WHERE "orderId" = $1`, [orderId, placedAt]);
  await q(
    `UPDATE "ShopOrder" so SET "updatedAt" = GREATEST(
        (SELECT max(e."createdAt") FROM "ShopOrderEvent" e WHERE e."shopOrderId" = so.id AND e."shopId" = so."shopId"),
        (SELECT max(r."completedAt") FROM "Refund" r WHERE r."shopOrderId" = so.id AND r."shopId" = so."shopId"))
      WHERE so."orderId" = $1`,
    [orderId],
  );
  await q(`UPDATE "Order" SET "updatedAt" = COALESCE("paidAt", "createdAt") WHERE id = $1`, [orderId]);
}
