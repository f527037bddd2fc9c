import type { Tx } from "~/db/index.server";
import { shanghaiDate } from "./run-date";
import { choosePartner } from "./assignment.server";
import { queueShipmentPush } from "./push-outbox.server";
import { beforePickup, type ShipmentStatus } from "./shipment-status";

// Shipments are made and unmade inside the transaction of the shop order change that needs
// them (packing, a refund, a cancellation), so an order is never packed without one and a
// shipment never outlives its order. Every query names the shop.

export interface PackedParcels {
  parcelCount: number;
  weightGrams: number;
  coldChain: boolean;
}

/** The platform's own waybill number, printed on the label before a partner gives its own. */
export function platformWaybillNo(shopOrderNumber: string): string {
  return `YC${shopOrderNumber.replace(/[^0-9A-Z]/gi, "").toUpperCase()}`;
}

/**
 * Creates the shipment of a shop order that was just packed and assigns it by the county's
 * rules; with no partner that fits it waits UNASSIGNED in the coordinator's list. Experiences
 * (VISIT) ship nothing: returns null.
 */
export async function createShipment(
  tx: Tx,
  so: { id: string; shopId: string },
  parcels: PackedParcels,
  { now = new Date(), actorUserId = null }: { now?: Date; actorUserId?: string | null } = {},
): Promise<{ id: string; partnerId: string | null } | null> {
  const order = await tx.shopOrder.findFirstOrThrow({
    where: { id: so.id, shopId: so.shopId },
    select: {
      number: true,
      delivery: true,
      pickupPointId: true,
      totalFen: true,
      refundedFen: true,
      pickupPoint: { select: { partnerId: true } },
      order: { select: { provider: true, offlineMethod: true } },
      shop: { select: { countyId: true, townZh: true, villageZh: true } },
    },
  });
  if (order.delivery === "VISIT") return null;
  const cashOnDelivery = order.order.provider === "OFFLINE" && order.order.offlineMethod === "COD";
  const shipment = await tx.shipment.create({
    data: {
      shopId: so.shopId,
      shopOrderId: so.id,
      countyId: order.shop.countyId,
      status: "UNASSIGNED",
      delivery: order.delivery,
      coldChain: parcels.coldChain,
      parcelCount: parcels.parcelCount,
      weightGrams: parcels.weightGrams,
      codAmountFen: cashOnDelivery ? order.totalFen - order.refundedFen : 0,
      waybillNo: platformWaybillNo(order.number),
      pickupPointId: order.pickupPointId,
      createdAt: now,
    },
    select: { id: true, shopId: true },
  });
  await addShipmentEvent(tx, shipment, { eventId: "created", type: "created", at: now, source: "SHOP", actorUserId });
  const partnerId = await choosePartner(tx, {
    countyId: order.shop.countyId,
    delivery: order.delivery,
    coldChain: parcels.coldChain,
    townZh: order.shop.townZh,
    villageZh: order.shop.villageZh,
    pickupPartnerId: order.pickupPoint?.partnerId ?? null,
  });
  if (partnerId) await assignShipment(tx, shipment, partnerId, { now, source: "SYSTEM", push: false });
  await queueShipmentPush(tx, shipment, "shipment.created", { now });
  return { id: shipment.id, partnerId };
}

/**
 * Gives a shipment to a partner (the rules at packing, or a coordinator by hand): it enters the
 * partner's feed (a new feedXid, so the partner's cursor meets it) and the day's pickup run.
 */
export async function assignShipment(
  tx: Tx,
  shipment: { id: string; shopId: string },
  partnerId: string,
  {
    now = new Date(),
    source = "PLATFORM",
    actorUserId = null,
    push = true,
  }: { now?: Date; source?: string; actorUserId?: string | null; push?: boolean } = {},
): Promise<void> {
  const row = await tx.shipment.findFirstOrThrow({
    where: { id: shipment.id, shopId: shipment.shopId },
    select: { shop: { select: { townZh: true, villageZh: true } }, countyId: true },
  });
  const manifestId = await manifestFor(tx, {
    countyId: row.countyId,
    partnerId,
    runDate: shanghaiDate(now),
    route: row.shop.townZh ?? row.shop.villageZh,
    stopShopId: shipment.shopId,
  });
  // pg_current_xact_id(): this transaction's id, which orders the feed (docs/decisions/016).
  await tx.$executeRaw`
    UPDATE "Shipment"
       SET "partnerId" = ${partnerId}, status = 'ASSIGNED', "manifestId" = ${manifestId}, reason = NULL,
           "feedXid" = pg_current_xact_id()::text::bigint, "updatedAt" = ${now}
     WHERE id = ${shipment.id} AND "shopId" = ${shipment.shopId}`;
  await addShipmentEvent(tx, shipment, {
    eventId: `assigned:${partnerId}:${now.getTime()}`,
    type: "assigned",
    at: now,
    source,
    actorUserId,
  });
  if (push) await queueShipmentPush(tx, shipment, "shipment.updated", { now });
}

