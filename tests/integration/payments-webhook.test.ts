import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { feeFen } from "~/modules/ledger/fee";
import { reconcileStripePayments, startPayment } from "~/modules/payments/payments.cross-shop.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { action, loader } from "~/routes/webhooks.stripe";
import { createUser, run } from "../support/auth";
import { useStripeTestServer, webhookRequest } from "../support/stripe";
import type { StripeTestServer } from "../support/stripe-test-server";
import { twoShops, type Fixture } from "./cart-fixtures";
import { orderState, paymentOf, placed, stockLevels, type WantedLine } from "./payments-fixtures";

// POST /webhooks/stripe with events signed by the SDK's test-header helper, about sessions
// the app opened on the local Stripe test server.

let server: StripeTestServer;
let fx: Fixture;
let staffUserId: string;

beforeAll(async () => {
  server = await useStripeTestServer();
  fx = await twoShops();
  // Plenty of stock: many orders are placed here.
  await unscopedDb().variant.updateMany({ where: { sku: { endsWith: "-P6" } }, data: { stock: 1000 } });
  await unscopedDb().variant.updateMany({ where: { sku: { endsWith: "-P12" } }, data: { stock: 1000 } });
  await unscopedDb().experienceSlot.updateMany({ data: { capacity: 500 } });
  staffUserId = (await createUser()).id;
});

afterAll(async () => {
  await server?.close();
});

async function placeAndStart(lines: WantedLine[]) {
  const order = await placed(lines);
  const { redirectUrl } = await startPayment({ orderId: order.orderId, origin: "http://localhost" });
  expect(redirectUrl).toMatch(/\/pay\/cs_test_/);
  const sessionId = (await paymentOf(order.orderId)).providerRef!;
  return { ...order, sessionId };
}

