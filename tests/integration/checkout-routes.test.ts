import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { countingSql } from "~/lib/request-context.server";
import { flushSentMarks } from "~/modules/notifications/notify.server";
import zh from "~/locales/zh-CN/index";
import { addToCart, cartIdOf, type Visitor } from "~/modules/cart/cart.cross-shop.server";
import { checkoutSchema } from "~/modules/checkout/checkout-schema";
import { placeOrder } from "~/modules/checkout/place-order.cross-shop.server";
import type { CheckoutReview } from "~/modules/checkout/review.cross-shop.server";
import {
  rememberOrder,
  type BuyerOrderView,
  type MyOrderSummary,
} from "~/modules/orders/buyer-orders.cross-shop.server";
import { LOOKUP_LIMITS } from "~/modules/orders/lookup-limit.server";
import { loader as accountLoader } from "~/routes/account";
import { action as checkoutAction, loader as checkoutLoader } from "~/routes/checkout";
import { action as orderAction, loader as orderLoader } from "~/routes/orders.$number";
import { action as lookupAction } from "~/routes/orders._index";
import { createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { guest, request, twoShops, type Fixture } from "./cart-fixtures";

// The buyer's side of the shared checkout (issue #5), through the routes as a browser uses
// them: the checkout page and its form (with and without a review), the order page and its
// look-up, and the account's order list.

let f: Fixture;
let points: Record<string, { id: string; kind: string; countyCode: string }>;
beforeAll(async () => {
  f = await twoShops();
  const rows = await unscopedDb().pickupPoint.findMany({
    select: { id: true, code: true, kind: true, county: { select: { code: true } } },
  });
  points = Object.fromEntries(rows.map((p) => [p.code, { id: p.id, kind: p.kind, countyCode: p.county.code }]));
});

type Browser = { cookie: string; csrf: string; visitor: Visitor };
type CheckoutData = {
  review: CheckoutReview;
  checkoutKey: string;
  notice?: string | null;
  changes?: { kind: string; lineId: string | null; from?: number; to?: number }[];
  result?: { error?: Record<string, string[] | null> };
};

const PHONE = "13800138000";
const lockerOf = (county: string) => points[`P${county}-LOCKER`]!.id;
const postOf = (county: string) => points[`P${county}-POST`]!.id;

/** Two peach boxes and two picking tickets from shop A, one peach box from shop B. */
async function fillCart(browser: { visitor: Visitor }) {
  await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p6.id, quantity: 2 });
  await addToCart({
    visitor: browser.visitor,
    request: request(),
    variantId: f.a.ticket.id,
    slotId: f.a.slot,
    quantity: 2,
  });
  await addToCart({ visitor: browser.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
}

async function checkoutPage(browser: Session | Browser) {
  const page = await run(checkoutLoader as never, getAs(browser, "http://localhost/checkout"));
  expect(page.status).toBe(200);
  return page.data as unknown as CheckoutData;
}

function ticketLine(review: CheckoutReview) {
  return review.groups.flatMap((g) => g.lines).find((l) => l.kind === "EXPERIENCE")!;
}

/** A complete, valid form for the filled cart: A delivered home, B to B's county locker. */
function validForm(page: CheckoutData, overrides: Record<string, string> = {}): Record<string, string> {
  const [a, b] = page.review.groups;
  return {
    intent: "place",
    contactName: "王小明",
    contactPhone: "+86 138-0013-8000",
    "shops[0].shopId": a!.shopId,
    "shops[0].delivery": "HOME",
    "shops[0].addressRegion": "江苏省 南京市 鼓楼区",
    "shops[0].addressLine": "中山路 1 号 2 栋 301",
    "shops[1].shopId": b!.shopId,
    "shops[1].delivery": "LOCKER",
    "shops[1].pickupPointId": lockerOf("320507"),
    "visitors[0].lineId": ticketLine(page.review).id,
    "visitors[0].names": "王小明、李小红",
    provider: "OFFLINE",
    offlineMethod: "COD",
    checkoutKey: page.checkoutKey,
    // Shop A: 2 × 168 + 2 × 48 + ¥12 home delivery; shop B: 168 + ¥6 to a locker.
    expectedTotalFen: String(2 * 16800 + 2 * 4800 + 1200 + 16800 + 600),
    ...overrides,
  };
}

const place = (browser: Session | Browser, fields: Record<string, string>) =>
  run(checkoutAction as never, postAs(browser, "http://localhost/checkout", fields));

const orderCount = () => unscopedDb().order.count();

function withCookie(browser: Browser, setCookie: string | null | undefined): Browser {
  return { ...browser, cookie: `${browser.cookie}; ${setCookie!.split(";")[0]}` };
}

function translated(key: string) {
  const value = key
    .split("|")[0]!
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zh);
  return typeof value === "string" ? value : undefined;
}

