import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { ParcelLabel } from "~/components/logistics/parcel-label";
import { env } from "~/env.server";
import { createI18n } from "~/lib/i18n.server";
import { acceptShipment, reportShipmentEvent } from "~/modules/logistics/partner-actions.cross-shop.server";
import { createPartner } from "~/modules/logistics/partners.server";
import type { ParcelLabel as ParcelLabelData } from "~/modules/logistics/shop-shipments.server";
import { rememberOrder } from "~/modules/orders/buyer-orders.cross-shop.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { action as orderAction, loader as orderLoader } from "~/routes/admin.$shop.orders.$order";
import { loader as labelsLoader } from "~/routes/admin.$shop.orders.$order_.labels";
import { loader as listLoader } from "~/routes/admin.$shop.orders._index";
import { loader as buyerLoader } from "~/routes/orders.$number";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { pickupPoint, placeTestOrder } from "./orders-fixtures";

// Issue #10, the cooperative's and the buyer's pages, through their routes: the pack form
// (bad input answers a translated error and changes nothing; good input packs and makes the
// shipment), the shipment on the order page, the list's shipment filter, the parcel labels
// (one per parcel, the mobile masked, the waybill and the trace URL on the configured origin)
// and the buyer's order page with the partner's timeline.

let f: Fixture;
let shopA: string;
let ownerAId: string;
let ownerA: Session;
let ownerB: Session;
let partnerA: string;

const base = (slug: string) => `http://localhost/admin/${slug}/orders`;
const dataOf = <T>(result: { data?: unknown }) => result.data as T;

async function act(session: Session, slug: string, number: string, fields: Record<string, string>) {
  return run(orderAction as never, postAs(session, `${base(slug)}/${number}`, fields), { shop: slug, order: number });
}

async function page(session: Session, slug: string, number: string) {
  return run(orderLoader as never, getAs(session, `${base(slug)}/${number}`), { shop: slug, order: number });
}

async function labels(session: Session, slug: string, number: string, url = `${base(slug)}/${number}/labels`) {
  return run(labelsLoader as never, getAs(session, url), { shop: slug, order: number });
}

async function paidOrder(options: Parameters<typeof placeTestOrder>[0] = { lines: [] }) {
  // Cash on delivery: the cooperative accepts it (not paid) and packs it with the amount to collect.
  const placed = await placeTestOrder({
    offlineMethod: "COD",
    ...(options.lines.length ? options : { ...options, lines: [{ variantId: f.a.p6.id, quantity: 2 }] }),
  });
  const so = placed.shopOrders.get(shopA)!;
  expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "accept", userId: ownerAId })).toEqual({
    ok: true,
  });
  return { placed, so };
}

async function state(shopOrderId: string) {
  const prisma = unscopedDb();
  const [so, events, shipments, pushes] = await Promise.all([
    prisma.shopOrder.findFirstOrThrow({ where: { id: shopOrderId } }),
    prisma.shopOrderEvent.findMany({ where: { shopOrderId }, orderBy: { id: "asc" } }),
    prisma.shipment.findMany({ where: { shopOrderId } }),
    prisma.webhookDelivery.count(),
  ]);
  return JSON.stringify({ so, events, shipments, pushes }, (_, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  const shopB = await shopIdOf(SHOP_B);
  const oA = await createUser({ name: "王店主" });
  ownerAId = oA.id;
  await addMember(shopA, oA.id, "OWNER");
  ownerA = await signedIn(oA.id);
  const oB = await createUser();
  await addMember(shopB, oB.id, "OWNER");
  ownerB = await signedIn(oB.id);
  const { countyId } = await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA } });
  partnerA = (
    await createPartner({
      countyId,
      nameZh: "县共同配送中心",
      nameEn: "County Delivery Centre",
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"],
      areas: [],
    })
  ).id;
});

