import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { fenToYuanInput } from "~/modules/catalog/variant-schema";
import { feeFen } from "~/modules/ledger/fee";
import { newOrderCount } from "~/modules/orders/shop-orders.server";
import { loader as layoutLoader } from "~/routes/admin.$shop";
import { action as orderAction, loader as orderLoader } from "~/routes/admin.$shop.orders.$order";
import { loader as listLoader } from "~/routes/admin.$shop.orders._index";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { pickupPoint, placeTestOrder } from "./orders-fixtures";

// The cooperative's order admin, through its routes: a list and a page that show only the
// shop's own shop orders, the moves the state machine allows (and only those), cancelling,
// and refunds with stock going back while the goods never left. Orders are placed through
// the real checkout (addToCart + placeOrder), never written by hand.

let f: Fixture;
let shopA: string;
let shopB: string;
let ownerA: Session;
let ownerAId: string;
let staffA: Session;
let staffAId: string;
let ownerB: Session;
let coordinatorA: Session;

const base = (slug: string) => `http://localhost/admin/${slug}/orders`;

async function page(session: Session, slug: string, number: string) {
  return run(orderLoader as never, getAs(session, `${base(slug)}/${number}`), { shop: slug, order: number });
}

async function act(session: Session, slug: string, number: string, fields: Record<string, string>) {
  return run(orderAction as never, postAs(session, `${base(slug)}/${number}`, fields), { shop: slug, order: number });
}

/** What the pack form says (issue #10): one parcel of 1 kg. */
const PACKED = { parcels: "1", weight: "1" };

async function list(session: Session, slug: string, query = "") {
  return run(listLoader as never, getAs(session, `${base(slug)}${query}`), { shop: slug });
}

async function stockOf(variantId: string) {
  return (await unscopedDb().variant.findFirstOrThrow({ where: { id: variantId } })).stock;
}

async function bookedOf(slotId: string) {
  return (await unscopedDb().experienceSlot.findFirstOrThrow({ where: { id: slotId } })).booked;
}

async function shopOrderState(shopId: string, id: string) {
  const prisma = unscopedDb();
  const [so, events, ledger, lines, refunds, reservations] = await Promise.all([
    prisma.shopOrder.findFirstOrThrow({ where: { id } }),
    prisma.shopOrderEvent.findMany({ where: { shopOrderId: id }, orderBy: { id: "asc" } }),
    prisma.ledgerEntry.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.shopOrderLine.findMany({ where: { shopOrderId: id }, orderBy: { id: "asc" } }),
    prisma.refund.findMany({ where: { shopOrderId: id }, orderBy: { id: "asc" } }),
    prisma.reservation.findMany({ where: { shopOrderId: id }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ so, events, ledger, lines, refunds, reservations });
}

async function translate(key: string) {
  const [zh, en] = await Promise.all([createI18n("zh-CN"), createI18n("en")]);
  return { zh: zh.t(key), en: en.t(key) };
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  const owner = await createUser({ name: "王店主" });
  ownerAId = owner.id;
  await addMember(shopA, owner.id, "OWNER");
  ownerA = await signedIn(owner.id);
  const staff = await createUser({ name: "李店员" });
  staffAId = staff.id;
  await addMember(shopA, staff.id, "STAFF");
  staffA = await signedIn(staff.id);
  const oB = await createUser();
  await addMember(shopB, oB.id, "OWNER");
  ownerB = await signedIn(oB.id);
  const coordinator = await createUser();
  const { countyId } = await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA } });
  await db().countyCoordinator.create({ data: { countyId, userId: coordinator.id } });
  coordinatorA = await signedIn(coordinator.id);
});

