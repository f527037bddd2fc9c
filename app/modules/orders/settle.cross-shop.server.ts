import { unscopedDb, type Tx } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { recordSale } from "~/modules/ledger/ledger.server";
import { giveBack, hold } from "./inventory.server";
import { lockShopOrder, moveShopOrder, type Actor } from "./moves.server";

// What happens to a whole order when money arrives or time runs out. An order spans shops,
// so these are cross-shop; each shop order inside is still named by its shopId.

interface LockedOrder {
  id: string;
  number: string;
  status: "AWAITING_PAYMENT" | "PAID" | "EXPIRED" | "CANCELLED";
  provider: "STRIPE" | "OFFLINE";
  userId: string | null;
}

export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<LockedOrder[]>`
    SELECT id, number, status::text AS status, provider::text AS provider, "userId"
      FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Turns a shop order's held reservations into sold goods and books the sale. */
export async function convertShopOrder(
  tx: Tx,
  so: { id: string; shopId: string; number: string; totalFen: number; feeBps: number },
  provider: "STRIPE" | "OFFLINE",
  now: Date = new Date(),
): Promise<void> {
  await tx.reservation.updateMany({
    where: { shopId: so.shopId, shopOrderId: so.id, status: "HELD" },
    data: { status: "CONVERTED" },
  });
  await recordSale(tx, so, provider, now);
}

/**
 * The order is PAID once every shop order in it is paid (or further along); refreshed after each change.
 * It reads every shop of the order, also when a cooperative's (shop-scoped) transaction calls it, so the
 * read is raw SQL: the guarded client would rightly refuse a ShopOrder query without one shopId.
 */
export async function refreshOrderStatus(tx: Tx, orderId: string, now: Date): Promise<void> {
  const shopOrders = await tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM "ShopOrder" WHERE "orderId" = ${orderId}`;
  const waiting = shopOrders.some((s) => s.status === "AWAITING_PAYMENT");
  const anyPaid = shopOrders.some((s) => !["AWAITING_PAYMENT", "CANCELLED"].includes(s.status));
  if (waiting) return;
  await tx.order.updateMany({
    where: { id: orderId, status: "AWAITING_PAYMENT" },
    data: anyPaid ? { status: "PAID", paidAt: now } : { status: "CANCELLED" },
  });
}

export type PaidOutcome = "paid" | "already-paid" | "late-refund-needed" | "unknown-order";

/**
 * The provider says the order's payment succeeded. Idempotent: a second call (a repeated
 * webhook, the reconciliation job) changes nothing. A payment arriving after the order
 * expired takes its goods again if they are still there; otherwise the money must go back.
 */
