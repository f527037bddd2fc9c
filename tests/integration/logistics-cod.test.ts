import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { feeFen } from "~/modules/ledger/fee";
import { codHeldByPartners, recordCodRemittance } from "~/modules/ledger/cod.server";
import { ledgerSummary } from "~/modules/ledger/statement.server";
import { acceptShipment, reportShipmentEvent } from "~/modules/logistics/partner-actions.cross-shop.server";
import { packShopOrder } from "~/modules/logistics/packing.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { getBuyerOrder, rememberOrder } from "~/modules/orders/buyer-orders.cross-shop.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { sweepExpiredOrders } from "~/modules/payments/payments.cross-shop.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { loader as moneyLoader } from "~/routes/admin.$shop.money._index";
import { action as payoutAction, loader as payoutLoader } from "~/routes/platform.payouts.$shop";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn } from "../support/auth";
import { addToCart, cartIdOf } from "~/modules/cart/cart.cross-shop.server";
import { loadCheckoutCart } from "~/modules/checkout/place-order.cross-shop.server";
import { guest, request, SHOP_A, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// 货到付款 as it really works (issue #10): accepted (not paid), kept past the 72 h unpaid
// expiry, packed, paid only when the partner reports the cash at delivery — booked once, held
// by the partner until it pays the platform — and goods of a failed delivery back in stock.

let f: Fixture;
let shopA: string;
let ownerA: string;
let partner: string;

const parcels = { parcelCount: 1, weightGrams: 2500, coldChain: false };
const HOURS = 3600_000;

async function stockOf(variantId: string) {
  return (await unscopedDb().variant.findFirstOrThrow({ where: { id: variantId } })).stock;
}

async function shopOrderOf(id: string) {
  return unscopedDb().shopOrder.findFirstOrThrow({ where: { id } });
}

async function ledgerOf(shopOrderId: string) {
  const rows = await unscopedDb().ledgerEntry.findMany({
    where: { shopOrderId },
    orderBy: { kind: "asc" },
    select: { kind: true, amountFen: true, partnerId: true },
  });
  return rows;
}

/** Places a COD order, accepts it, packs it and has the partner accept it: the shipment's id. */
async function acceptedAndShipped(quantity = 1, placedAt = new Date()) {
  const placed = await placeTestOrder({
    lines: [{ variantId: f.a.p6.id, quantity }],
    offlineMethod: "COD",
    now: placedAt,
  });
  const so = placed.shopOrders.get(shopA)!;
  expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "accept", userId: ownerA })).toEqual({
    ok: true,
  });
  expect((await packShopOrder({ shopId: shopA, shopOrderId: so.id, userId: ownerA, parcels })).ok).toBe(true);
  const shipment = await unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
  expect(
    await acceptShipment({
      partnerId: partner,
      shipmentId: shipment.id,
      waybillNo: `W${so.number}`,
      carrier: "县物流",
    }),
  ).toEqual({ ok: true });
  return { so, orderId: placed.orderId, shipment };
}

function report(shipmentId: string, event: Parameters<typeof reportShipmentEvent>[0]["event"]) {
  return reportShipmentEvent({ partnerId: partner, shipmentId, event });
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  ownerA = (await createUser({ name: "甲" })).id;
  await addMember(shopA, ownerA, "OWNER");
  const county = await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA }, select: { countyId: true } });
  partner = (
    await createPartner({
      countyId: county.countyId,
      nameZh: "阳山县级物流中心",
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT", "LOCKER"],
      areas: [],
    })
  ).id;
});

describe("accepting a cash-on-delivery order", () => {
  it("offers accept (not confirm payment) and keeps the goods past the 72 h unpaid expiry", async () => {
    const placedAt = new Date();
    const before = await stockOf(f.a.p6.id);
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 2 }], offlineMethod: "COD" });
    const so = placed.shopOrders.get(shopA)!;
    expect(
      await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "confirmPayment", userId: ownerA }),
    ).toEqual({ ok: false, error: "notAllowed" });
    expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "accept", userId: ownerA })).toEqual({
      ok: true,
    });
    const accepted = await shopOrderOf(so.id);
    expect(accepted.status).toBe("ACCEPTED");
    expect(accepted.paidAt).toBeNull();
    expect(await ledgerOf(so.id)).toEqual([]);
    // Three days and more later the sweeper runs: the accepted order stays, its goods stay sold.
    await sweepExpiredOrders(new Date(placedAt.getTime() + 80 * HOURS));
    expect((await shopOrderOf(so.id)).status).toBe("ACCEPTED");
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: placed.orderId } })).status).not.toBe("EXPIRED");
    expect(await stockOf(f.a.p6.id)).toBe(before - 2);
    // An accepted order not yet packed can still be cancelled: the goods come back.
    expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "cancel", userId: ownerA })).toEqual({
      ok: true,
    });
    expect((await shopOrderOf(so.id)).status).toBe("CANCELLED");
    expect(await stockOf(f.a.p6.id)).toBe(before);
  });

  it("a bank transfer is still confirmed paid, not accepted", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
    const so = placed.shopOrders.get(shopA)!;
    expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "accept", userId: ownerA })).toEqual({
      ok: false,
      error: "notAllowed",
    });
    expect(
      await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "confirmPayment", userId: ownerA }),
    ).toEqual({ ok: true });
  });
});