describe("the pack form", () => {
  it("answers bad parcels or weight with a translated field error and changes nothing", async () => {
    const { so } = await paidOrder();
    const before = await state(so.id);
    const [zh, en] = await Promise.all([createI18n("zh-CN"), createI18n("en")]);
    const cases: [Record<string, string>, "parcels" | "weight", string][] = [
      [{ parcels: "2", weight: "abc" }, "weight", "packing.errors.weightInvalid"],
      [{ parcels: "2", weight: "0" }, "weight", "packing.errors.weightRange"],
      [{ parcels: "2", weight: "1000.5" }, "weight", "packing.errors.weightRange"],
      [{ parcels: "2", weight: "1e3" }, "weight", "packing.errors.weightInvalid"],
      [{ parcels: "2", weight: "" }, "weight", "packing.errors.weightRequired"],
      [{ parcels: "0", weight: "3" }, "parcels", "packing.errors.parcelsRange"],
      [{ parcels: "21", weight: "3" }, "parcels", "packing.errors.parcelsRange"],
      [{ parcels: "0x2", weight: "3" }, "parcels", "packing.errors.parcelsInvalid"],
    ];
    for (const [fields, field, message] of cases) {
      const reply = await act(ownerA, SHOP_A, so.number, { intent: "pack", ...fields });
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      const body = dataOf<{ form: string; fieldErrors: Record<string, string[]> }>(reply);
      expect(body.form).toBe("pack");
      expect(body.fieldErrors[field]).toEqual([message]);
      // Translated in both languages (not the key itself).
      expect(zh.t(message)).not.toBe(message);
      expect(en.t(message)).not.toBe(message);
    }
    expect(await state(so.id)).toBe(before);
  });

  it("packs with parcels, kg and cold chain: the shipment is made, assigned and shown with its timeline", async () => {
    const { so } = await paidOrder();
    const shown = await page(ownerA, SHOP_A, so.number);
    const before = dataOf<{ pack: { parcelCount: number; shipsGoods: boolean }; order: { actions: string[] } }>(shown);
    expect(before.pack).toMatchObject({ parcelCount: 1, shipsGoods: true });
    expect(before.order.actions).toContain("pack");

    const reply = await act(ownerA, SHOP_A, so.number, {
      intent: "pack",
      parcels: "2",
      weight: "３．５",
      coldChain: "on",
    });
    expect(reply).toMatchObject({ status: 302, location: `/admin/${SHOP_A}/orders/${so.number}?done=pack` });
    const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(shipment).toMatchObject({
      status: "ASSIGNED",
      partnerId: partnerA,
      parcelCount: 2,
      weightGrams: 3500,
      coldChain: true,
    });
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("PACKED");

    const after = dataOf<{
      pack: unknown;
      order: { actions: string[] };
      shipment: { partnerName: string; status: string; events: { type: string }[]; partnerCarries: boolean };
    }>(await page(ownerA, SHOP_A, so.number));
    expect(after.pack).toBeNull();
    expect(after.shipment).toMatchObject({ partnerName: "县共同配送中心", status: "ASSIGNED", partnerCarries: true });
    expect(after.shipment.events.map((e) => e.type)).toEqual(["created", "assigned"]);
    // The partner carries it: the cooperative no longer hands over or delivers by hand.
    expect(after.order.actions).not.toContain("handOver");
    expect(after.order.actions).not.toContain("deliver");
  });

  it("refuses 'handed over' by hand while a partner carries the parcels, and changes nothing", async () => {
    const { so } = await paidOrder();
    await act(ownerA, SHOP_A, so.number, { intent: "pack", parcels: "1", weight: "1" });
    const before = await state(so.id);
    for (const intent of ["handOver", "deliver"]) {
      const reply = await act(ownerA, SHOP_A, so.number, { intent });
      expect(reply.status).toBe(409);
      expect(dataOf<{ formError: string }>(reply).formError).toBe("packing.errors.partnerCarries");
    }
    expect(await state(so.id)).toBe(before);
  });

  it("packs an experience without a shipment and without parcel fields", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.ticket.id, quantity: 1, slotId: f.a.slot }] });
    const so = placed.shopOrders.get(shopA)!;
    await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "confirmPayment", userId: ownerAId });
    const shown = dataOf<{ pack: { shipsGoods: boolean } }>(await page(ownerA, SHOP_A, so.number));
    expect(shown.pack.shipsGoods).toBe(false);
    expect((await act(ownerA, SHOP_A, so.number, { intent: "pack" })).status).toBe(302);
    expect(await unscopedDb().shipment.count({ where: { shopOrderId: so.id } })).toBe(0);
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("PACKED");
  });
});