export async function markOrderPaid({
  orderId,
  paymentId,
  providerPaymentRef,
  now = new Date(),
}: {
  orderId: string;
  paymentId: string;
  providerPaymentRef: string | null;
  now?: Date;
}): Promise<PaidOutcome> {
  const prisma = unscopedDb();
  const actor: Actor = { kind: "PROVIDER" };
  try {
    return await prisma.$transaction(async (tx) => {
      const order = await lockOrder(tx, orderId);
      if (!order) return "unknown-order";
      await tx.payment.updateMany({
        where: { id: paymentId, orderId },
        data: { status: "SUCCEEDED", succeededAt: now, ...(providerPaymentRef ? { providerPaymentRef } : {}) },
      });
      if (order.status === "PAID") return "already-paid";
      const shopOrders = await tx.shopOrder.findMany({
        where: { orderId },
        orderBy: { number: "asc" },
        select: { id: true, shopId: true, status: true },
      });
      if (order.status !== "AWAITING_PAYMENT") {
        // Paid after it expired: hold everything again, or give up (and roll back) as a whole.
        const lines = await tx.shopOrderLine.findMany({
          where: { shopOrderId: { in: shopOrders.map((s) => s.id) } },
          orderBy: [{ variantId: "asc" }, { slotId: "asc" }],
          select: {
            id: true,
            shopId: true,
            productId: true,
            variantId: true,
            slotId: true,
            kind: true,
            presale: true,
            quantity: true,
          },
        });
        for (const line of lines) {
          if (!line.productId || !line.variantId) throw new LatePaymentRefused();
          const refusal = await hold(tx, {
            shopId: line.shopId,
            productId: line.productId,
            variantId: line.variantId,
            slotId: line.slotId,
            kind: line.kind,
            presale: line.presale,
            quantity: line.quantity,
            orderNumber: order.number,
            userId: null,
            now,
          });
          if (refusal) throw new LatePaymentRefused();
          await tx.reservation.updateMany({
            where: { shopId: line.shopId, lineId: line.id },
            data: { status: "HELD" },
          });
        }
        await tx.order.update({ where: { id: orderId }, data: { status: "AWAITING_PAYMENT" } });
        for (const s of shopOrders) {
          await tx.shopOrder.update({
            where: { shopId_id: { shopId: s.shopId, id: s.id } },
            data: { status: "AWAITING_PAYMENT", cancelledAt: null },
          });
          await tx.shopOrderEvent.create({
            data: {
              shopId: s.shopId,
              shopOrderId: s.id,
              fromStatus: s.status,
              toStatus: "AWAITING_PAYMENT",
              actorKind: "PROVIDER",
              note: "late_payment",
            },
          });
        }
      }
      for (const s of shopOrders) {
        const locked = await lockShopOrder(tx, { shopId: s.shopId, id: s.id });
        if (!locked || locked.status !== "AWAITING_PAYMENT") continue;
        await moveShopOrder(tx, locked, "PAID", actor, { now });
        await convertShopOrder(tx, locked, order.provider, now);
      }
      await tx.order.update({ where: { id: orderId }, data: { status: "PAID", paidAt: now } });
      return "paid";
    });
  } catch (error) {
    if (error instanceof LatePaymentRefused) {
      logger.warn({ orderId }, "payment arrived after the order expired and its goods are gone: refund needed");
      await prisma.payment.updateMany({
        where: { id: paymentId, orderId },
        data: { status: "SUCCEEDED", succeededAt: now, ...(providerPaymentRef ? { providerPaymentRef } : {}) },
      });
      return "late-refund-needed";
    }
    throw error;
  }
}

class LatePaymentRefused extends Error {}

/**
 * Time ran out (or the provider gave up): every shop order still awaiting payment gives its
 * reservations back and is cancelled. Shop orders already paid (offline orders confirmed by
 * one cooperative but not another) stay. Idempotent.
 */
export async function expireOrder({
  orderId,
  now = new Date(),
  note = "expired",
}: {
  orderId: string;
  now?: Date;
  note?: string;
}): Promise<"expired" | "not-awaiting"> {
  return unscopedDb().$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || order.status !== "AWAITING_PAYMENT") return "not-awaiting";
    const shopOrders = await tx.shopOrder.findMany({
      where: { orderId },
      orderBy: { number: "asc" },
      select: { id: true, shopId: true },
    });
    let anyPaid = false;
    for (const s of shopOrders) {
      const so = await lockShopOrder(tx, s);
      if (!so) continue;
      if (so.status !== "AWAITING_PAYMENT") {
        anyPaid ||= so.status !== "CANCELLED";
        continue;
      }
      await releaseHeld(tx, so, order.number, null);
      await moveShopOrder(tx, so, "CANCELLED", { kind: "SYSTEM" }, { note, now });
    }
    await tx.payment.updateMany({ where: { orderId, status: "PENDING" }, data: { status: "EXPIRED" } });
    await tx.order.update({
      where: { id: orderId },
      data: anyPaid ? { status: "PAID", paidAt: now } : { status: "EXPIRED" },
    });
    return "expired";
  });
}