async function deliver(event: Stripe.Event) {
  const response = await action({ request: webhookRequest(server, event), params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as { result?: string } };
}

const webhookRows = (id: string) => unscopedDb().webhookEvent.count({ where: { id } });

describe("the Stripe webhook", () => {
  it("marks the whole order paid on a signed checkout.session.completed: every shop order, reservation and ledger", async () => {
    const order = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 2 },
      { variantId: fx.b.p6.id, quantity: 1 },
      { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 2 },
    ]);
    const session = server.pay(order.sessionId, { method: "alipay" });
    const event = server.sessionEvent("checkout.session.completed", order.sessionId);

    const answer = await deliver(event);
    expect(answer).toEqual({ status: 200, body: { received: true, result: "handled" } });

    const saved = await unscopedDb().order.findUniqueOrThrow({
      where: { id: order.orderId },
      include: { shopOrders: { include: { reservations: true, ledgerEntries: true } }, payments: true },
    });
    expect(saved.status).toBe("PAID");
    expect(saved.paidAt).not.toBeNull();
    expect(saved.payments).toEqual([
      expect.objectContaining({
        status: "SUCCEEDED",
        providerRef: order.sessionId,
        providerPaymentRef: session.payment_intent,
      }),
    ]);
    expect(saved.shopOrders).toHaveLength(2);
    for (const so of saved.shopOrders) {
      expect(so.status).toBe("PAID");
      expect(so.paidAt).not.toBeNull();
      expect(so.reservations.length).toBeGreaterThan(0);
      expect(so.reservations.every((r) => r.status === "CONVERTED")).toBe(true);
      const ledger = so.ledgerEntries.map((e) => [e.kind, e.amountFen]).sort();
      expect(ledger).toEqual([
        ["PLATFORM_FEE", -feeFen(so.totalFen, so.feeBps)],
        ["SALE", so.totalFen],
      ]);
      expect(so.ledgerEntries.every((e) => e.shopId === so.shopId)).toBe(true);
    }
    expect(saved.shopOrders.reduce((sum, so) => sum + so.totalFen, 0)).toBe(saved.totalFen);
    expect(await webhookRows(event.id)).toBe(1);
    const sms = await unscopedDb().notification.findMany({
      where: { recipient: "13912345678", template: "order-paid" },
    });
    expect(sms.some((n) => (n.payload as { orderNumber?: string }).orderNumber === order.number)).toBe(true);
  });

  it("refuses a bad signature with 400 and changes nothing", async () => {
    const order = await placeAndStart([{ variantId: fx.b.p6.id, quantity: 1 }]);
    server.pay(order.sessionId);
    const event = server.sessionEvent("checkout.session.completed", order.sessionId);
    const before = await orderState(order.orderId);
    const stock = await stockLevels();

    const signed = server.sign(event);
    const tampered = new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      headers: { "Stripe-Signature": signed.signature, "Content-Type": "application/json" },
      body: signed.payload.replace(`"payment_status": "paid"`, `"payment_status": "paid" `),
    });
    const attempts = [
      await run(action as never, webhookRequest(server, event, { secret: "whsec_someone_else" })),
      await run(action as never, webhookRequest(server, event, { signature: null })),
      await run(action as never, webhookRequest(server, event, { signature: "t=1,v1=deadbeef" })),
      await run(action as never, tampered),
      // Signed correctly, but 10 minutes ago: a replay.
      await run(
        action as never,
        new Request("http://localhost/webhooks/stripe", {
          method: "POST",
          headers: {
            "Stripe-Signature": server.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 600 }).signature,
          },
          body: server.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 600 }).payload,
        }),
      ),
    ];
    expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(await orderState(order.orderId)).toEqual(before);
    expect(await stockLevels()).toEqual(stock);
    expect(await webhookRows(event.id)).toBe(0);
  });

  it("records an event once: the same delivery twice leaves one WebhookEvent row and the same state", async () => {
    const order = await placeAndStart([{ variantId: fx.a.p6.id, quantity: 1 }]);
    server.pay(order.sessionId);
    const event = server.sessionEvent("checkout.session.completed", order.sessionId);

    expect(await deliver(event)).toMatchObject({ status: 200, body: { result: "handled" } });
    const once = await orderState(order.orderId);
    const stock = await stockLevels();
    expect(await deliver(event)).toMatchObject({ status: 200, body: { result: "duplicate" } });
    expect(await webhookRows(event.id)).toBe(1);
    expect(await orderState(order.orderId)).toEqual(once);
    expect(await stockLevels()).toEqual(stock);
    expect(once.status).toBe("PAID");
  });

  it("acknowledges types it does not handle, and is not refused for a foreign Origin: the signature is its check", async () => {
    const event = server.event("customer.created", { id: "cus_test_1", object: "customer" });
    const answer = await action({
      request: webhookRequest(server, event, { headers: { Origin: "https://elsewhere.example" } }),
      params: {},
      context: {},
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: true, result: "ignored" });
    expect(await webhookRows(event.id)).toBe(1);
    expect(loader().status).toBe(405);
  });

  it("answers 500 when handling fails, records nothing, and Stripe's retry then goes through", async () => {
    const order = await placeAndStart([{ variantId: fx.a.p6.id, quantity: 2 }]);
    server.pay(order.sessionId, { method: "card" });
    await deliver(server.sessionEvent("checkout.session.completed", order.sessionId));
    const shopOrder = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { orderId: order.orderId },
      include: { lines: true },
    });
    server.refundStatus = "pending";
    const refund = await refundShopOrder({
      shopId: shopOrder.shopId,
      shopOrderId: shopOrder.id,
      amountFen: shopOrder.lines[0]!.unitPriceFen,
      lines: [{ lineId: shopOrder.lines[0]!.id, quantity: 1 }],
      reason: "one box was bruised",
      userId: staffUserId,
    });
    server.refundStatus = "succeeded";
    expect(refund).toMatchObject({ ok: true, status: "PENDING" });
    const stripeRefund = [...server.refunds.values()].at(-1)!;
    server.settleRefund(String(stripeRefund.id));
    const pi = String((await paymentOf(order.orderId)).providerPaymentRef);
    const event = server.chargeRefundedEvent(pi);

    server.faults.push({ method: "GET", path: "/v1/refunds", status: 503, times: 1, retry: false });
    expect((await deliver(event)).status).toBe(500);
    expect(await webhookRows(event.id)).toBe(0);
    expect(
      await unscopedDb().refund.findFirstOrThrow({ where: { id: refund.ok ? refund.refundId : "" } }),
    ).toMatchObject({ status: "PENDING" });

    expect(await deliver(event)).toMatchObject({ status: 200, body: { result: "handled" } });
    expect(await webhookRows(event.id)).toBe(1);
    expect(
      await unscopedDb().refund.findFirstOrThrow({ where: { id: refund.ok ? refund.refundId : "" } }),
    ).toMatchObject({ status: "SUCCEEDED" });
  });

  it("async_payment_failed and expired give the stock and places back", async () => {
    const before = await stockLevels();
    const failed = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 3 },
      { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 2 },
    ]);
    const expired = await placeAndStart([{ variantId: fx.b.p12.id, quantity: 2 }]);
    const held = await stockLevels();
    expect(held.stock["cart-alpha-P6"]).toBe(before.stock["cart-alpha-P6"]! - 3);
    expect(held.booked[fx.a.slot]).toBe(before.booked[fx.a.slot]! + 2);
    expect(held.stock["cart-beta-P12"]).toBe(before.stock["cart-beta-P12"]! - 2);

    server.pay(failed.sessionId, { method: "alipay", delayed: true });
    expect(await deliver(server.sessionEvent("checkout.session.completed", failed.sessionId))).toMatchObject({
      status: 200,
    });
    expect((await orderState(failed.orderId)).status).toBe("AWAITING_PAYMENT"); // paid later, or not
    server.asyncFail(failed.sessionId);
    expect(await deliver(server.sessionEvent("checkout.session.async_payment_failed", failed.sessionId))).toMatchObject(
      { status: 200 },
    );

    server.expire(expired.sessionId);
    expect(await deliver(server.sessionEvent("checkout.session.expired", expired.sessionId))).toMatchObject({
      status: 200,
    });

    expect(await stockLevels()).toEqual(before);
    for (const { orderId } of [failed, expired]) {
      const state = await orderState(orderId);
      expect(state.status).toBe("EXPIRED");
      expect(state.shopOrders.every((so) => so.status === "CANCELLED")).toBe(true);
      expect(state.shopOrders.flatMap((so) => so.reservations).every((r) => r.status === "RELEASED")).toBe(true);
    }
    expect((await orderState(failed.orderId)).payments).toEqual([expect.objectContaining({ status: "FAILED" })]);
    expect((await orderState(expired.orderId)).payments).toEqual([expect.objectContaining({ status: "EXPIRED" })]);
  });
});