describe("the cooperative's order list and page", () => {
  it("show only this shop's shop orders, with snapshot lines, delivery, buyer and history", async () => {
    const locker = await pickupPoint(SHOP_A, "LOCKER");
    const both = await placeTestOrder({
      lines: [
        { variantId: f.a.p6.id, quantity: 2 },
        { variantId: f.a.ticket.id, quantity: 2, slotId: f.a.slot },
        { variantId: f.b.p6.id, quantity: 1 },
      ],
      contactName: "赵买家",
      contactPhone: "13700001111",
      pickup: { [shopA]: { delivery: "LOCKER", pickupPointId: locker.id } },
    });
    const onlyB = await placeTestOrder({ lines: [{ variantId: f.b.p12.id, quantity: 1 }], contactName: "钱买家" });
    const aNumber = both.shopOrders.get(shopA)!.number;
    const bNumbers = [both.shopOrders.get(shopB)!.number, onlyB.shopOrders.get(shopB)!.number];

    // The product is renamed afterwards: the order keeps what was sold.
    await unscopedDb().product.updateMany({ where: { id: f.a.p6.productId }, data: { titleZh: "改名后的桃" } });

    const aList = await list(ownerA, SHOP_A);
    expect(aList.status).toBe(200);
    const aRows = (
      aList.data as unknown as { list: { rows: { number: string; buyerName: string; totalFen: number }[] } }
    ).list.rows;
    expect(aRows.map((r) => r.number)).toContain(aNumber);
    expect(aRows.map((r) => r.number)).not.toEqual(expect.arrayContaining([bNumbers[0]]));
    expect(aRows.map((r) => r.number)).not.toEqual(expect.arrayContaining([bNumbers[1]]));
    const bRows = ((await list(ownerB, SHOP_B)).data as unknown as { list: { rows: { number: string }[] } }).list.rows;
    expect(bRows.map((r) => r.number)).toEqual(expect.arrayContaining(bNumbers));
    expect(bRows.map((r) => r.number)).not.toContain(aNumber);

    // B's shop order under A's admin, and A's owner in B's admin: not found.
    expect((await page(ownerA, SHOP_A, bNumbers[0]!)).status).toBe(404);
    expect((await page(ownerA, SHOP_B, bNumbers[0]!)).status).toBe(404);
    expect((await list(ownerA, SHOP_B)).status).toBe(404);

    const shown = await page(ownerA, SHOP_A, aNumber);
    expect(shown.status).toBe(200);
    const order = (shown.data as unknown as { order: Record<string, unknown> }).order as {
      lines: {
        title: string;
        variantTitle: string;
        quantity: number;
        unitPriceFen: number;
        refundedQuantity: number;
        slotStartsAt: string | null;
        visitorNames: string[];
      }[];
      delivery: { method: string; pickupPoint: { kind: string; name: string; address: string } | null };
      buyer: { name: string; phone: string };
      events: { to: string; actorKind: string }[];
      actions: string[];
      money: { totalFen: number; subtotalFen: number; shippingFen: number };
    };
    expect(order.lines.map((l) => [l.title, l.variantTitle, l.quantity, l.unitPriceFen, l.refundedQuantity])).toEqual([
      ["水蜜桃礼盒", "6只装", 2, 16800, 0],
      ["采摘", "成人", 2, 4800, 0],
    ]);
    expect(order.lines[1]!.slotStartsAt).toBe("2030-03-02T01:00:00.000Z");
    expect(order.lines[1]!.visitorNames).toEqual(["游客1", "游客2"]);
    expect(order.delivery.method).toBe("LOCKER");
    expect(order.delivery.pickupPoint).toMatchObject({
      kind: "LOCKER",
      name: "桃源村丰巢柜",
      address: "桃源村村委会旁",
    });
    expect(order.buyer).toEqual({ name: "赵买家", phone: "13700001111" });
    expect(order.events).toMatchObject([{ to: "AWAITING_PAYMENT", actorKind: "BUYER" }]);
    expect(order.actions).toEqual(["confirmPayment", "cancel"]);
    expect(order.money.totalFen).toBe(order.money.subtotalFen + order.money.shippingFen);
    expect(order.money.subtotalFen).toBe(2 * 16800 + 2 * 4800);
  });

  it("filters by status, by number, buyer name or mobile, and pages", async () => {
    const mine = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      contactName: "Sun Buyer",
      contactPhone: "13811112222",
    });
    const number = mine.shopOrders.get(shopA)!.number;
    const numbersFor = async (query: string) =>
      ((await list(ownerA, SHOP_A, query)).data as unknown as { list: { rows: { number: string }[]; total: number } })
        .list;

    expect((await numbersFor(`?q=${encodeURIComponent("sun buyer")}`)).rows.map((r) => r.number)).toEqual([number]);
    expect((await numbersFor("?q=1381111")).rows.map((r) => r.number)).toEqual([number]);
    expect((await numbersFor(`?q=${number}`)).rows.map((r) => r.number)).toEqual([number]);
    expect((await numbersFor(`?q=${mine.number}`)).rows.map((r) => r.number)).toEqual([number]);
    expect((await numbersFor("?status=NEW")).rows.map((r) => r.number)).toContain(number);
    expect((await numbersFor("?status=PAID")).total).toBe(0);
    const none = await list(ownerA, SHOP_A, "?q=nobody-like-this");
    expect((none.data as unknown as { list: { total: number } }).list.total).toBe(0);
    // Unknown filter values are dropped, not an error.
    expect((await list(ownerA, SHOP_A, "?status=BOGUS&page=-3")).status).toBe(200);

    // 20 to a page.
    for (let i = 0; i < 19; i++)
      await placeTestOrder({ lines: [{ variantId: f.b.p6.id, quantity: 1 }], contactName: `翻页${i}` });
    const first = (await list(ownerB, SHOP_B)).data as unknown as {
      list: { rows: unknown[]; total: number; pageCount: number };
    };
    expect(first.list.total).toBeGreaterThanOrEqual(21);
    expect(first.list.rows).toHaveLength(20);
    expect(first.list.pageCount).toBe(Math.ceil(first.list.total / 20));
    const second = (await list(ownerB, SHOP_B, "?page=2")).data as unknown as { list: { rows: unknown[] } };
    expect(second.list.rows).toHaveLength(first.list.total - 20);
  });
});