/** Gives back everything a shop order still holds. */
export async function releaseHeld(
  tx: Tx,
  so: { id: string; shopId: string },
  orderNumber: string,
  userId: string | null,
): Promise<void> {
  const held = await tx.reservation.findMany({
    where: { shopId: so.shopId, shopOrderId: so.id, status: "HELD" },
    orderBy: [{ variantId: "asc" }, { slotId: "asc" }],
  });
  for (const r of held) {
    await giveBack(tx, {
      shopId: r.shopId,
      productId: r.presaleProductId,
      variantId: r.variantId,
      slotId: r.slotId,
      presaleProductId: r.presaleProductId,
      quantity: r.quantity,
      reason: "released",
      orderNumber,
      userId,
    });
  }
  await tx.reservation.updateMany({
    where: { shopId: so.shopId, shopOrderId: so.id, status: "HELD" },
    data: { status: "RELEASED" },
  });
}

/** Orders whose unpaid time is over, oldest first (for the sweeper). */
export async function dueForExpiry(now: Date, limit = 50) {
  return unscopedDb().order.findMany({
    where: { status: "AWAITING_PAYMENT", expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    take: limit,
    select: { id: true, number: true, provider: true },
  });
}

/**
 * 货到付款 accepted (issue #10): the held goods are now the buyer's (sold and kept, so the unpaid
 * expiry no longer touches them), but nothing is booked: the money comes at the door.
 */
export async function keepShopOrderGoods(tx: Tx, so: { id: string; shopId: string }): Promise<void> {
  await tx.reservation.updateMany({
    where: { shopId: so.shopId, shopOrderId: so.id, status: "HELD" },
    data: { status: "CONVERTED" },
  });
}

/**
 * Gives back the goods a shop order kept (an accepted cash-on-delivery order cancelled, or its
 * parcel returned after a failed delivery): stock, places and pre-sale yield, once (each kept
 * reservation turns RELEASED in the same statement that finds it).
 */
export async function giveBackKept(
  tx: Tx,
  so: { id: string; shopId: string },
  orderNumber: string,
  userId: string | null,
  reason: "released" | "returned" = "released",
): Promise<void> {
  const kept = await tx.$queryRaw<
    {
      shopId: string;
      variantId: string | null;
      slotId: string | null;
      presaleProductId: string | null;
      quantity: number;
    }[]
  >`
    UPDATE "Reservation" SET status = 'RELEASED', "updatedAt" = now()
     WHERE "shopId" = ${so.shopId} AND "shopOrderId" = ${so.id} AND status = 'CONVERTED'
     RETURNING "shopId", "variantId", "slotId", "presaleProductId", quantity`;
  kept.sort(
    (a, b) => (a.variantId ?? "").localeCompare(b.variantId ?? "") || (a.slotId ?? "").localeCompare(b.slotId ?? ""),
  );
  for (const r of kept) {
    await giveBack(tx, {
      shopId: r.shopId,
      productId: r.presaleProductId,
      variantId: r.variantId,
      slotId: r.slotId,
      presaleProductId: r.presaleProductId,
      quantity: r.quantity,
      reason,
      orderNumber,
      userId,
    });
  }
}

/**
 * 货到付款 collected at delivery (issue #10): the shop order is paid now — paidAt stamped and the
 * sale and the platform's fee booked, once (the ledger's dedupe keys; paidAt only when unset).
 * A partner's cash is booked by the caller (recordCodHeld). A cooperative that delivered the order
 * itself ("OFFLINE") holds the cash: booked here with the sale, and only by the delivery that
 * stamped paidAt, so cash a partner already reported is never booked twice.
 */
export async function markCashCollected(
  tx: Tx,
  so: { id: string; shopId: string; number: string; totalFen: number; feeBps: number },
  now: Date,
  collector: "COD_PARTNER" | "OFFLINE" = "COD_PARTNER",
): Promise<void> {
  const stamped = await tx.shopOrder.updateMany({
    where: { id: so.id, shopId: so.shopId, paidAt: null },
    data: { paidAt: now },
  });
  if (collector === "OFFLINE" && stamped.count === 0) return;
  await recordSale(tx, so, collector, now);
}