describe("parcel labels", () => {
  it("one label per parcel: partner, waybill, masked mobile, trace URL on the configured origin, COD and cold chain", async () => {
    const { so } = await paidOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      contactPhone: "13812341234",
    });
    await act(ownerA, SHOP_A, so.number, { intent: "pack", parcels: "3", weight: "2.25", coldChain: "on" });
    // The Host the request names (anyone can send any) never reaches a printed QR code.
    const request = getAs(ownerA, `https://evil.example/admin/${SHOP_A}/orders/${so.number}/labels`);
    request.headers.set("Host", "evil.example");
    request.headers.set("X-Forwarded-Host", "evil.example");
    const result = await run(labelsLoader as never, request, { shop: SHOP_A, order: so.number });
    expect(result.status).toBe(200);
    const list = dataOf<{ labels: ParcelLabelData[] }>(result).labels;
    expect(list.map((l) => `${l.index}/${l.count}`)).toEqual(["1/3", "2/3", "3/3"]);
    const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    const batch = await db().batch.findFirstOrThrow({ where: { shopId: shopA } });
    const origin = env().PUBLIC_ORIGIN;
    for (const label of list) {
      expect(label).toMatchObject({
        partnerName: "县共同配送中心",
        waybillNo: shipment.waybillNo,
        orderNumber: so.number,
        coldChain: true,
        codAmountFen: so.totalFen, // cash on delivery: the whole shop order
        traceUrl: `${origin}/t/${batch.traceCode}`,
      });
      expect(label.recipient.phone).toBe("138****1234");
      expect(label.traceUrl).not.toContain("evil.example");
    }

    for (const lng of ["zh-CN", "en"] as const) {
      const i18n = await createI18n(lng);
      const html = renderToStaticMarkup(
        createElement(
          I18nextProvider,
          { i18n },
          list.map((label) => createElement(ParcelLabel, { key: label.index, label })),
        ),
      );
      expect(html.match(/data-testid="parcel-label"/g)).toHaveLength(3);
      expect(html).toContain("138****1234");
      expect(html).not.toContain("13812341234");
      expect(html).toContain(shipment.waybillNo!);
      expect(html).toContain(i18n.t("packing.labels.parcelOf", { index: 2, count: 3 }));
      expect(html).toContain(i18n.t("packing.labels.coldChain"));
      expect(html.match(/<svg/g)).toHaveLength(6); // a waybill QR and a trace QR on each
    }
  });

  it("another shop's owner gets 404, on their own shop's address and on this one's", async () => {
    const { so } = await paidOrder();
    await act(ownerA, SHOP_A, so.number, { intent: "pack", parcels: "1", weight: "1" });
    expect((await labels(ownerA, SHOP_A, so.number)).status).toBe(200);
    expect((await labels(ownerB, SHOP_B, so.number)).status).toBe(404);
    expect((await labels(ownerB, SHOP_A, so.number)).status).toBe(404);
  });

  it("a shop order not packed yet has no labels", async () => {
    const { so } = await paidOrder();
    expect((await labels(ownerA, SHOP_A, so.number)).status).toBe(404);
  });
});

