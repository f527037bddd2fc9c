import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import {
  acceptShipment,
  rejectShipment,
  reportShipmentEvent,
} from "~/modules/logistics/partner-actions.cross-shop.server";
import { decodeCursor, partnerFeedPage } from "~/modules/logistics/feed.cross-shop.server";
import { packShopOrder } from "~/modules/logistics/packing.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { addMember, createUser, shopIdOf } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// The logistics core (issue #10): packing makes a shipment in the same transaction and the
// county's rules assign it; the partner's events move the shop order through the order writer;
// repeats and late events change nothing; a refund before pickup cancels the shipment.

let f: Fixture;
let shopA: string;
let shopB: string;
let ownerA: string;
let ownerB: string;
let partnerA: string;

async function paidOrder(shopId: string, variantId: string, owner: string) {
  const placed = await placeTestOrder({ lines: [{ variantId, quantity: 1 }] });
  const so = placed.shopOrders.get(shopId)!;
  expect(await actOnShopOrder({ shopId, shopOrderId: so.id, action: "confirmPayment", userId: owner })).toEqual({
    ok: true,
  });
  return so;
}

const parcels = { parcelCount: 2, weightGrams: 3500, coldChain: false };

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  ownerA = (await createUser({ name: "甲" })).id;
  ownerB = (await createUser({ name: "乙" })).id;
  await addMember(shopA, ownerA, "OWNER");
  await addMember(shopB, ownerB, "OWNER");
  const county = await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA }, select: { countyId: true } });
  partnerA = (
    await createPartner({
      countyId: county.countyId,
      nameZh: "县物流中心",
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT", "LOCKER"],
      areas: [],
      webhookUrl: "http://127.0.0.1:9/hook",
    })
  ).id;
});

describe("packing a shop order", () => {
  it("makes a shipment assigned to the county's partner, in its run, with a push queued", async () => {
    const so = await paidOrder(shopA, f.a.p6.id, ownerA);
    const packed = await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels });
    expect(packed.ok).toBe(true);
    const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(shipment).toMatchObject({ status: "ASSIGNED", partnerId: partnerA, parcelCount: 2, weightGrams: 3500 });
    expect(shipment.feedXid).not.toBeNull();
    expect(shipment.manifestId).not.toBeNull();
    expect(
      await unscopedDb().manifestStop.count({ where: { manifestId: shipment.manifestId!, stopShopId: shopA } }),
    ).toBe(1);
    const pushes = await unscopedDb().webhookDelivery.findMany({ where: { shipmentId: shipment.id } });
    expect(pushes.map((p) => p.type)).toEqual(["shipment.created"]);
    expect((pushes[0]!.payload as { data: { orderNumber: string } }).data.orderNumber).toBe(so.number);
  });

  it("leaves the shipment unassigned when no partner serves the county", async () => {
    const so = await paidOrder(shopB, f.b.p6.id, ownerB);
    expect((await packShopOrder({ shopId: shopB, shopOrderId: so.id, userId: ownerB, parcels })).ok).toBe(true);
    const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(shipment).toMatchObject({ status: "UNASSIGNED", partnerId: null, feedXid: null });
  });
});