describe("delivery with the cash collected", () => {
  it("pays the shop order, books sale, fee and partner-held cash once, and says who owes whom", async () => {
    const { so, shipment, orderId } = await acceptedAndShipped();
    const cookie = (await rememberOrder(new Request("http://localhost/"), orderId))!.split(";")[0]!;
    const buyerSees = async () =>
      (await getBuyerOrder({
        request: new Request("http://localhost/", { headers: { Cookie: cookie } }),
        number: so.number.split("-")[0]!,
        lng: "zh-CN",
      }))!.status;
    expect(await buyerSees()).toBe("ACCEPTED");
    expect(shipment.codAmountFen).toBe(so.totalFen);
    // Uncollected cash cannot be refunded: there is no money to give back.
    expect(
      await refundShopOrder({
        shopId: shopA,
        shopOrderId: so.id,
        amountFen: 100,
        reason: null,
        lines: [],
        userId: ownerA,
      }),
    ).toEqual({ ok: false, error: "notRefundable" });
    const t0 = Date.now();
    await report(shipment.id, { eventId: "p1", type: "picked_up", at: new Date(t0) });
    expect((await shopOrderOf(so.id)).paidAt).toBeNull();
    const delivered = {
      eventId: "d1",
      type: "delivered" as const,
      at: new Date(t0 + 1000),
      codCollectedFen: so.totalFen,
    };
    expect(await report(shipment.id, delivered)).toMatchObject({ ok: true, status: "DELIVERED" });
    // The partner's system sends the delivery again: same eventId, and once more under a new id.
    expect(await report(shipment.id, delivered)).toMatchObject({ ok: true, duplicate: true });
    await report(shipment.id, { ...delivered, eventId: "d1-again", at: new Date(t0 + 2000) });
    const paid = await shopOrderOf(so.id);
    expect(paid.status).toBe("DELIVERED");
    expect(await buyerSees()).toBe("PAID");
    expect(paid.paidAt).not.toBeNull();
    const fee = feeFen(so.totalFen, paid.feeBps);
    expect(fee).toBeGreaterThan(0);
    expect(await ledgerOf(so.id)).toEqual([
      { kind: "SALE", amountFen: so.totalFen, partnerId: null },
      { kind: "PLATFORM_FEE", amountFen: -fee, partnerId: null },
      { kind: "COD_HELD_BY_PARTNER", amountFen: -so.totalFen, partnerId: partner },
    ]);
    const owed = (await codHeldByPartners(shopA)).find((p) => p.partnerId === partner)!;
    expect(owed).toMatchObject({ partnerNameZh: "阳山县级物流中心", collectedFen: so.totalFen, remittedFen: 0 });
    expect(owed.owedFen).toBe(so.totalFen);
    expect(owed.flagged).toEqual([]);

    // The partner pays the platform: recorded once per form, never more than it owes.
    const balanceBefore = (await ledgerSummary(shopA)).balanceFen;
    expect(
      await recordCodRemittance({
        key: `k-too-much-${so.id}`,
        shopId: shopA,
        partnerId: partner,
        amountFen: owed.owedFen + 1,
        reference: null,
        userId: null,
      }),
    ).toEqual({ ok: false, error: "amountTooHigh" });
    const remit = {
      key: `k-${so.id}`,
      shopId: shopA,
      partnerId: partner,
      amountFen: owed.owedFen,
      reference: "回单 0001",
      userId: null,
    };
    expect(await recordCodRemittance(remit)).toEqual({ ok: true, already: false });
    expect(await recordCodRemittance(remit)).toEqual({ ok: true, already: true });
    expect((await codHeldByPartners(shopA)).find((p) => p.partnerId === partner)!.owedFen).toBe(0);
    // The platform now owes the cooperative the cash, less nothing more (the fee was booked at delivery).
    expect((await ledgerSummary(shopA)).balanceFen).toBe(balanceBefore + owed.owedFen);
  });

  it("a collected amount different from the amount to collect is booked as reported and flagged", async () => {
    const { so, shipment } = await acceptedAndShipped();
    await report(shipment.id, {
      eventId: "d",
      type: "delivered",
      at: new Date(),
      codCollectedFen: so.totalFen - 500,
    });
    const held = (await ledgerOf(so.id)).find((e) => e.kind === "COD_HELD_BY_PARTNER")!;
    expect(held.amountFen).toBe(-(so.totalFen - 500));
    const owed = (await codHeldByPartners(shopA)).find((p) => p.partnerId === partner)!;
    expect(owed.flagged.map((x) => x.shopOrderNumber)).toContain(so.number);
    const logged = await unscopedDb().securityEvent.findMany({ where: { type: "cod_amount_mismatch" } });
    expect(logged.some((e) => (e.detail as { shopOrder: string }).shopOrder === so.number)).toBe(true);
  });
});