describe("the order list's shipment filter", () => {
  it("lists shop orders by where their parcels are", async () => {
    const { so: waiting } = await paidOrder();
    await act(ownerA, SHOP_A, waiting.number, { intent: "pack", parcels: "1", weight: "1" });
    const { so: road } = await paidOrder();
    await act(ownerA, SHOP_A, road.number, { intent: "pack", parcels: "1", weight: "1" });
    const { id } = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: road.id } });
    await acceptShipment({ partnerId: partnerA, shipmentId: id, waybillNo: "ZJ0001", carrier: "县配送" });
    await reportShipmentEvent({
      partnerId: partnerA,
      shipmentId: id,
      event: { eventId: "road-1", type: "out_for_delivery", at: new Date() },
    });
    const numbers = async (shipment: string) =>
      dataOf<{ list: { rows: { number: string; shipmentStatus: string | null }[] } }>(
        await run(listLoader as never, getAs(ownerA, `${base(SHOP_A)}?shipment=${shipment}`), { shop: SHOP_A }),
      ).list.rows;
    const waitingRows = await numbers("waiting");
    expect(waitingRows.map((r) => r.number)).toContain(waiting.number);
    expect(waitingRows.map((r) => r.number)).not.toContain(road.number);
    const roadRows = await numbers("onTheRoad");
    expect(roadRows.map((r) => r.number)).toEqual([road.number]);
    expect(roadRows[0]!.shipmentStatus).toBe("OUT_FOR_DELIVERY");
    expect(await numbers("delivered")).toEqual([]);
    // An unknown filter is dropped, not refused.
    expect((await numbers("nonsense")).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the buyer's order page", () => {
  it("shows the partner, the waybill, the timeline and the locker code to the buyer, and nothing to anyone else", async () => {
    const locker = await pickupPoint(SHOP_A, "LOCKER");
    const { placed, so } = await paidOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      pickup: { [shopA]: { delivery: "LOCKER", pickupPointId: locker.id } },
    });
    await act(ownerA, SHOP_A, so.number, { intent: "pack", parcels: "1", weight: "1.2" });
    const { id } = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(
      await acceptShipment({ partnerId: partnerA, shipmentId: id, waybillNo: "ZJ7788", carrier: "县配送" }),
    ).toEqual({
      ok: true,
    });
    const t0 = Date.now();
    for (const [i, type] of (["picked_up", "at_hub", "in_locker"] as const).entries()) {
      await reportShipmentEvent({
        partnerId: partnerA,
        shipmentId: id,
        event: {
          eventId: `b-${i}`,
          type,
          at: new Date(t0 + i * 1000),
          ...(type === "in_locker" ? { lockerCode: "604211" } : {}),
        },
      });
    }

    const cookie = (await rememberOrder(new Request("http://localhost/"), placed.orderId))!.split(";")[0]!;
    const url = `http://localhost/orders/${placed.number}`;
    const mine = await run(buyerLoader as never, new Request(url, { headers: { Cookie: cookie } }), {
      number: placed.number,
    });
    const shipments = dataOf<{
      shipments: Record<
        string,
        { partnerName: string; waybillNo: string; lockerCode: string; status: string; events: { type: string }[] }
      >;
    }>(mine).shipments;
    expect(shipments[so.number]).toMatchObject({
      partnerName: "县共同配送中心",
      waybillNo: "ZJ7788",
      lockerCode: "604211",
      status: "IN_LOCKER",
    });
    // The platform's internal moves stay out of the buyer's timeline.
    expect(shipments[so.number]!.events.map((e) => e.type)).toEqual([
      "created",
      "accepted",
      "picked_up",
      "at_hub",
      "in_locker",
    ]);

    // The buyer was told, in their language, with the locker and its code.
    const told = await unscopedDb().notification.findFirstOrThrow({
      where: { template: "shipment-in_locker", payload: { path: ["shopOrderNumber"], equals: so.number } },
    });
    expect((told.payload as { text: string }).text).toBe(
      `订单 ${placed.number} 的包裹已存入桃源村丰巢柜，取件码 604211。`,
    );

    const stranger = await run(buyerLoader as never, new Request(url), { number: placed.number });
    expect(dataOf<{ order: unknown; shipments: unknown }>(stranger)).toMatchObject({ order: null, shipments: {} });
    expect(JSON.stringify(stranger.data)).not.toContain("604211");
  });
});

describe("notification texts", () => {
  it("names every shipment event the buyer is told of in both languages", async () => {
    const [zh, en] = await Promise.all([createI18n("zh-CN"), createI18n("en")]);
    for (const type of ["picked_up", "in_locker", "delivered", "failed"]) {
      for (const i18n of [zh, en]) expect(i18n.exists(`shipments.event.${type}`)).toBe(true);
    }
  });
});