async function orderPage(browser: Session | Browser | null, number: string, query = "") {
  const page = await run(orderLoader as never, getAs(browser, `http://localhost/orders/${number}${query}`), { number });
  expect(page.status).toBe(200);
  return page.data as unknown as { order: BuyerOrderView | null; paid: boolean };
}

describe("the checkout page", () => {
  it("shows every shop's subtotal, shipping and the total, and a review recomputes them for the chosen deliveries", async () => {
    const browser = await guest();
    await fillCart(browser);
    const page = await checkoutPage(browser);
    expect(page.checkoutKey).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
    expect(page.review.changes).toEqual([]);
    const [a, b] = page.review.groups;
    expect(a!.lines.map((l) => [l.kind, l.quantity, l.unitPriceFen])).toEqual([
      ["PRODUCE", 2, 16800],
      ["EXPERIENCE", 2, 4800],
    ]);
    expect(ticketLine(page.review).slotStartsAt).toBe("2030-03-02T01:00:00.000Z");
    // Each shop offers its own county's pickup point and locker.
    expect(a!.pickupPoints.map((p) => p.id).sort()).toEqual([lockerOf("320206"), postOf("320206")].sort());
    expect(b!.pickupPoints.map((p) => p.id).sort()).toEqual([lockerOf("320507"), postOf("320507")].sort());
    // Before any choice: home delivery everywhere.
    expect(page.review.quote).toEqual({
      shops: [
        { shopId: a!.shopId, delivery: "HOME", subtotalFen: 43200, shippingFen: 1200, totalFen: 44400 },
        { shopId: b!.shopId, delivery: "HOME", subtotalFen: 16800, shippingFen: 1200, totalFen: 18000 },
      ],
      totalFen: 62400,
    });

    // Without JavaScript: "update total" with shop B's locker chosen, nothing else filled in.
    const review = await place(browser, {
      intent: "review",
      "shops[0].shopId": a!.shopId,
      "shops[0].delivery": "HOME",
      "shops[1].shopId": b!.shopId,
      "shops[1].delivery": "LOCKER",
      checkoutKey: page.checkoutKey,
      expectedTotalFen: "62400",
    });
    expect(review.status).toBe(200);
    const reviewed = review.data as unknown as CheckoutData;
    expect(reviewed.notice).toBe("updated");
    expect(reviewed.review.quote.shops.map((s) => [s.delivery, s.shippingFen])).toEqual([
      ["HOME", 1200],
      ["LOCKER", 600],
    ]);
    expect(reviewed.review.quote.totalFen).toBe(61800);
    // A review is not an attempt to place: no field errors yet, and a fresh key for the new rendering.
    expect(reviewed.result?.error).toEqual({});
    expect(reviewed.checkoutKey).not.toBe(page.checkoutKey);
    expect(await orderCount()).toBe(0);
  });

  it("places an offline order: one order, one shop order per cooperative with snapshot lines, then its page", async () => {
    const browser = await guest();
    await fillCart(browser);
    const page = await checkoutPage(browser);
    const { result: placed, statements } = await countingSql(() => place(browser, validForm(page)));
    expect(placed.status).toBe(302);
    // The placement only (3 statements, BEGIN and COMMIT not counted): the holds and the buyer's "placed"
    // message are written by the order's own statement (decisions 040 and 042), and the order is not read
    // again to remember it, notify the buyer or start an offline payment.
    expect(statements).toBe(3);
    const number = placed.location!.match(/^\/orders\/(\d{12})$/)?.[1];
    expect(number, placed.location!).toBeDefined();
    const setCookie = placed.headers!.getSetCookie().find((c) => c.startsWith("orders="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const order = await unscopedDb().order.findUniqueOrThrow({
      where: { number },
      include: {
        shopOrders: { orderBy: { number: "asc" }, include: { lines: { orderBy: { kind: "asc" } } } },
        payments: true,
      },
    });
    expect(order).toMatchObject({
      contactName: "王小明",
      contactPhone: PHONE,
      provider: "OFFLINE",
      offlineMethod: "COD",
      status: "AWAITING_PAYMENT",
      totalFen: 61800,
      userId: null,
    });
    expect(order.payments).toHaveLength(1);
    // The buyer's SMS, recorded with the order and handed to the transport: marked sent in a batch.
    await flushSentMarks();
    expect(
      await unscopedDb().notification.findMany({
        where: { recipient: PHONE, template: "order-placed", payload: { path: ["orderNumber"], equals: number } },
        select: { channel: true, locale: true, payload: true, status: true },
      }),
    ).toEqual([
      { channel: "SMS", locale: "zh-CN", payload: { orderNumber: number, totalFen: "61800" }, status: "DONE" },
    ]);
    expect(order.shopOrders.map((so) => [so.number, so.delivery, so.subtotalFen, so.shippingFen, so.totalFen])).toEqual(
      [
        [`${number}-1`, "HOME", 43200, 1200, 44400],
        [`${number}-2`, "LOCKER", 16800, 600, 17400],
      ],
    );
    const [soA, soB] = order.shopOrders;
    expect(soA).toMatchObject({
      shopId: page.review.groups[0]!.shopId,
      addressRegion: "江苏省 南京市 鼓楼区",
      pickupPointId: null,
    });
    expect(soB).toMatchObject({
      shopId: page.review.groups[1]!.shopId,
      pickupPointId: lockerOf("320507"),
      addressLine: null,
    });
    expect(
      soA!.lines.map((l) => [l.titleZh, l.variantTitleZh, l.unit, l.unitPriceFen, l.quantity, l.visitorNames]),
    ).toEqual([
      ["水蜜桃礼盒", "6只装", "盒", 16800, 2, []],
      ["采摘", "成人", "人", 4800, 2, ["王小明", "李小红"]],
    ]);
    expect(soB!.lines.map((l) => [l.titleZh, l.unitPriceFen, l.quantity])).toEqual([["水蜜桃礼盒", 16800, 1]]);
    // The cart is empty now: the checkout page shows its empty state.
    expect((await checkoutPage(browser)).review.groups).toEqual([]);

    // This browser sees the order right away: two shop orders awaiting the cooperatives' confirmation.
    const seen = await orderPage(withCookie(browser, setCookie), number!);
    expect(seen.order).toMatchObject({
      number,
      status: "AWAITING_PAYMENT",
      provider: "OFFLINE",
      totalFen: 61800,
      canPayNow: false,
    });
    expect(seen.order!.contactPhone).toBe("138****8000");
    expect(seen.order!.shopOrders.map((so) => [so.status, so.delivery, so.steps.filter((s) => s.done).length])).toEqual(
      [
        ["AWAITING_PAYMENT", "HOME", 1],
        ["AWAITING_PAYMENT", "LOCKER", 1],
      ],
    );
    expect(seen.order!.shopOrders[1]!.pickupPoint).toMatchObject({ kind: "LOCKER", name: "智能快递柜320507" });
    expect(seen.order!.shopOrders[0]!.lines[1]).toMatchObject({ title: "采摘", visitorNames: ["王小明", "李小红"] });
    // Back from a payment page: said honestly, the order itself is unchanged.
    expect((await orderPage(withCookie(browser, setCookie), number!, "?paid=1")).paid).toBe(true);
  });

  it("refuses a missing address, a wrong locker and missing visitor names with translated field errors, writing nothing", async () => {
    const browser = await guest();
    await fillCart(browser);
    const page = await checkoutPage(browser);
    const before = await orderCount();
    const stockBefore = (await unscopedDb().variant.findFirstOrThrow({ where: { id: f.a.p6.id } })).stock;

    const cases: [Record<string, string>, string, string][] = [
      [{ "shops[0].addressLine": "" }, "shops[0].addressLine", "checkout.errors.addressRequired"],
      // A pickup point is not a locker, and another county's locker is not on this shop's list.
      [{ "shops[1].pickupPointId": postOf("320507") }, "shops[1].pickupPointId", "checkout.errors.pickupRequired"],
      [{ "shops[1].pickupPointId": lockerOf("320206") }, "shops[1].pickupPointId", "checkout.errors.pickupRequired"],
      [{ "shops[1].pickupPointId": "" }, "shops[1].pickupPointId", "checkout.errors.pickupRequired"],
      [{ "visitors[0].names": "王小明" }, "visitors[0].names", "checkout.errors.visitorCount"],
      [{ "visitors[0].names": "" }, "visitors[0].names", "checkout.errors.visitorsRequired"],
      [{ contactPhone: "12345" }, "contactPhone", "checkout.errors.phoneInvalid"],
      [{ contactName: "" }, "contactName", "checkout.errors.nameRequired"],
      // Stripe is not configured here: only offline payment is offered.
      [{ provider: "STRIPE" }, "provider", "checkout.errors.providerRequired"],
    ];
    for (const [overrides, field, key] of cases) {
      const answer = await place(browser, validForm(page, overrides));
      expect(answer.status, JSON.stringify(overrides)).toBe(400);
      const errors = (answer.data as unknown as CheckoutData).result!.error!;
      expect(errors[field]?.[0]?.split("|")[0], JSON.stringify(errors)).toBe(key);
      expect(translated(key), key).toBeTruthy();
    }
    // The visitor count comes with the number to show: "请填写 2 位参观人的姓名".
    const count = await place(browser, validForm(page, { "visitors[0].names": "王小明" }));
    expect((count.data as unknown as CheckoutData).result!.error!["visitors[0].names"]).toEqual([
      'checkout.errors.visitorCount|{"count":2}',
    ]);

    expect(await orderCount()).toBe(before);
    expect((await unscopedDb().variant.findFirstOrThrow({ where: { id: f.a.p6.id } })).stock).toBe(stockBefore);
    expect((await checkoutPage(browser)).review.groups).toHaveLength(2); // the cart is untouched
  });

  it("shows a changed price line by line and places nothing until the buyer accepts it", async () => {
    const browser = await guest();
    await fillCart(browser);
    const page = await checkoutPage(browser);
    await unscopedDb().variant.updateMany({ where: { id: f.b.p6.id }, data: { priceFen: 15800 } });
    try {
      const before = await orderCount();
      const refused = await place(browser, validForm(page));
      expect(refused.status).toBe(409);
      const answer = refused.data as unknown as CheckoutData;
      expect(answer.review.changes).toEqual([
        expect.objectContaining({ kind: "PRICE_CHANGED", from: 16800, to: 15800, title: "水蜜桃礼盒" }),
      ]);
      expect(translated("checkout.changes.PRICE_CHANGED")).toContain("{{from}}");
      expect(await orderCount()).toBe(before);

      // The page opened after the change shows it too, before anything is pressed.
      expect((await checkoutPage(browser)).review.changes.map((c) => c.kind)).toEqual(["PRICE_CHANGED"]);

      const accepted = await place(browser, { ...validForm(page), intent: "acceptPrices" });
      const acceptedData = accepted.data as unknown as CheckoutData;
      expect(acceptedData.notice).toBe("pricesAccepted");
      expect(acceptedData.review.changes).toEqual([]);
      // B's box is ¥10 cheaper now; the deliveries chosen in the form are kept.
      expect(acceptedData.review.quote.totalFen).toBe(61800 - 1000);

      // The old total is a change to show, not a charge.
      const stale = await place(browser, validForm(acceptedData));
      expect(stale.status).toBe(409);
      expect((stale.data as unknown as CheckoutData).changes).toEqual([
        expect.objectContaining({ kind: "TOTAL_CHANGED", from: 61800, to: 60800 }),
      ]);
      expect(await orderCount()).toBe(before);

      const placed = await place(browser, validForm(acceptedData, { expectedTotalFen: "60800" }));
      expect(placed.status).toBe(302);
      expect(await orderCount()).toBe(before + 1);
    } finally {
      await unscopedDb().variant.updateMany({ where: { id: f.b.p6.id }, data: { priceFen: 16800 } });
    }
  });

  it("shows a shortage of stock or places before the order is placed", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p12.id, quantity: 2 });
    await addToCart({
      visitor: browser.visitor,
      request: request(),
      variantId: f.b.ticket.id,
      slotId: f.b.slot,
      quantity: 3,
    });
    await unscopedDb().variant.updateMany({ where: { id: f.a.p12.id }, data: { stock: 1 } });
    await unscopedDb().experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 18 } });
    try {
      const page = await checkoutPage(browser);
      expect(page.review.changes).toEqual([
        expect.objectContaining({ kind: "NOT_ENOUGH_STOCK", available: 1 }),
        expect.objectContaining({ kind: "SLOT_FULL", available: 2 }),
      ]);
    } finally {
      await unscopedDb().variant.updateMany({ where: { id: f.a.p12.id }, data: { stock: 2 } });
      await unscopedDb().experienceSlot.updateMany({ where: { id: f.b.slot }, data: { booked: 0 } });
    }
  });

  it("pressing 'place order' twice with the same form makes one order, and both presses land on it", async () => {
    const browser = await guest();
    await fillCart(browser);
    const page = await checkoutPage(browser);
    const before = await orderCount();
    const [first, second] = await Promise.all([place(browser, validForm(page)), place(browser, validForm(page))]);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(second.location).toBe(first.location);
    expect(await orderCount()).toBe(before + 1);
    // A third press later (the order's cart is empty by then) still finds the order.
    const third = await place(browser, validForm(page));
    expect(third.location).toBe(first.location);
    expect(await orderCount()).toBe(before + 1);
  });

  it("an empty cart shows the empty state, and placing from it goes back there", async () => {
    const browser = await guest();
    expect((await checkoutPage(browser)).review.groups).toEqual([]);
    const answer = await place(browser, {
      intent: "place",
      contactName: "王小明",
      contactPhone: PHONE,
      provider: "OFFLINE",
      checkoutKey: "k".repeat(32),
      expectedTotalFen: "0",
    });
    expect(answer).toMatchObject({ status: 302, location: "/checkout" });
  });
});

