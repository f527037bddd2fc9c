import { unscopedDb, type Tx } from "~/db/index.server";
import { lockShopOrder, moveShopOrder } from "~/modules/orders/moves.server";
import { notifyOrderChange } from "~/modules/orders/notify-buyer.cross-shop.server";
import { bookCashOnDelivery, goodsCameBack } from "./cash-on-delivery.server";
import { notifyShipmentEvent } from "./notify-shipment.cross-shop.server";
import { queueShipmentPush } from "./push-outbox.server";
import { addShipmentEvent } from "./shipments.server";
import {
  BUYER_NOTIFIED_EVENTS,
  beforePickup,
  partnerMayReport,
  statusAfter,
  type PartnerEventType,
  type ShipmentStatus,
} from "./shipment-status";

// What a partner does to its shipments, through the API or the portal. A partner reaches a
// shipment only through its own id (a shipment of another partner or county is "not found");
// the transaction then names the shipment's shop like every other.

export interface PartnerEvent {
  eventId: string;
  type: PartnerEventType;
  at: Date;
  note?: string | null;
  lockerCode?: string | null;
  codCollectedFen?: number | null;
}

export type PartnerOutcome<T = Record<never, never>> =
  ({ ok: true } & T) | { ok: false; error: "notFound" | "notAllowed"; status?: ShipmentStatus };

interface LockedShipment {
  id: string;
  shopId: string;
  shopOrderId: string;
  partnerId: string | null;
  status: ShipmentStatus;
  lastEventAt: Date | null;
  codAmountFen: number;
  waybillNo: string | null;
}

/** The shipment if it is this partner's, locked for the caller's transaction. */
async function lockPartnerShipment(tx: Tx, partnerId: string, shipmentId: string): Promise<LockedShipment | null> {
  const rows = await tx.$queryRaw<LockedShipment[]>`
    SELECT id, "shopId", "shopOrderId", "partnerId", status::text AS status, "lastEventAt", "codAmountFen", "waybillNo"
      FROM "Shipment" WHERE id = ${shipmentId} AND "partnerId" = ${partnerId} FOR UPDATE`;
  return rows[0] ?? null;
}

export async function acceptShipment({
  partnerId,
  shipmentId,
  waybillNo,
  carrier,
  actorUserId = null,
  source = "PARTNER_API",
  now = new Date(),
}: {
  partnerId: string;
  shipmentId: string;
  waybillNo: string;
  carrier: string;
  actorUserId?: string | null;
  source?: string;
  now?: Date;
}): Promise<PartnerOutcome> {
  return unscopedDb().$transaction(async (tx) => {
    const s = await lockPartnerShipment(tx, partnerId, shipmentId);
    if (!s) return { ok: false, error: "notFound" };
    if (s.status === "ACCEPTED" && s.waybillNo === waybillNo) return { ok: true };
    if (s.status !== "ASSIGNED" && s.status !== "ACCEPTED") return { ok: false, error: "notAllowed", status: s.status };
    await tx.shipment.update({
      where: { shopId_id: { shopId: s.shopId, id: s.id } },
      data: { status: "ACCEPTED", waybillNo, carrier, updatedAt: now },
    });
    await addShipmentEvent(tx, s, {
      eventId: `accepted:${waybillNo}`,
      type: "accepted",
      at: now,
      source,
      actorUserId,
      note: carrier,
    });
    await queueShipmentPush(tx, s, "shipment.updated", { now });
    return { ok: true };
  });
}

/** The partner will not carry it: back to the coordinator's unassigned list, with the reason. */
export async function rejectShipment({
  partnerId,
  shipmentId,
  reason,
  actorUserId = null,
  source = "PARTNER_API",
  now = new Date(),
}: {
  partnerId: string;
  shipmentId: string;
  reason: string;
  actorUserId?: string | null;
  source?: string;
  now?: Date;
}): Promise<PartnerOutcome> {
  return unscopedDb().$transaction(async (tx) => {
    const s = await lockPartnerShipment(tx, partnerId, shipmentId);
    if (!s) return { ok: false, error: "notFound" };
    if (!beforePickup(s.status)) return { ok: false, error: "notAllowed", status: s.status };
    await tx.shipment.update({
      where: { shopId_id: { shopId: s.shopId, id: s.id } },
      data: { status: "UNASSIGNED", partnerId: null, manifestId: null, feedXid: null, reason, updatedAt: now },
    });
    await addShipmentEvent(tx, s, {
      eventId: `rejected:${partnerId}:${now.getTime()}`,
      type: "rejected",
      at: now,
      source,
      actorUserId,
      note: reason,
    });
    await queueShipmentPush(tx, s, "shipment.updated", { now, partnerId });
    return { ok: true };
  });
}

