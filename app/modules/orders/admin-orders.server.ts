import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { allowedActions, REFUNDABLE_STATUSES, type OrderAction, type OrderFilter } from "./admin-forms";
import { getShopOrder, listShopOrders } from "./shop-orders.server";
import { goodsStillHere, type ShopOrderStatus } from "./status";

// What the cooperative's order pages show, shaped for the page (plain JSON: dates as ISO
// strings, money in fen, texts in the reader's language). Every read names the shop.

export type PaymentKind = "STRIPE" | "OFFLINE_COD" | "OFFLINE_BANK_TRANSFER";

function paymentKind(provider: "STRIPE" | "OFFLINE", offlineMethod: string | null): PaymentKind {
  if (provider === "STRIPE") return "STRIPE";
  return offlineMethod === "BANK_TRANSFER" ? "OFFLINE_BANK_TRANSFER" : "OFFLINE_COD";
}

export async function orderListView(
  shopId: string,
  filter: { status?: OrderFilter; q?: string; page?: number; shipmentStatuses?: readonly string[] },
) {
  const list = await listShopOrders(shopId, filter);
  return {
    total: list.total,
    page: list.page,
    pageCount: list.pageCount,
    rows: list.rows.map((row) => ({
      number: row.number,
      status: row.status as ShopOrderStatus,
      delivery: row.delivery,
      totalFen: row.totalFen,
      refundedFen: row.refundedFen,
      createdAt: row.createdAt.toISOString(),
      buyerName: row.order.contactName,
      buyerPhone: row.order.contactPhone,
      payment: paymentKind(row.order.provider, row.order.offlineMethod),
      lineCount: row._count.lines,
      /** The shipment's state (issue #10), or null before packing and for experiences. */
      shipmentStatus: row.shipment?.status ?? null,
    })),
  };
}

export type OrderListView = Awaited<ReturnType<typeof orderListView>>;

/** The shop order with this number in this shop, or null (also when it is another shop's). */
export async function orderPageView(shopId: string, number: string, lng: string) {
  const so = await getShopOrder(shopId, number);
  if (!so) return null;
  const status = so.status as ShopOrderStatus;
  const pending = so.refunds.filter((r) => r.status === "PENDING").reduce((sum, r) => sum + r.amountFen, 0);
  const refundableFen = REFUNDABLE_STATUSES.includes(status) ? Math.max(0, so.totalFen - so.refundedFen - pending) : 0;
  const lineTitle = new Map(so.lines.map((l) => [l.id, pick(lng, l.titleZh, l.titleEn)]));
  return {
    id: so.id,
    number: so.number,
    status,
    createdAt: so.createdAt.toISOString(),
    order: {
      number: so.order.number,
      status: so.order.status,
      expiresAt: so.order.status === "AWAITING_PAYMENT" ? so.order.expiresAt.toISOString() : null,
    },
    payment: paymentKind(so.order.provider, so.order.offlineMethod),
    provider: so.order.provider,
    buyer: { name: so.order.contactName, phone: so.order.contactPhone },
    delivery: {
      method: so.delivery,
      recipientName: so.recipientName,
      recipientPhone: so.recipientPhone,
      addressRegion: so.addressRegion,
      addressLine: so.addressLine,
      pickupPoint: so.pickupPoint
        ? {
            kind: so.pickupPoint.kind,
            name: pick(lng, so.pickupPoint.nameZh, so.pickupPoint.nameEn),
            address: pick(lng, so.pickupPoint.addressZh, so.pickupPoint.addressEn),
          }
        : null,
      note: so.note,
    },
    lines: so.lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      title: pick(lng, l.titleZh, l.titleEn),
      variantTitle: pick(lng, l.variantTitleZh, l.variantTitleEn),
      sku: l.sku,
      unit: l.unit,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      refundedQuantity: l.refundedQuantity,
      lineTotalFen: l.lineTotalFen,
      slotStartsAt: l.slotStartsAt?.toISOString() ?? null,
      visitorNames: l.visitorNames,
      presale: l.presale,
      presaleShipBy: l.presaleShipBy?.toISOString().slice(0, 10) ?? null,
    })),
    money: {
      subtotalFen: so.subtotalFen,
      shippingFen: so.shippingFen,
      totalFen: so.totalFen,
      refundedFen: so.refundedFen,
      pendingRefundFen: pending,
      refundableFen,
      feeBps: so.feeBps,
    },
    events: so.events.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      from: e.fromStatus,
      to: e.toStatus,
      actorKind: e.actorKind,
      actorName: e.actor ? (e.actor.name ?? e.actor.phone ?? e.actor.email ?? null) : null,
      note: e.note,
    })),
    refunds: so.refunds.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      amountFen: r.amountFen,
      status: r.status,
      reason: r.reason,
      restock: r.restock,
      lines: ((r.lines ?? []) as { lineId: string; quantity: number }[]).map((l) => ({
        title: lineTitle.get(l.lineId) ?? "",
        quantity: l.quantity,
      })),
    })),
    actions: allowedActions(status, so.order.provider) as OrderAction[],
    /** Refunded quantities go back to stock while the goods are still with the cooperative. */
    restocks: goodsStillHere(status),
  };
}

export type OrderPageView = NonNullable<Awaited<ReturnType<typeof orderPageView>>>;

/** The id of this shop's shop order with that number (for actions), or null. */
export async function findShopOrderRef(shopId: string, number: string) {
  return db().shopOrder.findFirst({ where: { shopId, number }, select: { id: true, number: true } });
}