describe("a cooperative delivering a cash-on-delivery order itself", () => {
  it("collected the cash: paid at delivery, with the sale, the fee and the cash it holds booked once", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }], offlineMethod: "COD" });
    const so = placed.shopOrders.get(shopA)!;
    for (const action of ["accept", "pack", "handOver"] as const)
      expect(await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action, userId: ownerA })).toEqual({ ok: true });
    expect((await shopOrderOf(so.id)).paidAt).toBeNull();
    expect(await ledgerOf(so.id)).toEqual([]);
    const deliveredAt = new Date();
    expect(
      await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "deliver", userId: ownerA, now: deliveredAt }),
    ).toEqual({ ok: true });
    const delivered = await shopOrderOf(so.id);
    expect(delivered.status).toBe("DELIVERED");
    expect(delivered.paidAt).toEqual(deliveredAt);
    const entries = await ledgerOf(so.id);
    expect(entries.map((e) => e.kind).sort()).toEqual(["OFFLINE_COLLECTED", "PLATFORM_FEE", "SALE"]);
    expect(entries.find((e) => e.kind === "SALE")!.amountFen).toBe(delivered.totalFen);
    expect(entries.find((e) => e.kind === "OFFLINE_COLLECTED")!.amountFen).toBe(-delivered.totalFen);
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: placed.orderId } })).status).toBe("PAID");
  });
});

describe("a failed delivery", () => {
  it("returned goods go back to stock and the cash-on-delivery order is cancelled, with nothing booked", async () => {
    const before = await stockOf(f.a.p6.id);
    const { so, shipment } = await acceptedAndShipped(3);
    expect(await stockOf(f.a.p6.id)).toBe(before - 3);
    const t0 = Date.now();
    await report(shipment.id, { eventId: "p", type: "picked_up", at: new Date(t0) });
    await report(shipment.id, { eventId: "f", type: "failed", at: new Date(t0 + 1000), note: "电话无人接听" });
    expect((await shopOrderOf(so.id)).status).toBe("HANDED_OVER");
    expect(await stockOf(f.a.p6.id)).toBe(before - 3);
    const returned = { eventId: "r", type: "returned" as const, at: new Date(t0 + 2000) };
    expect(await report(shipment.id, returned)).toMatchObject({ ok: true, status: "RETURNED" });
    expect(await report(shipment.id, returned)).toMatchObject({ duplicate: true });
    expect((await shopOrderOf(so.id)).status).toBe("CANCELLED");
    expect(await stockOf(f.a.p6.id)).toBe(before);
    expect(await ledgerOf(so.id)).toEqual([]);
    const movements = await unscopedDb().stockMovement.findMany({
      where: { variantId: f.a.p6.id, reason: { startsWith: "returned" } },
    });
    expect(movements.map((m) => m.delta)).toEqual([3]);
  });
});