/**
 * A partner's event. Idempotent by eventId (a repeat changes nothing and answers the same);
 * an event older than the latest applied is kept in the timeline without moving the status
 * back. The shop order follows through the order writer: any sign of the parcel on the road
 * makes it HANDED_OVER, a delivery DELIVERED (and, for cash on delivery, paid).
 */
export async function reportShipmentEvent({
  partnerId,
  shipmentId,
  event,
  actorUserId = null,
  source = "PARTNER_API",
}: {
  partnerId: string;
  shipmentId: string;
  event: PartnerEvent;
  actorUserId?: string | null;
  source?: string;
}): Promise<PartnerOutcome<{ duplicate: boolean; status: ShipmentStatus }>> {
  const outcome = await unscopedDb().$transaction(async (tx) => {
    const s = await lockPartnerShipment(tx, partnerId, shipmentId);
    if (!s) return { ok: false as const, error: "notFound" as const };
    const existing = await tx.shipmentEvent.findFirst({
      where: { shopId: s.shopId, shipmentId: s.id, eventId: event.eventId },
      select: { id: true },
    });
    if (existing) return { ok: true as const, duplicate: true, status: s.status, notify: null };
    if (!partnerMayReport(s.status) && !(event.type === "returned" && s.status === "FAILED")) {
      return { ok: false as const, error: "notAllowed" as const, status: s.status };
    }
    const now = new Date();
    await addShipmentEvent(tx, s, { ...event, source, actorUserId });
    const status = statusAfter(s.status, s.lastEventAt, event);
    const latest = !s.lastEventAt || event.at >= s.lastEventAt;
    await tx.shipment.update({
      where: { shopId_id: { shopId: s.shopId, id: s.id } },
      data: {
        status,
        ...(latest ? { lastEventAt: event.at } : {}),
        ...(event.type === "in_locker" && event.lockerCode ? { lockerCode: event.lockerCode } : {}),
        ...(event.type === "delivered" && event.codCollectedFen != null
          ? { codCollectedFen: event.codCollectedFen }
          : {}),
        ...(event.type === "failed" ? { reason: event.note ?? null } : {}),
        updatedAt: now,
      },
    });
    const orderChanges = await followShopOrder(tx, s, event, status, now);
    await queueShipmentPush(tx, s, "shipment.updated", { now });
    return {
      ok: true as const,
      duplicate: false,
      status,
      notify: { shopId: s.shopId, shipmentId: s.id, orderChanges },
    };
  });
  if (outcome.ok && outcome.notify) {
    if (BUYER_NOTIFIED_EVENTS.includes(event.type))
      await notifyShipmentEvent(outcome.notify.shopId, outcome.notify.shipmentId, event.type);
    for (const change of outcome.notify.orderChanges)
      await notifyOrderChange(change.orderId, change.change, change.number);
  }
  if (!outcome.ok) return outcome;
  return { ok: true, duplicate: outcome.duplicate, status: outcome.status };
}

type FollowedChange = { orderId: string; number: string; change: "handed_over" | "delivered" };

/** Moves the shop order along with its parcel (through the order writer: the one place statuses change). */
async function followShopOrder(
  tx: Tx,
  s: LockedShipment,
  event: PartnerEvent,
  status: ShipmentStatus,
  now: Date,
): Promise<FollowedChange[]> {
  const so = await lockShopOrder(tx, { shopId: s.shopId, id: s.shopOrderId });
  if (!so) return [];
  const changes: FollowedChange[] = [];
  const actor = { kind: "SYSTEM" as const };
  const onTheRoad = event.type !== "returned";
  if (onTheRoad && so.status === "PACKED") {
    await moveShopOrder(tx, so, "HANDED_OVER", actor, { now: event.at < now ? event.at : now, note: "logistics" });
    changes.push({ orderId: so.orderId, number: so.number, change: "handed_over" });
  }
  if (status === "DELIVERED" && event.type === "delivered") {
    if (s.codAmountFen > 0) await bookCashOnDelivery(tx, so, { collectedFen: event.codCollectedFen ?? null, now });
    if (so.status === "HANDED_OVER") {
      await moveShopOrder(tx, so, "DELIVERED", actor, { now, note: "logistics" });
      changes.push({ orderId: so.orderId, number: so.number, change: "delivered" });
    }
  }
  if (status === "RETURNED" && event.type === "returned") await goodsCameBack(tx, so, { now });
  return changes;
}