describe("the order page", () => {
  let number: string;
  let owner: Browser;
  beforeAll(async () => {
    owner = await guest();
    await fillCart(owner);
    const placed = await place(owner, validForm(await checkoutPage(owner)));
    number = placed.location!.split("/").pop()!;
  });

  it("refuses a stranger, an unknown number and a wrong mobile alike, and opens after number + mobile", async () => {
    const stranger = await guest();
    expect((await orderPage(stranger, number)).order).toBeNull();
    expect((await orderPage(null, number)).order).toBeNull();
    // A cookie entry for this number with a made-up tag proves nothing.
    const forged = {
      ...stranger,
      cookie: `${stranger.cookie}; orders=${btoa(JSON.stringify([`${number}.${"A".repeat(22)}`]))}`,
    };
    expect((await orderPage(forged, number)).order).toBeNull();

    const ip = { "x-peer-address": "203.0.113.7" };
    const lookup = (fields: Record<string, string>, url = `http://localhost/orders/${number}`) => {
      const req = postAs(stranger, url, { intent: "lookup", ...fields });
      req.headers.set("x-peer-address", ip["x-peer-address"]);
      return url.endsWith("/orders")
        ? run(lookupAction as never, req)
        : run(orderAction as never, req, { number: url.split("/").pop()! });
    };
    const wrongPhone = await lookup({ number, phone: "13900139000" });
    const unknown = await lookup({ number: "000000000000", phone: PHONE }, "http://localhost/orders");
    for (const answer of [wrongPhone, unknown]) {
      expect(answer.status).toBe(400);
      const refusal = (answer.data as unknown as { result: { error: unknown } }).result.error;
      expect(refusal).toEqual({ "": ["checkout.lookup.noMatch"] });
      expect(JSON.stringify(answer.data)).toContain("checkout.lookup.noMatch");
      expect(JSON.stringify(answer.data)).not.toContain("王小明");
    }
    expect(translated("checkout.lookup.noMatch")).toBeTruthy();

    const found = await lookup({ number, phone: "138 0013 8000" }, "http://localhost/orders");
    expect(found).toMatchObject({ status: 302, location: `/orders/${number}` });
    const cookie = found.headers!.getSetCookie().find((c) => c.startsWith("orders="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toContain(PHONE);
    const page = await orderPage(withCookie(stranger, cookie), number);
    expect(page.order).toMatchObject({ number, contactName: "王小明" });
    expect(page.order!.shopOrders).toHaveLength(2);
  });

  it("limits failed look-ups per address: after ten, even the right mobile waits", async () => {
    const prober = await guest();
    // Each failure names another (unknown) order number, so only the address is counted.
    const attempt = (orderNumber: string, phone: string, headers: Record<string, string>) => {
      const req = postAs(prober, `http://localhost/orders/${number}`, { intent: "lookup", number: orderNumber, phone });
      for (const [name, value] of Object.entries(headers)) req.headers.set(name, value);
      return run(orderAction as never, req, { number });
    };
    for (let i = 0; i < LOOKUP_LIMITS.address.points; i++) {
      // TRUST_PROXY is unset: a forged X-Forwarded-For, new each time, does not change the address.
      const answer = await attempt(`99000000${String(i).padStart(4, "0")}`, PHONE, {
        "x-peer-address": "198.51.100.9",
        "x-forwarded-for": `203.0.113.${i}`,
      });
      expect(answer.status).toBe(400);
    }
    const limited = await attempt(number, PHONE, {
      "x-peer-address": "198.51.100.9",
      "x-forwarded-for": "203.0.113.200",
    });
    expect(limited.status).toBe(429);
    expect(JSON.stringify(limited.data)).toContain("checkout.lookup.tooMany");
    expect(JSON.stringify(limited.data)).not.toContain("王小明");
    expect(translated("checkout.lookup.tooMany")).toContain("{{minutes}}");
    // Another address is not affected.
    expect((await attempt(number, PHONE, { "x-peer-address": "198.51.100.10" })).status).toBe(302);
  });

  it("limits failed look-ups per order number: sixty wrong mobiles from rotating addresses get 429, and then the right one reveals nothing", async () => {
    // An order of its own, so that limiting its number leaves the other tests' order alone.
    const buyer = await guest();
    await addToCart({ visitor: buyer.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
    const page = await checkoutPage(buyer);
    const input = checkoutSchema.parse({
      contactName: "周秘密",
      contactPhone: PHONE,
      shops: [
        {
          shopId: page.review.groups[0]!.shopId,
          delivery: "HOME",
          addressRegion: "江苏省 苏州市",
          addressLine: "隐秘路 9 号",
        },
      ],
      provider: "OFFLINE",
      offlineMethod: "COD",
      checkoutKey: page.checkoutKey,
      expectedTotalFen: 16800 + 1200,
    });
    const placed = await placeOrder({ cartId: cartIdOf(buyer.visitor), userId: null, input, lng: "zh-CN" });
    if (!placed.ok) throw new Error(placed.reason);
    const target = placed.number;

    const prober = await guest();
    const attempt = (phone: string, peer: string) => {
      const req = postAs(prober, `http://localhost/orders/${target}`, { intent: "lookup", number: target, phone });
      req.headers.set("x-peer-address", peer);
      return run(orderAction as never, req, { number: target });
    };
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await attempt(`1370000${String(i).padStart(4, "0")}`, `192.0.2.${i + 1}`)).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(LOOKUP_LIMITS.order.points);
    expect(statuses.at(-1)).toBe(429);

    // The right mobile, from yet another address: still refused, and nothing of the buyer's shows.
    const right = await attempt(PHONE, "192.0.2.250");
    expect(right.status).toBe(429);
    expect(right.headers?.get("Set-Cookie") ?? "").not.toContain("orders=");
    expect(JSON.stringify(right.data)).not.toMatch(/周秘密|隐秘路/);
    expect((await orderPage(prober, target)).order).toBeNull();
    // Other orders can still be looked up from those addresses.
    expect((await attempt(PHONE, "192.0.2.251")).status).toBe(429);
    const other = postAs(prober, `http://localhost/orders/${number}`, { intent: "lookup", number, phone: PHONE });
    other.headers.set("x-peer-address", "192.0.2.251");
    expect((await run(orderAction as never, other, { number })).status).toBe(302);
  });

  it("does not offer 'pay now' for an offline order, and 'pay' changes nothing", async () => {
    const stranger = await guest();
    const answer = await run(
      orderAction as never,
      postAs(stranger, `http://localhost/orders/${number}`, { intent: "pay" }),
      { number },
    );
    expect(answer).toMatchObject({ status: 302, location: `/orders/${number}` });
    expect((await unscopedDb().payment.findMany({ where: { order: { number } } })).map((p) => p.redirectUrl)).toEqual([
      null,
    ]);
  });

  it("offers 'pay now' for an unpaid online order, and says so when the payment page cannot be opened", async () => {
    // Stripe is not configured in these tests, so the order is placed through the module
    // (the checkout form offers offline payment only) and starting the payment fails.
    const buyer = await guest();
    await addToCart({ visitor: buyer.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
    const page = await checkoutPage(buyer);
    const input = checkoutSchema.parse({
      contactName: "王小明",
      contactPhone: PHONE,
      shops: [
        {
          shopId: page.review.groups[0]!.shopId,
          delivery: "HOME",
          addressRegion: "江苏省 苏州市",
          addressLine: "人民路 1 号",
        },
      ],
      provider: "STRIPE",
      checkoutKey: page.checkoutKey,
      expectedTotalFen: 16800 + 1200,
    });
    const placed = await placeOrder({ cartId: cartIdOf(buyer.visitor), userId: null, input, lng: "zh-CN" });
    if (!placed.ok) throw new Error(placed.reason);
    const mine = withCookie(buyer, await rememberOrder(new Request("http://localhost/"), placed.orderId));

    const seen = await orderPage(mine, placed.number);
    expect(seen.order).toMatchObject({ provider: "STRIPE", status: "AWAITING_PAYMENT", canPayNow: true });
    const minutes = (Date.parse(seen.order!.expiresAt) - Date.parse(seen.order!.createdAt)) / 60_000;
    expect(minutes).toBe(15);

    const stranger = await guest();
    const refused = await run(
      orderAction as never,
      postAs(stranger, `http://localhost/orders/${placed.number}`, { intent: "pay" }),
      {
        number: placed.number,
      },
    );
    expect(refused.location).toBe(`/orders/${placed.number}`);
    const pay = await run(
      orderAction as never,
      postAs(mine, `http://localhost/orders/${placed.number}`, { intent: "pay" }),
      {
        number: placed.number,
      },
    );
    expect(pay.location).toBe(`/orders/${placed.number}?payError=1`);
    expect(await unscopedDb().order.findUniqueOrThrow({ where: { id: placed.orderId } })).toMatchObject({
      status: "AWAITING_PAYMENT",
    });
  });

  it("refuses look-up and pay without this browser's CSRF token", async () => {
    const browser = await guest();
    const forms: Record<string, string>[] = [{ intent: "lookup", number, phone: PHONE }, { intent: "pay" }];
    for (const fields of forms) {
      const answer = await run(
        orderAction as never,
        postAs(browser, `http://localhost/orders/${number}`, fields, { csrf: false }),
        { number },
      );
      expect(answer.status).toBe(403);
    }
    expect(
      (
        await run(
          lookupAction as never,
          postAs(browser, "http://localhost/orders", { number, phone: PHONE }, { csrf: false }),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await run(
          checkoutAction as never,
          postAs(browser, "http://localhost/checkout", { intent: "review" }, { csrf: false }),
        )
      ).status,
    ).toBe(403);
  });
});

describe("a signed-in buyer", () => {
  it("finds the order in the account, newest first, and opens it without a look-up; a guest order with the same mobile is not attached", async () => {
    const user = await createUser({ name: "赵买家" });
    const session = await signedIn(user.id);
    const me: Browser = { ...session, visitor: { userId: user.id, guestToken: null } };
    expect(cartIdOf(me.visitor)).toBe(`user:${user.id}`);

    // The form starts with the account's name and mobile.
    await fillCart(me);
    const page = await checkoutPage(me);
    expect((page as unknown as { contact: { name: string; phone: string } }).contact).toEqual({
      name: "赵买家",
      phone: user.phone,
    });
    const first = await place(me, validForm(page, { contactPhone: user.phone }));
    await addToCart({ visitor: me.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
    const second = await place(me, {
      intent: "place",
      contactName: "赵买家",
      contactPhone: user.phone,
      "shops[0].shopId": (await checkoutPage(me)).review.groups[0]!.shopId,
      "shops[0].delivery": "PICKUP_POINT",
      "shops[0].pickupPointId": postOf("320507"),
      provider: "OFFLINE",
      offlineMethod: "BANK_TRANSFER",
      checkoutKey: (await checkoutPage(me)).checkoutKey,
      expectedTotalFen: String(16800 + 600),
    });
    expect([first.status, second.status]).toEqual([302, 302]);
    const [firstNumber, secondNumber] = [first.location!.split("/").pop()!, second.location!.split("/").pop()!];

    // The same mobile, as a guest: not attached to the account.
    const guestBrowser = await guest();
    await fillCart(guestBrowser);
    const guestOrder = await place(
      guestBrowser,
      validForm(await checkoutPage(guestBrowser), { contactPhone: user.phone }),
    );
    const guestNumber = guestOrder.location!.split("/").pop()!;

    const account = await run(accountLoader as never, getAs(session, "http://localhost/account"));
    const orders = (account.data as unknown as { orders: MyOrderSummary[] }).orders;
    expect(orders.map((o) => o.number)).toEqual([secondNumber, firstNumber]);
    expect(orders[1]!.shops.map((s) => s.status)).toEqual(["AWAITING_PAYMENT", "AWAITING_PAYMENT"]);
    expect(orders.map((o) => o.number)).not.toContain(guestNumber);

    // The session alone opens the buyer's orders (no look-up cookie), but not the guest's.
    const own = await orderPage(session, firstNumber);
    expect(own.order?.number).toBe(firstNumber);
    expect((await orderPage(session, secondNumber)).order!.shopOrders[0]!.pickupPoint).toMatchObject({ kind: "POINT" });
    expect((await orderPage(session, guestNumber)).order).toBeNull();

    // Another account sees none of it.
    const other = await signedIn((await createUser()).id);
    const theirs = await run(accountLoader as never, getAs(other, "http://localhost/account"));
    expect((theirs.data as unknown as { orders: MyOrderSummary[] }).orders).toEqual([]);
    expect((await orderPage(other, firstNumber)).order).toBeNull();
  });
});