describe("pickup points of partners' networks at checkout", () => {
  it("offers a Shanghai locker to a buyer in 上海 and refuses one from another city", async () => {
    const countyId = (await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA } })).countyId;
    const point = (code: string, cityZh: string, cityEn: string, districtZh: string) =>
      unscopedDb().pickupPoint.create({
        data: {
          countyId,
          partnerId: partner,
          code,
          kind: "LOCKER",
          nameZh: `${cityZh}${districtZh}快递柜 ${code}`,
          nameEn: `${cityEn} locker ${code}`,
          addressZh: `${cityZh}${districtZh}某路 1 号`,
          addressEn: `1 Some Road, ${cityEn}`,
          cityZh,
          cityEn,
          districtZh,
          districtEn: null,
        },
      });
    const shanghai = await point("T-SH-1", "上海", "Shanghai", "浦东新区");
    const nanjing = await point("T-NJ-1", "南京", "Nanjing", "鼓楼区");
    const { visitor } = await guest();
    expect(
      await addToCart({ visitor, request: request(), variantId: f.a.p6.id, quantity: 1, now: new Date() }),
    ).toMatchObject({ ok: true });
    const offered = async (region: string | null) =>
      (await loadCheckoutCart(unscopedDb(), cartIdOf(visitor)!, "zh-CN", { region }))[0]!.pickupPoints.map((p) => p.id);
    expect(await offered("上海市浦东新区")).toContain(shanghai.id);
    expect(await offered("上海市浦东新区")).not.toContain(nanjing.id);
    expect(await offered("shanghai")).toContain(shanghai.id);
    expect(await offered(null)).not.toContain(shanghai.id);

    const placed = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      pickup: { [shopA]: { delivery: "LOCKER", pickupPointId: shanghai.id } },
      pickupRegion: "上海市 浦东新区",
      offlineMethod: "COD",
    });
    const so = await shopOrderOf(placed.shopOrders.get(shopA)!.id);
    expect(so.pickupPointId).toBe(shanghai.id);
    await expect(
      placeTestOrder({
        lines: [{ variantId: f.a.p6.id, quantity: 1 }],
        pickup: { [shopA]: { delivery: "LOCKER", pickupPointId: nanjing.id } },
        pickupRegion: "上海市 浦东新区",
      }),
    ).rejects.toThrow(/pickupRequired/);
  });
});

describe("both ledgers' views", () => {
  it("the cooperative reads what the partner owes it; the platform reads what the partner owes and records its payment", async () => {
    const { so, shipment } = await acceptedAndShipped();
    await report(shipment.id, { eventId: "d", type: "delivered", at: new Date(), codCollectedFen: so.totalFen });
    const owner = await signedIn(ownerA);
    const admin = await signedIn((await createUser({ name: "平台", isPlatformAdmin: true })).id);
    type Cod = { cod: { partnerId: string; owedFen: number; partnerNameZh: string }[] };
    const mine = await run(moneyLoader as never, getAs(owner, `http://localhost/admin/${SHOP_A}/money`), {
      shop: SHOP_A,
    });
    expect(mine.status).toBe(200);
    const owedToShop = (mine.data as unknown as Cod).cod.find((p) => p.partnerId === partner)!;
    expect(owedToShop.partnerNameZh).toBe("阳山县级物流中心");
    expect(owedToShop.owedFen).toBeGreaterThanOrEqual(so.totalFen);

    const url = `http://localhost/platform/payouts/${SHOP_A}`;
    const shown = await run(payoutLoader as never, getAs(admin, url), { shop: SHOP_A });
    expect((shown.data as unknown as Cod).cod.find((p) => p.partnerId === partner)!.owedFen).toBe(owedToShop.owedFen);

    const fields = (key: string, amount: string) => ({
      intent: "codRemittance",
      partnerId: partner,
      amount,
      reference: "县物流回单 7",
      key,
    });
    const pay = (session: typeof admin, f: Record<string, string>) =>
      run(payoutAction as never, postAs(session, url, f), { shop: SHOP_A });
    const tooMuch = await pay(admin, fields("aa00112233445566778899bb", ((owedToShop.owedFen + 1) / 100).toFixed(2)));
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.data).toMatchObject({ formError: "money.errors.amountTooHigh" });
    expect((await pay(owner, fields("aa00112233445566778899bb", "1.00"))).status).toBe(403);
    const paid = await pay(admin, fields("aa00112233445566778899cc", (owedToShop.owedFen / 100).toFixed(2)));
    expect(paid.status).toBe(302);
    expect(paid.location).toBe(`/platform/payouts/${SHOP_A}?done=codRemittance`);
    const after = await run(moneyLoader as never, getAs(owner, `http://localhost/admin/${SHOP_A}/money`), {
      shop: SHOP_A,
    });
    expect((after.data as unknown as Cod).cod.find((p) => p.partnerId === partner)!.owedFen).toBe(0);
    expect(await unscopedDb().securityEvent.count({ where: { type: "cod_remittance_recorded" } })).toBe(1);
  });
});