describe("partner events", () => {
  it("accept, picked_up, a repeat, a late event, delivered: the shop order follows and nothing moves back", async () => {
    const so = await paidOrder(shopA, f.a.p6.id, ownerA);
    await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels });
    const { id } = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(await acceptShipment({ partnerId: partnerA, shipmentId: id, waybillNo: "YZ123", carrier: "邮政" })).toEqual({
      ok: true,
    });
    const t0 = Date.now();
    const picked = { eventId: "e1", type: "picked_up" as const, at: new Date(t0) };
    expect(await reportShipmentEvent({ partnerId: partnerA, shipmentId: id, event: picked })).toMatchObject({
      ok: true,
      duplicate: false,
      status: "PICKED_UP",
    });
    expect(await reportShipmentEvent({ partnerId: partnerA, shipmentId: id, event: picked })).toMatchObject({
      ok: true,
      duplicate: true,
    });
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("HANDED_OVER");
    await reportShipmentEvent({
      partnerId: partnerA,
      shipmentId: id,
      event: { eventId: "e3", type: "out_for_delivery", at: new Date(t0 + 2000) },
    });
    // at_hub happened before out_for_delivery but arrives after it: kept, status stays.
    expect(
      await reportShipmentEvent({
        partnerId: partnerA,
        shipmentId: id,
        event: { eventId: "e2", type: "at_hub", at: new Date(t0 + 1000) },
      }),
    ).toMatchObject({ status: "OUT_FOR_DELIVERY" });
    expect(
      await reportShipmentEvent({
        partnerId: partnerA,
        shipmentId: id,
        event: { eventId: "e4", type: "delivered", at: new Date(t0 + 3000) },
      }),
    ).toMatchObject({ status: "DELIVERED" });
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("DELIVERED");
    const events = await unscopedDb().shipmentEvent.findMany({
      where: { shipmentId: id },
      orderBy: [{ at: "asc" }, { createdAt: "asc" }],
    });
    expect(events.map((e) => e.type)).toEqual([
      "created",
      "assigned",
      "accepted",
      "picked_up",
      "at_hub",
      "out_for_delivery",
      "delivered",
    ]);
    const moves = await unscopedDb().shopOrderEvent.findMany({
      where: { shopOrderId: so.id },
      orderBy: { createdAt: "asc" },
    });
    expect(moves.map((m) => m.toStatus)).toEqual(["AWAITING_PAYMENT", "PAID", "PACKED", "HANDED_OVER", "DELIVERED"]);
  });

  it("another partner's shipment is not found; a rejected one goes back to the unassigned list", async () => {
    const so = await paidOrder(shopA, f.a.p6.id, ownerA);
    await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels });
    const { id } = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    const other = await createPartner({
      countyId: (await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopB } })).countyId,
      nameZh: "别县",
      kind: "EXPRESS",
      services: ["HOME"],
      areas: [],
    });
    expect(
      await reportShipmentEvent({
        partnerId: other.id,
        shipmentId: id,
        event: { eventId: "x", type: "picked_up", at: new Date() },
      }),
    ).toEqual({ ok: false, error: "notFound" });
    expect(await rejectShipment({ partnerId: partnerA, shipmentId: id, reason: "车满了" })).toEqual({ ok: true });
    expect(await unscopedDb().shipment.findFirstOrThrow({ where: { id } })).toMatchObject({
      status: "UNASSIGNED",
      partnerId: null,
      reason: "车满了",
    });
  });
});

describe("refunds", () => {
  it("a whole refund before pickup cancels the shipment and tells the partner", async () => {
    const so = await paidOrder(shopA, f.a.p6.id, ownerA);
    await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels });
    const outcome = await refundShopOrder({
      shopId: shopA,
      shopOrderId: so.id,
      amountFen: so.totalFen,
      reason: null,
      lines: [],
      userId: ownerA,
    });
    expect(outcome).toMatchObject({ ok: true });
    const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(shipment.status).toBe("CANCELLED");
    const pushes = await unscopedDb().webhookDelivery.findMany({
      where: { shipmentId: shipment.id },
      orderBy: { createdAt: "asc" },
    });
    expect(pushes.map((p) => p.type)).toEqual(["shipment.created", "shipment.cancelled"]);
  });
});

describe("the feed's order", () => {
  it("follows the transaction ids as numbers: a cursor after xid 9 still meets xid 10", async () => {
    const partner = await createPartner({
      countyId: (await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA } })).countyId,
      nameZh: "顺序",
      kind: "EXPRESS",
      services: ["LOCKER"],
      areas: [],
    });
    const ids: string[] = [];
    for (const xid of [9n, 10n, 100n]) {
      const so = await paidOrder(shopA, f.a.p6.id, ownerA);
      await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels });
      const { id } = await unscopedDb().shipment.findFirstOrThrow({ where: { shopId: shopA, shopOrderId: so.id } });
      // Small ids whose text order ("10" < "100" < "9") differs from their numeric order.
      await unscopedDb().shipment.update({
        where: { shopId_id: { shopId: shopA, id } },
        data: { partnerId: partner.id, feedXid: xid },
      });
      ids.push(id);
    }
    const seen: string[] = [];
    let after = null;
    for (let i = 0; i < 5; i++) {
      const page = await partnerFeedPage({ partnerId: partner.id, after, status: null, limit: 1 });
      seen.push(...page.shipments.map((s) => s.id));
      if (!page.hasMore) break;
      after = decodeCursor(page.nextCursor!);
    }
    expect(seen).toEqual(ids);
  });
});
