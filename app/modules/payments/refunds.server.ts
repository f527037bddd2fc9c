import { randomUUID } from "node:crypto";
import { asTx, db, type Tx } from "~/db/index.server";
import { recordRefund } from "~/modules/ledger/ledger.server";
import { giveBack } from "~/modules/orders/inventory.server";
import { shopOrderChangedBeforePickup } from "~/modules/logistics/shipments.server";
import { lockShopOrder, moveShopOrder } from "~/modules/orders/moves.server";
import { notifyOrderChange } from "~/modules/orders/notify-buyer.cross-shop.server";
import { goodsStillHere, isCashOnDelivery } from "~/modules/orders/status";
import type { RemoteRefund } from "./provider";
import { provider } from "./providers.server";
import { unscopedRefundsOf } from "./refunds.cross-shop.server";

// Refunds, full or partial, per shop order, from the cooperative's admin, through the
// provider that took the money. The Refund row is written first (PENDING) and the
// provider called outside any transaction with the refund's idempotency key; the money
// side (amounts, stock, ledger, status) is applied once the provider confirms.

export interface RefundRequest {
  shopId: string;
  shopOrderId: string;
  amountFen: number;
  /** Quantities going back to stock (only while the goods are still with the cooperative). */
  lines: { lineId: string; quantity: number }[];
  reason: string | null;
  userId: string;
  now?: Date;
}

export type RefundOutcome =
  | { ok: true; refundId: string; status: "SUCCEEDED" | "PENDING" }
  | { ok: false; error: "notFound" | "notRefundable" | "amountTooHigh" | "quantityTooHigh" | "providerFailed" };

export async function refundShopOrder(request: RefundRequest): Promise<RefundOutcome> {
  const { shopId, shopOrderId } = request;
  const prepared = await db().$transaction(async (scoped) => {
    const tx = asTx(scoped);
    const so = await lockShopOrder(tx, { shopId, id: shopOrderId });
    if (!so) return { ok: false as const, error: "notFound" as const };
    if (!["PAID", "PACKED", "HANDED_OVER", "DELIVERED"].includes(so.status))
      return { ok: false as const, error: "notRefundable" as const };
    // 货到付款 not yet collected (issue #10): no money was taken, so none can be given back.
    const paid = await tx.shopOrder.findFirstOrThrow({
      where: { id: so.id, shopId },
      select: { paidAt: true, order: { select: { provider: true, offlineMethod: true } } },
    });
    if (paid.paidAt === null && isCashOnDelivery(paid.order))
      return { ok: false as const, error: "notRefundable" as const };
    const pending = await tx.refund.aggregate({
      where: { shopId, shopOrderId, status: "PENDING" },
      _sum: { amountFen: true },
    });
    if (request.amountFen <= 0 || request.amountFen > so.totalFen - so.refundedFen - (pending._sum.amountFen ?? 0)) {
      return { ok: false as const, error: "amountTooHigh" as const };
    }
    const lines = await tx.shopOrderLine.findMany({
      where: { shopId, shopOrderId },
      select: { id: true, quantity: true, refundedQuantity: true },
    });
    for (const wanted of request.lines) {
      const line = lines.find((l) => l.id === wanted.lineId);
      if (!line || wanted.quantity < 0 || wanted.quantity > line.quantity - line.refundedQuantity) {
        return { ok: false as const, error: "quantityTooHigh" as const };
      }
    }
    const order = await tx.order.findUniqueOrThrow({
      where: { id: so.orderId },
      select: {
        number: true,
        provider: true,
        payments: { where: { status: "SUCCEEDED" }, take: 1, select: { id: true, providerPaymentRef: true } },
      },
    });
    const id = randomUUID();
    await tx.refund.create({
      data: {
        id,
        shopId,
        shopOrderId,
        paymentId: order.payments[0]?.id ?? null,
        amountFen: request.amountFen,
        reason: request.reason,
        lines: request.lines.filter((l) => l.quantity > 0),
        restock: goodsStillHere(so.status),
        idempotencyKey: `refund_${id}`,
        createdById: request.userId,
        ...(request.now ? { createdAt: request.now } : {}),
      },
    });
    return {
      ok: true as const,
      refundId: id,
      idempotencyKey: `refund_${id}`,
      provider: order.provider,
      providerPaymentRef: order.payments[0]?.providerPaymentRef ?? null,
      orderNumber: order.number,
      shopOrderNumber: so.number,
    };
  });
  if (!prepared.ok) return prepared;

  let result: { providerRef: string | null; done: boolean };
  try {
    result = await provider(prepared.provider).refund({
      refundId: prepared.refundId,
      idempotencyKey: prepared.idempotencyKey,
      providerPaymentRef: prepared.providerPaymentRef,
      amountFen: request.amountFen,
      orderNumber: prepared.orderNumber,
      shopOrderNumber: prepared.shopOrderNumber,
    });
  } catch {
    // Conditional: a webhook that already settled this refund is not overwritten.
    await db().refund.updateMany({
      where: { id: prepared.refundId, shopId, status: "PENDING" },
      data: { status: "FAILED" },
    });
    return { ok: false, error: "providerFailed" };
  }
  await db().refund.update({
    where: { shopId_id: { shopId, id: prepared.refundId } },
    data: { providerRef: result.providerRef },
  });
  if (!result.done) return { ok: true, refundId: prepared.refundId, status: "PENDING" };
  const applied = await db().$transaction((tx) =>
    applyRefund(asTx(tx), { shopId, refundId: prepared.refundId, userId: request.userId, now: request.now }),
  );
  if (applied) await notifyOrderChange(applied.orderId, "refunded", applied.shopOrderNumber);
  return { ok: true, refundId: prepared.refundId, status: "SUCCEEDED" };
}