describe("events out of order", () => {
  /** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
  function shuffled<T>(items: T[], seed: number): T[] {
    let a = seed >>> 0;
    const random = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /**
   * Four orders and the events Stripe sends about them: o1 paid by a delayed method
   * (completed unpaid, then async_payment_succeeded), o2 whose session expired, o3 paid (its
   * completed event comes late) and then partly refunded through the cooperative's admin
   * (charge.refunded), o4 whose delayed payment failed. Returns the events (not yet delivered) and how to read the outcome.
   */
  async function world() {
    const levels = await stockLevels();
    const o1 = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 1 },
      { variantId: fx.b.p6.id, quantity: 1 },
      { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 2 },
    ]);
    const o2 = await placeAndStart([
      { variantId: fx.b.p12.id, quantity: 1 },
      { variantId: fx.a.p6.id, quantity: 1 },
    ]);
    const o3 = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 2 },
      { variantId: fx.b.p6.id, quantity: 1 },
    ]);
    const o4 = await placeAndStart([
      { variantId: fx.b.p6.id, quantity: 1 },
      { variantId: fx.b.ticket.id, slotId: fx.b.slot, quantity: 1 },
    ]);

    // o3 is paid, but its checkout.session.completed is late: the reconciliation finds the
    // payment first. Then shop A refunds one box; Stripe settles that refund later.
    server.pay(o3.sessionId, { method: "card" });
    const e0 = server.sessionEvent("checkout.session.completed", o3.sessionId);
    await reconcileStripePayments({ olderThanMs: 0 });
    expect((await orderState(o3.orderId)).status).toBe("PAID");
    const soA = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { orderId: o3.orderId, lines: { some: { variantId: fx.a.p6.id } } },
      include: { lines: true },
    });
    server.refundStatus = "pending";
    const refund = await refundShopOrder({
      shopId: soA.shopId,
      shopOrderId: soA.id,
      amountFen: soA.lines[0]!.unitPriceFen,
      lines: [{ lineId: soA.lines[0]!.id, quantity: 1 }],
      reason: null,
      userId: staffUserId,
    });
    server.refundStatus = "succeeded";
    expect(refund).toMatchObject({ ok: true, status: "PENDING" });
    server.settleRefund(String([...server.refunds.values()].at(-1)!.id));

    server.pay(o1.sessionId, { method: "alipay", delayed: true });
    const e1 = server.sessionEvent("checkout.session.completed", o1.sessionId);
    server.asyncSucceed(o1.sessionId);
    const e2 = server.sessionEvent("checkout.session.async_payment_succeeded", o1.sessionId);
    server.expire(o2.sessionId);
    const e3 = server.sessionEvent("checkout.session.expired", o2.sessionId);
    const e4 = server.chargeRefundedEvent(String((await paymentOf(o3.orderId)).providerPaymentRef));
    server.pay(o4.sessionId, { method: "wechat_pay", delayed: true });
    const e5 = server.sessionEvent("checkout.session.completed", o4.sessionId);
    server.asyncFail(o4.sessionId);
    const e6 = server.sessionEvent("checkout.session.async_payment_failed", o4.sessionId);

    return {
      events: [e0, e1, e2, e3, e4, e5, e6],
      async outcome() {
        const after = await stockLevels();
        const delta = (from: Record<string, number>, to: Record<string, number>) =>
          Object.fromEntries(
            Object.keys(to)
              .map((k) => [k, to[k]! - (from[k] ?? 0)])
              .filter(([, d]) => d !== 0),
          );
        return {
          orders: await Promise.all([o1, o2, o3, o4].map((o) => orderState(o.orderId))),
          stock: delta(levels.stock, after.stock),
          booked: delta(levels.booked, after.booked),
        };
      },
    };
  }

  it("delivered shuffled and with duplicates, they leave the same final state as delivered once in order", async () => {
    const inOrder = await world();
    for (const event of inOrder.events) expect((await deliver(event)).status).toBe(200);
    const expected = await inOrder.outcome();

    // What "in order" means, so that the comparison below compares the right thing.
    const [o1, o2, o3, o4] = expected.orders;
    expect(o1!.status).toBe("PAID");
    expect(
      o1!.shopOrders.every((so) => so.status === "PAID" && so.reservations.every((r) => r.status === "CONVERTED")),
    ).toBe(true);
    expect(o2!.status).toBe("EXPIRED");
    expect(o3!.status).toBe("PAID");
    expect(o3!.shopOrders.map((so) => so.refundedFen).sort()).toEqual([0, 16800]);
    expect(o3!.shopOrders.flatMap((so) => so.refunds)).toEqual([{ status: "SUCCEEDED", amountFen: 16800 }]);
    expect(o3!.shopOrders.flatMap((so) => so.ledgerEntries.map((e) => e.kind)).sort()).toEqual([
      "FEE_REFUND",
      "PLATFORM_FEE",
      "PLATFORM_FEE",
      "REFUND",
      "SALE",
      "SALE",
    ]);
    expect(o4!.status).toBe("EXPIRED");
    // Sold: o1 (A-P6 1, B-P6 1, 2 places), o3 (A-P6 2 less 1 refunded back, B-P6 1).
    expect(expected.stock).toEqual({ "cart-alpha-P6": -2, "cart-beta-P6": -2 });
    expect(expected.booked).toEqual({ [fx.a.slot]: 2 });

    for (const seed of [1, 2, 3, 42, 2026]) {
      const w = await world();
      const duplicate = w.events[seed % w.events.length]!;
      const order = shuffled([...w.events, duplicate], seed);
      for (const event of order) expect((await deliver(event)).status).toBe(200);
      expect(await w.outcome(), `seed ${seed}: ${order.map((e) => e.type).join(", ")}`).toEqual(expected);
      expect(await unscopedDb().webhookEvent.count({ where: { id: { in: w.events.map((e) => e.id) } } })).toBe(7);
    }
  });
});
