import { asTx, db } from "~/db/index.server";
import type { $Enums } from "~/generated/prisma/client";
import {
  convertShopOrder,
  giveBackKept,
  keepShopOrderGoods,
  markCashCollected,
  refreshOrderStatus,
  releaseHeld,
} from "./settle.cross-shop.server";
import { lockShopOrder, moveShopOrder } from "./moves.server";
import { notifyOrderChange, type OrderChange } from "./notify-buyer.cross-shop.server";
import { shopMayAct, type OrderAction } from "./admin-forms";
import { isCashOnDelivery, TransitionError, type ShopOrderStatus } from "./status";

type ShipmentStatusName = `${$Enums.ShipmentStatus}`;

// A cooperative's own orders: every function takes the shop, and every query names it.

export const ORDERS_PAGE_SIZE = 20;

export interface ShopOrderFilter {
  /** A status, or NEW: what needs the cooperative now (see newOrderCount). */
  status?: ShopOrderStatus | "NEW";
  /** Order number, buyer name or mobile. */
  q?: string;
  page?: number;
  /** Only shop orders whose shipment is in one of these states (the logistics module names them). */
  shipmentStatuses?: readonly string[];
}

export async function listShopOrders(shopId: string, filter: ShopOrderFilter = {}) {
  const page = Math.max(1, filter.page ?? 1);
  const q = filter.q?.trim();
  const where = {
    shopId,
    ...(filter.status === "NEW" ? needsTheShop : filter.status ? { status: filter.status } : {}),
    ...(filter.shipmentStatuses
      ? { shipment: { status: { in: [...filter.shipmentStatuses] as ShipmentStatusName[] } } }
      : {}),
    ...(q
      ? {
          AND: [
            {
              OR: [
                { number: { startsWith: q } },
                { order: { contactPhone: { contains: q.replace(/[\s-]/g, "") } } },
                { order: { contactName: { contains: q, mode: "insensitive" as const } } },
              ],
            },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db().shopOrder.count({ where }),
    db().shopOrder.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * ORDERS_PAGE_SIZE,
      take: ORDERS_PAGE_SIZE,
      select: {
        id: true,
        number: true,
        status: true,
        delivery: true,
        totalFen: true,
        refundedFen: true,
        createdAt: true,
        order: { select: { contactName: true, contactPhone: true, provider: true, offlineMethod: true } },
        _count: { select: { lines: true } },
        shipment: { select: { status: true } },
      },
    }),
  ]);
  return { total, page, pageCount: Math.max(1, Math.ceil(total / ORDERS_PAGE_SIZE)), rows };
}

/**
 * Orders that need the cooperative: paid or accepted (货到付款) and waiting to be packed, or
 * offline and waiting for its confirmation or acceptance.
 */
const needsTheShop = {
  OR: [
    { status: "PAID" as const },
    { status: "ACCEPTED" as const },
    {
      status: "AWAITING_PAYMENT" as const,
      order: { provider: "OFFLINE" as const, status: "AWAITING_PAYMENT" as const },
    },
  ],
};

export async function newOrderCount(shopId: string): Promise<number> {
  return db().shopOrder.count({ where: { shopId, ...needsTheShop } });
}

export async function getShopOrder(shopId: string, number: string) {
  return db().shopOrder.findFirst({
    where: { shopId, number },
    include: {
      lines: { where: { shopId }, orderBy: { id: "asc" } },
      events: {
        where: { shopId },
        orderBy: { createdAt: "asc" },
        include: { actor: { select: { name: true, phone: true, email: true } } },
      },
      refunds: { where: { shopId }, orderBy: { createdAt: "asc" } },
      pickupPoint: true,
      order: {
        select: {
          number: true,
          contactName: true,
          contactPhone: true,
          provider: true,
          offlineMethod: true,
          status: true,
          expiresAt: true,
        },
      },
    },
  });
}

export type ShopOrderAction = OrderAction;

export type ActionOutcome = { ok: true } | { ok: false; error: "notFound" | "notAllowed" };

const TARGET: Record<ShopOrderAction, ShopOrderStatus> = {
  confirmPayment: "PAID",
  accept: "ACCEPTED",
  pack: "PACKED",
  handOver: "HANDED_OVER",
  deliver: "DELIVERED",
  cancel: "CANCELLED",
};

const CHANGE: Record<ShopOrderAction, OrderChange> = {
  confirmPayment: "paid",
  accept: "accepted",
  pack: "packed",
  handOver: "handed_over",
  deliver: "delivered",
  cancel: "cancelled",
};

/**
 * A cooperative moves its shop order along. Confirming payment is for offline orders only
 * (online money is confirmed by the provider); cancelling is for unpaid offline orders and
 * gives the held goods back (an unpaid online order expires by itself: cancelling one shop's
 * part of it would leave the buyer paying the whole session for less). 货到付款 (issue #10) is
 * accepted, not confirmed paid: the goods are kept (no longer expire) and the cash is booked at
 * delivery; an accepted order may still be cancelled, which gives the goods back. Everything
 * else is the state machine's call (admin-forms.ts allowedActions says the same to the page).
 */
export async function actOnShopOrder({
  shopId,
  shopOrderId,
  action,
  userId,
  now = new Date(),
}: {
  shopId: string;
  shopOrderId: string;
  action: ShopOrderAction;
  userId: string;
  now?: Date;
}): Promise<ActionOutcome> {
  try {
    const done = await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      const so = await lockShopOrder(tx, { shopId, id: shopOrderId });
      if (!so) return null;
      const order = await tx.order.findUniqueOrThrow({
        where: { id: so.orderId },
        select: { id: true, number: true, provider: true, offlineMethod: true },
      });
      if (!shopMayAct(action, so.status, order)) throw new TransitionError(so.status, TARGET[action]);
      const from = so.status;
      await moveShopOrder(tx, so, TARGET[action], { kind: "SHOP", userId }, { now });
      if (action === "confirmPayment") await convertShopOrder(tx, so, "OFFLINE", now);
      if (action === "accept") await keepShopOrderGoods(tx, so);
      // 货到付款 delivered by the cooperative itself: the cash was collected at the door.
      const collected = action === "deliver" && isCashOnDelivery(order);
      if (collected) await markCashCollected(tx, so, now, "OFFLINE");
      if (action === "cancel") {
        await releaseHeld(tx, so, order.number, userId);
        if (from === "ACCEPTED") await giveBackKept(tx, so, order.number, userId);
      }
      if (action === "confirmPayment" || action === "accept" || action === "cancel" || collected)
        await refreshOrderStatus(tx, order.id, now);
      return { orderId: order.id, number: so.number };
    });
    if (!done) return { ok: false, error: "notFound" };
    await notifyOrderChange(done.orderId, CHANGE[action], done.number);
    return { ok: true };
  } catch (error) {
    if (error instanceof TransitionError) return { ok: false, error: "notAllowed" };
    throw error;
  }
}