/**
 * The provider confirmed the refund: amounts, stock for goods that never left, ledger, status.
 * Idempotent; returns what to tell the buyer (after the commit), or null when already applied.
 */
export async function applyRefund(
  tx: Tx,
  {
    shopId,
    refundId,
    userId,
    now = new Date(),
  }: { shopId: string; refundId: string; userId: string | null; now?: Date },
): Promise<{ orderId: string; shopOrderNumber: string } | null> {
  const claimed = await tx.refund.updateMany({
    where: { id: refundId, shopId, status: "PENDING" },
    data: { status: "SUCCEEDED", completedAt: now },
  });
  if (claimed.count === 0) return null;
  const refund = await tx.refund.findUniqueOrThrow({ where: { shopId_id: { shopId, id: refundId } } });
  const so = await lockShopOrder(tx, { shopId, id: refund.shopOrderId });
  if (!so) return null;
  const order = await tx.order.findUniqueOrThrow({
    where: { id: so.orderId },
    select: { id: true, number: true, provider: true },
  });
  for (const wanted of refund.lines as { lineId: string; quantity: number }[]) {
    const line = await tx.shopOrderLine.findFirst({ where: { id: wanted.lineId, shopId } });
    if (!line) continue;
    await tx.shopOrderLine.update({
      where: { shopId_id: { shopId, id: line.id } },
      data: { refundedQuantity: { increment: wanted.quantity } },
    });
    if (refund.restock) {
      await giveBack(tx, {
        shopId,
        productId: line.productId,
        variantId: line.kind === "EXPERIENCE" ? null : line.variantId,
        slotId: line.slotId,
        presaleProductId: line.presale ? line.productId : null,
        quantity: wanted.quantity,
        reason: "refunded",
        orderNumber: order.number,
        userId,
      });
    }
  }
  const refundedFen = so.refundedFen + refund.amountFen;
  await tx.shopOrder.update({ where: { shopId_id: { shopId, id: so.id } }, data: { refundedFen } });
  await recordRefund(tx, so, refund, order.provider, now);
  const whole = refundedFen === so.totalFen;
  if (whole) {
    await moveShopOrder(tx, so, "REFUNDED", userId ? { kind: "SHOP", userId } : { kind: "PROVIDER" }, { now });
  }
  // Before pickup the partner is told: the shipment is cancelled, or holds less.
  await shopOrderChangedBeforePickup(tx, so, whole ? "cancelled" : "contents", { now, note: "refunded" });
  return { orderId: order.id, shopOrderNumber: so.number };
}

/**
 * The provider's word on the refunds of one payment (Stripe: after charge.refunded or
 * refund.updated, re-read from Stripe, since the event's charge no longer lists its refunds):
 * succeeded ones are applied, failed ones marked so, pending ones wait. Idempotent.
 */
export async function settleProviderRefunds({
  providerPaymentRef,
  remote,
}: {
  providerPaymentRef: string;
  remote: RemoteRefund[];
}): Promise<{ completed: number; failed: number }> {
  let completed = 0;
  let failed = 0;
  for (const refund of await unscopedRefundsOf(providerPaymentRef)) {
    const match = remote.find((r) =>
      refund.providerRef ? r.providerRef === refund.providerRef : r.refundId === refund.id,
    );
    if (!match || match.state === "pending") continue;
    const { id, shopId } = refund;
    if (match.state === "failed") {
      await db().refund.updateMany({
        where: { id, shopId, status: "PENDING" },
        data: { status: "FAILED", providerRef: match.providerRef },
      });
      failed++;
      continue;
    }
    const applied = await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      // The webhook may come before refundShopOrder stored the provider's id.
      if (!refund.providerRef)
        await tx.refund.updateMany({
          where: { id, shopId, providerRef: null },
          data: { providerRef: match.providerRef },
        });
      return applyRefund(tx, { shopId, refundId: id, userId: null });
    });
    if (applied) {
      completed++;
      await notifyOrderChange(applied.orderId, "refunded", applied.shopOrderNumber);
    }
  }
  return { completed, failed };
}