describe("moving a shop order along", () => {
  it("confirms an offline payment: PAID, an event by that user, and the sale in the ledger", async () => {
    const placed = await placeTestOrder({
      lines: [
        { variantId: f.a.p6.id, quantity: 2 },
        { variantId: f.b.p6.id, quantity: 1 },
      ],
    });
    const so = placed.shopOrders.get(shopA)!;
    const countBefore = await newOrderCount(shopA);

    const done = await act(staffA, SHOP_A, so.number, { intent: "confirmPayment" });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/admin/${SHOP_A}/orders/${so.number}?done=confirmPayment`);

    const row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } });
    expect(row.status).toBe("PAID");
    expect(row.paidAt).not.toBeNull();
    const event = await unscopedDb().shopOrderEvent.findFirstOrThrow({
      where: { shopOrderId: so.id, toStatus: "PAID" },
    });
    expect(event).toMatchObject({ fromStatus: "AWAITING_PAYMENT", actorKind: "SHOP", actorUserId: staffAId });
    const ledger = await unscopedDb().ledgerEntry.findMany({
      where: { shopId: shopA, shopOrderId: so.id },
      orderBy: { kind: "asc" },
    });
    expect(ledger.map((e) => [e.kind, e.amountFen])).toEqual(
      expect.arrayContaining([
        ["SALE", so.totalFen],
        ["PLATFORM_FEE", -feeFen(so.totalFen, 500)],
        ["OFFLINE_COLLECTED", -so.totalFen],
      ]),
    );
    expect(ledger).toHaveLength(3);
    expect(await unscopedDb().ledgerEntry.count({ where: { shopId: shopB } })).toBe(0);
    const reservations = await unscopedDb().reservation.findMany({ where: { shopOrderId: so.id } });
    expect(reservations.every((r) => r.status === "CONVERTED")).toBe(true);
    // B has not confirmed yet: the buyer's order is still waiting.
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: placed.orderId } })).status).toBe(
      "AWAITING_PAYMENT",
    );
    // Still "new" (now waiting to be packed), so the header count is the same.
    expect(await newOrderCount(shopA)).toBe(countBefore);

    const shown = (await page(ownerA, SHOP_A, so.number)).data as unknown as {
      order: { events: { to: string; actorName: string | null }[]; actions: string[] };
    };
    expect(shown.order.events.at(-1)).toMatchObject({ to: "PAID", actorName: "李店员" });
    expect(shown.order.actions).toEqual(["pack"]);

    // Packing takes it off the "new" count shown in the admin header.
    expect((await act(ownerA, SHOP_A, so.number, { intent: "pack", ...PACKED })).status).toBe(302);
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("PACKED");
    const header = await run(layoutLoader as never, getAs(ownerA, `http://localhost/admin/${SHOP_A}`), {
      shop: SHOP_A,
    });
    expect((header.data as unknown as { newOrders: number }).newOrders).toBe(countBefore - 1);
    expect(await newOrderCount(shopA)).toBe(countBefore - 1);
  });

  it("refuses moves the state machine does not allow, with a translated message, and changes nothing", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
    const so = placed.shopOrders.get(shopA)!;
    // Not paid yet: packing, handing over and delivering are refused.
    for (const intent of ["pack", "handOver", "deliver"]) {
      const before = await shopOrderState(shopA, so.id);
      const refused = await act(ownerA, SHOP_A, so.number, { intent, ...PACKED });
      expect(refused.status, intent).toBe(409);
      expect(refused.data).toMatchObject({ form: "action", formError: "orders.errors.notAllowed" });
      expect(await shopOrderState(shopA, so.id)).toBe(before);
    }
    await act(ownerA, SHOP_A, so.number, { intent: "confirmPayment" });
    await act(ownerA, SHOP_A, so.number, { intent: "pack", ...PACKED });
    // Packed: paying again, cancelling a paid order and delivering before hand-over are refused.
    for (const intent of ["confirmPayment", "cancel", "deliver", "pack"]) {
      const before = await shopOrderState(shopA, so.id);
      const refused = await act(ownerA, SHOP_A, so.number, { intent, ...PACKED });
      expect(refused.status, intent).toBe(409);
      expect(await shopOrderState(shopA, so.id)).toBe(before);
    }
    const before = await shopOrderState(shopA, so.id);
    expect((await act(ownerA, SHOP_A, so.number, { intent: "explode" })).status).toBe(400);
    expect(await shopOrderState(shopA, so.id)).toBe(before);

    const text = await translate("orders.errors.notAllowed");
    expect(text.zh).toMatch(/状态/);
    expect(text.en).toMatch(/status/);

    expect((await act(ownerA, SHOP_A, so.number, { intent: "handOver" })).status).toBe(302);
    expect((await act(ownerA, SHOP_A, so.number, { intent: "deliver" })).status).toBe(302);
    const events = await unscopedDb().shopOrderEvent.findMany({
      where: { shopOrderId: so.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => e.toStatus)).toEqual(["AWAITING_PAYMENT", "PAID", "PACKED", "HANDED_OVER", "DELIVERED"]);
  });

  it("cancelling an unpaid order gives its stock and places back", async () => {
    const stockBefore = await stockOf(f.a.p12.id);
    const bookedBefore = await bookedOf(f.a.slot);
    const placed = await placeTestOrder({
      lines: [
        { variantId: f.a.p12.id, quantity: 2 },
        { variantId: f.a.ticket.id, quantity: 3, slotId: f.a.slot },
      ],
    });
    const so = placed.shopOrders.get(shopA)!;
    expect(await stockOf(f.a.p12.id)).toBe(stockBefore - 2);
    expect(await bookedOf(f.a.slot)).toBe(bookedBefore + 3);

    expect((await act(ownerA, SHOP_A, so.number, { intent: "cancel" })).status).toBe(302);
    expect(await stockOf(f.a.p12.id)).toBe(stockBefore);
    expect(await bookedOf(f.a.slot)).toBe(bookedBefore);
    const row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } });
    expect(row.status).toBe("CANCELLED");
    expect((await unscopedDb().reservation.findMany({ where: { shopOrderId: so.id } })).map((r) => r.status)).toEqual([
      "RELEASED",
      "RELEASED",
    ]);
    expect(
      await unscopedDb().stockMovement.count({
        where: { variantId: f.a.p12.id, reason: `released: ${placed.number}` },
      }),
    ).toBe(1);
    // The whole order (one shop) is now cancelled; nothing reached the ledger.
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: placed.orderId } })).status).toBe("CANCELLED");
    expect(await unscopedDb().ledgerEntry.count({ where: { shopOrderId: so.id } })).toBe(0);
    // A cancelled order cannot be paid afterwards.
    expect((await act(ownerA, SHOP_A, so.number, { intent: "confirmPayment" })).status).toBe(409);
    expect(await stockOf(f.a.p12.id)).toBe(stockBefore);
  });

  it("an online order's payment is the provider's to confirm, and it cannot be cancelled by one shop", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }], provider: "STRIPE" });
    const so = placed.shopOrders.get(shopA)!;
    const shown = (await page(ownerA, SHOP_A, so.number)).data as unknown as { order: { actions: string[] } };
    expect(shown.order.actions).toEqual([]);
    for (const intent of ["confirmPayment", "cancel"]) {
      const before = await shopOrderState(shopA, so.id);
      expect((await act(ownerA, SHOP_A, so.number, { intent })).status).toBe(409);
      expect(await shopOrderState(shopA, so.id)).toBe(before);
    }
  });

  it("a coordinator can look but not act; staff can move orders but not refund", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
    const so = placed.shopOrders.get(shopA)!;
    const looked = await page(coordinatorA, SHOP_A, so.number);
    expect(looked.status).toBe(200);
    expect(looked.data).toMatchObject({ canManage: false, canRefund: false });
    expect((await list(coordinatorA, SHOP_A)).status).toBe(200);
    const before = await shopOrderState(shopA, so.id);
    for (const intent of ["confirmPayment", "cancel", "refund"]) {
      expect((await act(coordinatorA, SHOP_A, so.number, { intent, amount: "1" })).status).toBe(403);
    }
    expect(await shopOrderState(shopA, so.id)).toBe(before);

    expect((await page(staffA, SHOP_A, so.number)).data).toMatchObject({ canManage: true, canRefund: false });
    expect((await act(staffA, SHOP_A, so.number, { intent: "confirmPayment" })).status).toBe(302);
    const paid = await shopOrderState(shopA, so.id);
    expect((await act(staffA, SHOP_A, so.number, { intent: "refund", amount: "1" })).status).toBe(403);
    expect(await shopOrderState(shopA, so.id)).toBe(paid);
    expect((await page(ownerA, SHOP_A, so.number)).data).toMatchObject({ canManage: true, canRefund: true });
  });
});