/** The partner's run for that date and route, and the shop's stop on it; made when first needed. */
async function manifestFor(
  tx: Tx,
  m: { countyId: string; partnerId: string; runDate: Date; route: string; stopShopId: string },
): Promise<string> {
  // INSERT … ON CONFLICT: two shops packing at once for the same run share one manifest.
  // DO NOTHING, then read: DO UPDATE would lock the run's row until commit and so serialise
  // every packing on the run (each shop's packing waiting for the others' transactions).
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Manifest" (id, "countyId", "partnerId", "runDate", route)
    VALUES (${`mf_${crypto.randomUUID().replace(/-/g, "")}`}, ${m.countyId}, ${m.partnerId}, ${m.runDate}::date, ${m.route})
    ON CONFLICT ("partnerId", "runDate", route) DO NOTHING
    RETURNING id`;
  const manifestId =
    inserted[0]?.id ??
    (
      await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Manifest" WHERE "partnerId" = ${m.partnerId} AND "runDate" = ${m.runDate}::date AND route = ${m.route}`
    )[0]!.id;
  await tx.$executeRaw`
    INSERT INTO "ManifestStop" (id, "manifestId", "stopShopId")
    VALUES (${`ms_${crypto.randomUUID().replace(/-/g, "")}`}, ${manifestId}, ${m.stopShopId})
    ON CONFLICT ("manifestId", "stopShopId") DO NOTHING`;
  return manifestId;
}

/** Records an event once per (shipment, eventId); createdAt is the wall clock, which orders events of one instant. */
export async function addShipmentEvent(
  tx: Tx,
  shipment: { id: string; shopId: string },
  e: {
    eventId: string;
    type: string;
    at: Date;
    source: string;
    actorUserId?: string | null;
    note?: string | null;
    lockerCode?: string | null;
    codCollectedFen?: number | null;
  },
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "ShipmentEvent" (id, "shopId", "shipmentId", "eventId", type, at, note, "lockerCode", "codCollectedFen", source, "actorUserId", "createdAt")
    VALUES (${`se_${crypto.randomUUID().replace(/-/g, "")}`}, ${shipment.shopId}, ${shipment.id}, ${e.eventId},
            ${e.type}::"ShipmentEventType", ${e.at}, ${e.note ?? null}, ${e.lockerCode ?? null}, ${e.codCollectedFen ?? null},
            ${e.source}, ${e.actorUserId ?? null}, clock_timestamp())
    ON CONFLICT ("shopId", "shipmentId", "eventId") DO NOTHING`;
  return inserted > 0;
}

/**
 * A refund or cancellation of the shop order: a shipment still with the cooperative is
 * cancelled and its partner told; one already picked up goes on (the goods are on the road).
 * A partial refund before pickup changes what the parcel holds: the partner is told that too.
 */
export async function shopOrderChangedBeforePickup(
  tx: Tx,
  so: { id: string; shopId: string },
  change: "cancelled" | "contents",
  { now = new Date(), note = null }: { now?: Date; note?: string | null } = {},
): Promise<"cancelled" | "updated" | "in-transit" | "none"> {
  const rows = await tx.$queryRaw<{ id: string; status: ShipmentStatus }[]>`
    SELECT id, status::text AS status FROM "Shipment"
     WHERE "shopOrderId" = ${so.id} AND "shopId" = ${so.shopId} FOR UPDATE`;
  const shipment = rows[0];
  if (!shipment) return "none";
  const ref = { id: shipment.id, shopId: so.shopId };
  if (!beforePickup(shipment.status)) return "in-transit";
  if (change === "contents") {
    await tx.shipment.update({ where: { shopId_id: { shopId: ref.shopId, id: ref.id } }, data: { updatedAt: now } });
    await queueShipmentPush(tx, ref, "shipment.updated", { now });
    return "updated";
  }
  await tx.shipment.update({
    where: { shopId_id: { shopId: ref.shopId, id: ref.id } },
    data: { status: "CANCELLED", reason: note, updatedAt: now },
  });
  await addShipmentEvent(tx, ref, { eventId: "cancelled", type: "cancelled", at: now, source: "SHOP", note });
  await queueShipmentPush(tx, ref, "shipment.cancelled", { now });
  return "cancelled";
}