describe("refunds from the cooperative's admin", () => {
  it("a partial refund then the rest: REFUNDED, quantities back in stock while the goods never left, ledger REFUND and FEE_REFUND", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 3 }] });
    const so = placed.shopOrders.get(shopA)!;
    await act(ownerA, SHOP_A, so.number, { intent: "confirmPayment" });
    const line = await unscopedDb().shopOrderLine.findFirstOrThrow({ where: { shopOrderId: so.id } });
    const stock = await stockOf(f.a.p6.id);

    const first = await act(ownerA, SHOP_A, so.number, {
      intent: "refund",
      amount: "100.5",
      reason: "一只桃压坏了",
      "lines[0].lineId": line.id,
      "lines[0].quantity": "1",
    });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/admin/${SHOP_A}/orders/${so.number}?done=refund`);
    let row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } });
    expect(row).toMatchObject({ status: "PAID", refundedFen: 10050 });
    expect((await unscopedDb().shopOrderLine.findFirstOrThrow({ where: { id: line.id } })).refundedQuantity).toBe(1);
    expect(await stockOf(f.a.p6.id)).toBe(stock + 1);
    const refund = await unscopedDb().refund.findFirstOrThrow({ where: { shopOrderId: so.id } });
    expect(refund).toMatchObject({
      amountFen: 10050,
      status: "SUCCEEDED",
      restock: true,
      reason: "一只桃压坏了",
      createdById: ownerAId,
    });
    const entries = await unscopedDb().ledgerEntry.findMany({ where: { refundId: refund.id } });
    expect(entries.map((e) => [e.kind, e.amountFen]).sort()).toEqual(
      [
        ["FEE_REFUND", feeFen(10050, 500)],
        ["OFFLINE_COLLECTED", 10050],
        ["REFUND", -10050],
      ].sort(),
    );

    // More than what is left, nonsense amounts, too many units: refused, nothing changed.
    const before = await shopOrderState(shopA, so.id);
    const stockNow = await stockOf(f.a.p6.id);
    const tooMuch = await act(ownerA, SHOP_A, so.number, {
      intent: "refund",
      amount: fenToYuanInput(so.totalFen - 10050 + 1),
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.data).toMatchObject({ formError: "orders.errors.amountTooHigh" });
    for (const [amount, error] of [
      ["abc", "orders.errors.amountInvalid"],
      ["1.234", "orders.errors.amountDecimals"],
      ["0", "orders.errors.amountZero"],
      ["", "orders.errors.amountRequired"],
    ] as const) {
      const bad = await act(ownerA, SHOP_A, so.number, { intent: "refund", amount });
      expect(bad.status, amount).toBe(400);
      expect((bad.data as unknown as { fieldErrors: Record<string, string[]> }).fieldErrors.amount, amount).toEqual([
        error,
      ]);
    }
    const tooMany = await act(ownerA, SHOP_A, so.number, {
      intent: "refund",
      amount: "1",
      "lines[0].lineId": line.id,
      "lines[0].quantity": "3",
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.data).toMatchObject({ formError: "orders.errors.quantityTooHigh" });
    expect(await shopOrderState(shopA, so.id)).toBe(before);
    expect(await stockOf(f.a.p6.id)).toBe(stockNow);
    const translated = await translate("orders.errors.amountTooHigh");
    expect(translated.zh).not.toBe("orders.errors.amountTooHigh");
    expect(translated.en).not.toBe("orders.errors.amountTooHigh");

    // "¥" and full-width digits, as a phone's Chinese keyboard sends them.
    const rest = so.totalFen - 10050;
    const restText = `¥${Math.floor(rest / 100)}.${String(rest % 100).padStart(2, "0")}`.replace(/\d/g, (d) =>
      String.fromCharCode(d.charCodeAt(0) + 0xfee0),
    );
    const second = await act(ownerA, SHOP_A, so.number, {
      intent: "refund",
      amount: restText,
      "lines[0].lineId": line.id,
      "lines[0].quantity": "2",
    });
    expect(second.status).toBe(302);
    row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } });
    expect(row).toMatchObject({ status: "REFUNDED", refundedFen: so.totalFen });
    expect(await stockOf(f.a.p6.id)).toBe(stock + 3);
    const refunded = await unscopedDb().shopOrderEvent.findFirstOrThrow({
      where: { shopOrderId: so.id, toStatus: "REFUNDED" },
    });
    expect(refunded).toMatchObject({ actorKind: "SHOP", actorUserId: ownerAId });
    const sums = await unscopedDb().ledgerEntry.groupBy({
      by: ["kind"],
      where: { shopOrderId: so.id },
      _sum: { amountFen: true },
    });
    const byKind = Object.fromEntries(sums.map((s) => [s.kind, s._sum.amountFen]));
    expect(byKind.REFUND).toBe(-so.totalFen);
    expect(byKind.SALE).toBe(so.totalFen);
    // Fees are returned per refund, each rounded: within a fen of the whole fee.
    expect(Math.abs(byKind.FEE_REFUND! + byKind.PLATFORM_FEE!)).toBeLessThanOrEqual(1);

    const shown = (await page(ownerA, SHOP_A, so.number)).data as unknown as {
      order: { refunds: unknown[]; money: { refundableFen: number }; lines: { refundedQuantity: number }[] };
    };
    expect(shown.order.refunds).toHaveLength(2);
    expect(shown.order.money.refundableFen).toBe(0);
    expect(shown.order.lines[0]!.refundedQuantity).toBe(3);
    const again = await act(ownerA, SHOP_A, so.number, { intent: "refund", amount: "1" });
    expect(again.status).toBe(409);
    expect(again.data).toMatchObject({ formError: "orders.errors.notRefundable" });
  });

  it("after hand-over, refunded quantities are noted but do not return to stock", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 2 }] });
    const so = placed.shopOrders.get(shopA)!;
    for (const intent of ["confirmPayment", "pack", "handOver"])
      expect((await act(ownerA, SHOP_A, so.number, { intent, ...PACKED })).status).toBe(302);
    const line = await unscopedDb().shopOrderLine.findFirstOrThrow({ where: { shopOrderId: so.id } });
    const stock = await stockOf(f.a.p6.id);
    const refunded = await act(ownerA, SHOP_A, so.number, {
      intent: "refund",
      amount: "168",
      "lines[0].lineId": line.id,
      "lines[0].quantity": "1",
    });
    expect(refunded.status).toBe(302);
    expect(await stockOf(f.a.p6.id)).toBe(stock);
    expect((await unscopedDb().shopOrderLine.findFirstOrThrow({ where: { id: line.id } })).refundedQuantity).toBe(1);
    expect((await unscopedDb().refund.findFirstOrThrow({ where: { shopOrderId: so.id } })).restock).toBe(false);
    expect((await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: so.id } })).status).toBe("HANDED_OVER");
    expect((await act(ownerA, SHOP_A, so.number, { intent: "deliver" })).status).toBe(302);
  });

  it("a refund of another shop's order is not found, and changes nothing there", async () => {
    const placed = await placeTestOrder({ lines: [{ variantId: f.b.p6.id, quantity: 1 }] });
    const so = placed.shopOrders.get(shopB)!;
    await act(ownerB, SHOP_B, so.number, { intent: "confirmPayment" });
    const before = await shopOrderState(shopB, so.id);
    expect((await act(ownerA, SHOP_A, so.number, { intent: "refund", amount: "1" })).status).toBe(404);
    expect((await act(ownerA, SHOP_B, so.number, { intent: "refund", amount: "1" })).status).toBe(404);
    expect(await shopOrderState(shopB, so.id)).toBe(before);
  });
});
