import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { periodicTasks } from "~/modules/jobs/periodic.server";
import { startWorker } from "~/modules/jobs/worker.server";
import { feeFen } from "~/modules/ledger/fee";
import {
  reconcileStripePayments,
  startPayment,
  sweepExpiredOrders,
} from "~/modules/payments/payments.cross-shop.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { sessionExpiresAt, stripeProvider } from "~/modules/payments/stripe.server";
import { action } from "~/routes/webhooks.stripe";
import { createUser } from "../support/auth";
import { useStripeTestServer, webhookRequest } from "../support/stripe";
import { TEST_SECRET_KEY, type StripeTestServer } from "../support/stripe-test-server";
import { twoShops, type Fixture } from "./cart-fixtures";
import { orderState, paymentOf, placed, stockLevels, type WantedLine } from "./payments-fixtures";

// The Stripe provider against the local test server: what the app sends (asserted from the
// server's record of requests), the sweeper, the reconciliation and refunds.

let server: StripeTestServer;
let fx: Fixture;
let staffUserId: string;

beforeAll(async () => {
  server = await useStripeTestServer();
  fx = await twoShops();
  await unscopedDb().variant.updateMany({ where: { sku: { endsWith: "-P6" } }, data: { stock: 1000 } });
  await unscopedDb().variant.updateMany({ where: { sku: { endsWith: "-P12" } }, data: { stock: 1000 } });
  await unscopedDb().experienceSlot.updateMany({ data: { capacity: 500 } });
  staffUserId = (await createUser()).id;
});

afterAll(async () => {
  await server?.close();
});

async function placeAndStart(lines: WantedLine[], options: { now?: Date } = {}) {
  const order = await placed(lines, options);
  await startPayment({ orderId: order.orderId, origin: "http://localhost" });
  const sessionId = (await paymentOf(order.orderId)).providerRef!;
  return { ...order, sessionId };
}

async function deliver(event: Stripe.Event) {
  const response = await action({ request: webhookRequest(server, event), params: {}, context: {} });
  expect(response.status).toBe(200);
}

async function paidOrder(lines: WantedLine[]) {
  const order = await placeAndStart(lines);
  server.pay(order.sessionId, { method: "card" });
  await deliver(server.sessionEvent("checkout.session.completed", order.sessionId));
  const pi = String(server.session(order.sessionId).payment_intent);
  return { ...order, pi };
}

const sessionCreates = () => server.requestsTo("POST", "/v1/checkout/sessions");

describe("startPayment", () => {
  it("opens a Checkout Session in CNY with card, Alipay and WeChat Pay, a line per item and per shipping that add up to the total, and the order in metadata", async () => {
    const before = sessionCreates().length;
    const order = await placed([
      { variantId: fx.a.p6.id, quantity: 2 },
      { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 1 },
      { variantId: fx.b.p12.id, quantity: 1 },
    ]);
    const { redirectUrl } = await startPayment({ orderId: order.orderId, origin: "http://localhost:3260" });

    const sent = sessionCreates().slice(before);
    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    const payment = await paymentOf(order.orderId);
    const session = server.session(payment.providerRef!);
    expect(redirectUrl).toBe(`${server.url}/pay/${session.id}`);
    expect(payment.redirectUrl).toBe(redirectUrl);
    expect(request.authorization).toBe(`Bearer ${TEST_SECRET_KEY}`);
    expect(request.idempotencyKey).toBe(payment.idempotencyKey);
    expect(request.idempotencyKey).toBe(`pay_${order.orderId}_1`);

    const body = request.body as Record<string, unknown> & {
      line_items: {
        quantity: string;
        price_data: { currency: string; unit_amount: string; product_data: { name: string } };
      }[];
    };
    expect(body).toMatchObject({
      mode: "payment",
      currency: "cny",
      allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
      payment_method_options: { wechat_pay: { client: "web" } },
      client_reference_id: order.number,
      metadata: { orderId: order.orderId, orderNumber: order.number, paymentId: payment.id },
      payment_intent_data: {
        metadata: { orderId: order.orderId, orderNumber: order.number, paymentId: payment.id },
        transfer_group: order.number,
      },
      locale: "zh",
      success_url: `http://localhost:3260/orders/${order.number}?paid=1`,
      cancel_url: `http://localhost:3260/orders/${order.number}`,
    });

    // One line per order line, one per shop that charges shipping; all in CNY; adding up to the order.
    const shopOrders = await unscopedDb().shopOrder.findMany({
      where: { orderId: order.orderId },
      include: { lines: true },
      orderBy: { number: "asc" },
    });
    const expectedItems = shopOrders.flatMap((so) => [
      ...so.lines.map((l) => ({ unit: l.unitPriceFen, quantity: l.quantity })),
      ...(so.shippingFen > 0 ? [{ unit: so.shippingFen, quantity: 1 }] : []),
    ]);
    expect(shopOrders.every((so) => so.shippingFen > 0)).toBe(true);
    expect(
      body.line_items.map((i) => ({ unit: Number(i.price_data.unit_amount), quantity: Number(i.quantity) })),
    ).toEqual(expectedItems);
    expect(body.line_items.every((i) => i.price_data.currency === "cny")).toBe(true);
    expect(body.line_items.some((i) => i.price_data.product_data.name.includes("运费"))).toBe(true);
    const sum = body.line_items.reduce((s, i) => s + Number(i.price_data.unit_amount) * Number(i.quantity), 0);
    expect(sum).toBe(order.totalFen);
    expect(session.amount_total).toBe(order.totalFen);
    expect(payment.amountFen).toBe(order.totalFen);

    // Stripe keeps a session at least 30 minutes; ours ends before the sweeper has to force it.
    const expiresAt = Number(body.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 60);
  });

  it("opens one session however often it is called, even when the first answer was never saved", async () => {
    const before = server.sessions.size;
    const order = await placed([{ variantId: fx.b.p6.id, quantity: 1 }]);
    const first = await startPayment({ orderId: order.orderId, origin: "http://localhost" });
    const second = await startPayment({ orderId: order.orderId, origin: "http://localhost" });
    expect(second).toEqual(first);
    expect(server.sessions.size).toBe(before + 1);

    // The process died after Stripe answered and before the session was saved: the retry
    // sends the same Idempotency-Key and the same parameters, and Stripe replays its answer.
    const payment = await paymentOf(order.orderId);
    await unscopedDb().payment.update({ where: { id: payment.id }, data: { providerRef: null, redirectUrl: null } });
    const third = await startPayment({ orderId: order.orderId, origin: "http://localhost" });
    expect(third).toEqual(first);
    expect(server.sessions.size).toBe(before + 1);
    const creates = sessionCreates().filter((r) => r.idempotencyKey === payment.idempotencyKey);
    expect(creates.map((r) => [r.status, r.replayed])).toEqual([
      [200, false],
      [200, true],
    ]);
    expect((await paymentOf(order.orderId)).providerRef).toBe(payment.providerRef);
  });

  it("derives the session's expiry from when the order was placed, so a retry minutes later sends the same parameters", () => {
    const placedAt = new Date("2026-11-27T08:00:00Z");
    const input = { placedAt, expiresAt: new Date(placedAt.getTime() + 15 * 60_000) };
    const at = (minutes: number) => sessionExpiresAt(input, placedAt.getTime() + minutes * 60_000);
    expect(at(0)).toBe(at(10));
    expect(at(0)).toBe(Math.floor(placedAt.getTime() / 1000) + 3600);
    // Never less than Stripe's 30 minutes from the moment of the call.
    expect(at(50)).toBeGreaterThanOrEqual(Math.floor(placedAt.getTime() / 1000) + 80 * 60);
  });

  it("sends the buyer nowhere for an order that is no longer awaiting payment", async () => {
    const order = await paidOrder([{ variantId: fx.a.p6.id, quantity: 1 }]);
    const before = sessionCreates().length;
    expect(await startPayment({ orderId: order.orderId, origin: "http://localhost" })).toEqual({ redirectUrl: null });
    expect(sessionCreates().length).toBe(before);
  });
});

describe("reconciliation", () => {
  it("marks paid an order whose webhook never came, and expires one whose session Stripe let expire", async () => {
    const lost = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 1 },
      { variantId: fx.b.p6.id, quantity: 1 },
    ]);
    const gone = await placeAndStart([{ variantId: fx.b.p12.id, quantity: 3 }]);
    const open = await placeAndStart([{ variantId: fx.a.p12.id, quantity: 1 }]);
    const levels = await stockLevels();
    server.pay(lost.sessionId, { method: "wechat_pay" });
    server.expire(gone.sessionId);

    // Too fresh to bother Stripe about (the webhook usually comes within seconds).
    const reads = () => server.requestsTo("GET", /^\/v1\/checkout\/sessions\//).length;
    const readsBefore = reads();
    await reconcileStripePayments();
    expect(reads()).toBe(readsBefore);

    const result = await reconcileStripePayments({ olderThanMs: 0 });
    expect(result.paid).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBe(0);

    const paid = await orderState(lost.orderId);
    expect(paid.status).toBe("PAID");
    expect(
      paid.shopOrders.every((so) => so.status === "PAID" && so.reservations.every((r) => r.status === "CONVERTED")),
    ).toBe(true);
    expect(paid.shopOrders.every((so) => so.ledgerEntries.some((e) => e.kind === "SALE"))).toBe(true);
    expect((await paymentOf(lost.orderId)).providerPaymentRef).toBe(server.session(lost.sessionId).payment_intent);

    expect((await orderState(gone.orderId)).status).toBe("EXPIRED");
    expect((await stockLevels()).stock["cart-beta-P12"]).toBe(levels.stock["cart-beta-P12"]! + 3);

    const stillOpen = await orderState(open.orderId);
    expect(stillOpen.status).toBe("AWAITING_PAYMENT");
    expect(stillOpen.shopOrders[0]!.reservations.every((r) => r.status === "HELD")).toBe(true);
    // Tidy: the buyer gives up (so later sweeps in this file do not meet it open).
    server.expire(open.sessionId);
    await reconcileStripePayments({ olderThanMs: 0 });
  });
});

describe("refunds through Stripe", () => {
  it("sends the amount with an idempotency key, waits while Stripe's refund is pending, and completes on charge.refunded", async () => {
    const order = await paidOrder([{ variantId: fx.a.p6.id, quantity: 2 }]);
    const so = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { orderId: order.orderId },
      include: { lines: true },
    });
    const line = so.lines[0]!;
    const levels = await stockLevels();

    server.refundStatus = "pending"; // as Alipay and WeChat Pay refunds often are
    const first = await refundShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      amountFen: line.unitPriceFen,
      lines: [{ lineId: line.id, quantity: 1 }],
      reason: "坏果",
      userId: staffUserId,
    });
    server.refundStatus = "succeeded";
    expect(first).toMatchObject({ ok: true, status: "PENDING" });
    if (!first.ok) return;

    const sent = server.requestsTo("POST", "/v1/refunds").at(-1)!;
    expect(sent.idempotencyKey).toBe(`refund_${first.refundId}`);
    expect(sent.body).toMatchObject({
      payment_intent: order.pi,
      amount: String(line.unitPriceFen),
      metadata: { refundId: first.refundId, orderNumber: order.number, shopOrderNumber: so.number },
    });
    const row = await unscopedDb().refund.findFirstOrThrow({ where: { id: first.refundId } });
    const stripeRefund = server.refunds.get(row.providerRef!)!;
    expect(stripeRefund).toMatchObject({ amount: line.unitPriceFen, payment_intent: order.pi, status: "pending" });

    // Stripe tells of the refund while it is still pending: nothing is booked yet.
    await deliver(server.chargeRefundedEvent(order.pi));
    expect(await unscopedDb().refund.findFirstOrThrow({ where: { id: first.refundId } })).toMatchObject({
      status: "PENDING",
    });
    expect((await stockLevels()).stock).toEqual(levels.stock);
    expect((await orderState(order.orderId)).shopOrders[0]!.refundedFen).toBe(0);

    server.settleRefund(String(stripeRefund.id));
    await deliver(server.event("refund.updated", stripeRefund));
    const after = await orderState(order.orderId);
    expect(await unscopedDb().refund.findFirstOrThrow({ where: { id: first.refundId } })).toMatchObject({
      status: "SUCCEEDED",
    });
    expect(after.shopOrders[0]).toMatchObject({
      status: "PAID",
      refundedFen: line.unitPriceFen,
      lines: [{ quantity: 2, refundedQuantity: 1 }],
    });
    expect(after.shopOrders[0]!.ledgerEntries).toEqual(
      expect.arrayContaining([
        { kind: "REFUND", amountFen: -line.unitPriceFen },
        { kind: "FEE_REFUND", amountFen: feeFen(line.unitPriceFen, so.feeBps) },
      ]),
    );
    expect((await stockLevels()).stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! + 1);

    // The rest, refunded at once by Stripe (card): the shop order is refunded, the ledger balances.
    const rest = so.totalFen - line.unitPriceFen;
    const second = await refundShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      amountFen: rest,
      lines: [{ lineId: line.id, quantity: 1 }],
      reason: null,
      userId: staffUserId,
    });
    expect(second).toMatchObject({ ok: true, status: "SUCCEEDED" });
    const done = await orderState(order.orderId);
    expect(done.shopOrders[0]).toMatchObject({ status: "REFUNDED", refundedFen: so.totalFen });
    expect(done.shopOrders[0]!.ledgerEntries.reduce((sum, e) => sum + e.amountFen, 0)).toBe(0);
    expect((await stockLevels()).stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! + 2);
    // A late charge.refunded for all this changes nothing more.
    await deliver(server.chargeRefundedEvent(order.pi));
    expect(await orderState(order.orderId)).toEqual(done);
  });

  it("a refund Stripe reports failed books nothing, and one confirmed before its id was saved is still found", async () => {
    const order = await paidOrder([{ variantId: fx.b.p6.id, quantity: 3 }]);
    const so = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { orderId: order.orderId },
      include: { lines: true },
    });
    const line = so.lines[0]!;
    const before = await orderState(order.orderId);
    const levels = await stockLevels();

    server.refundStatus = "pending";
    const failing = await refundShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      amountFen: 100,
      lines: [],
      reason: null,
      userId: staffUserId,
    });
    const racing = await refundShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      amountFen: line.unitPriceFen,
      lines: [{ lineId: line.id, quantity: 1 }],
      reason: null,
      userId: staffUserId,
    });
    server.refundStatus = "succeeded";
    if (!failing.ok || !racing.ok) throw new Error("refunds not started");
    const failingRef = (await unscopedDb().refund.findFirstOrThrow({ where: { id: failing.refundId } })).providerRef!;
    const racingRef = (await unscopedDb().refund.findFirstOrThrow({ where: { id: racing.refundId } })).providerRef!;
    // As if charge.refunded had come before refundShopOrder stored Stripe's id.
    await unscopedDb().refund.updateMany({ where: { id: racing.refundId }, data: { providerRef: null } });

    server.settleRefund(failingRef, "failed");
    await deliver(server.event("refund.failed", server.refunds.get(failingRef)!));
    server.settleRefund(racingRef);
    await deliver(server.chargeRefundedEvent(order.pi));

    expect(await unscopedDb().refund.findFirstOrThrow({ where: { id: failing.refundId } })).toMatchObject({
      status: "FAILED",
      completedAt: null,
    });
    expect(await unscopedDb().refund.findFirstOrThrow({ where: { id: racing.refundId } })).toMatchObject({
      status: "SUCCEEDED",
      providerRef: racingRef,
    });
    const after = await orderState(order.orderId);
    expect(after.shopOrders[0]!.refundedFen).toBe(line.unitPriceFen);
    expect(after.shopOrders[0]!.ledgerEntries.filter((e) => e.kind === "REFUND")).toEqual([
      { kind: "REFUND", amountFen: -line.unitPriceFen },
    ]);
    expect(after.shopOrders[0]!.ledgerEntries.length).toBe(before.shopOrders[0]!.ledgerEntries.length + 2);
    expect((await stockLevels()).stock["cart-beta-P6"]).toBe(levels.stock["cart-beta-P6"]! + 1);
  });

  it("a retried refund call with the same idempotency key refunds once", async () => {
    const order = await paidOrder([{ variantId: fx.a.p6.id, quantity: 1 }]);
    const input = {
      refundId: "rf_retry_test",
      idempotencyKey: "refund_rf_retry_test",
      providerPaymentRef: order.pi,
      amountFen: 500,
      orderNumber: order.number,
      shopOrderNumber: `${order.number}-1`,
    };
    const a = await stripeProvider.refund(input);
    const b = await stripeProvider.refund(input);
    expect(b.providerRef).toBe(a.providerRef);
    expect([...server.refunds.values()].filter((r) => r.payment_intent === order.pi)).toHaveLength(1);
  });

  it("the reconciliation completes a refund whose charge.refunded never came", async () => {
    const order = await paidOrder([{ variantId: fx.b.p12.id, quantity: 1 }]);
    const so = await unscopedDb().shopOrder.findFirstOrThrow({ where: { orderId: order.orderId } });
    server.refundStatus = "pending";
    const refund = await refundShopOrder({
      shopId: so.shopId,
      shopOrderId: so.id,
      amountFen: so.totalFen,
      lines: [],
      reason: null,
      userId: staffUserId,
    });
    server.refundStatus = "succeeded";
    if (!refund.ok) throw new Error("refund not started");
    server.settleRefund((await unscopedDb().refund.findFirstOrThrow({ where: { id: refund.refundId } })).providerRef!);
    expect(await reconcileStripePayments({ olderThanMs: 0 })).toMatchObject({ refunds: 1, failed: 0 });
    expect((await orderState(order.orderId)).shopOrders[0]).toMatchObject({
      status: "REFUNDED",
      refundedFen: so.totalFen,
    });
  });
});

describe("the sweeper", () => {
  it("expires the Stripe session of an order past its time and gives the stock and places back", async () => {
    // Orders the tests above left unpaid end first, so that only this one's stock moves below.
    await sweepExpiredOrders(new Date(Date.now() + 3 * 3600_000));
    const levels = await stockLevels();
    const order = await placeAndStart([
      { variantId: fx.a.p6.id, quantity: 4 },
      { variantId: fx.b.ticket.id, slotId: fx.b.slot, quantity: 3 },
    ]);
    const saved = await unscopedDb().order.findUniqueOrThrow({ where: { id: order.orderId } });
    expect((await stockLevels()).stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! - 4);

    // Not yet: a minute before its time nothing happens.
    await sweepExpiredOrders(new Date(saved.expiresAt.getTime() - 60_000));
    expect((await orderState(order.orderId)).status).toBe("AWAITING_PAYMENT");

    const result = await sweepExpiredOrders(new Date(saved.expiresAt.getTime() + 1000));
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(server.session(order.sessionId).status).toBe("expired");
    expect(server.requestsTo("POST", `/v1/checkout/sessions/${order.sessionId}/expire`)).toHaveLength(1);
    const state = await orderState(order.orderId);
    expect(state.status).toBe("EXPIRED");
    expect(state.payments).toEqual([{ status: "EXPIRED", amountFen: order.totalFen }]);
    expect(
      state.shopOrders.every(
        (so) => so.status === "CANCELLED" && so.reservations.every((r) => r.status === "RELEASED"),
      ),
    ).toBe(true);
    expect(await stockLevels()).toEqual(levels);

    // The session's own expired event, when it comes, changes nothing.
    await deliver(server.sessionEvent("checkout.session.expired", order.sessionId));
    expect(await orderState(order.orderId)).toEqual(state);
  });

  it("completes the order instead when Stripe says the buyer paid meanwhile", async () => {
    const levels = await stockLevels();
    const order = await placeAndStart([{ variantId: fx.b.p6.id, quantity: 2 }]);
    const saved = await unscopedDb().order.findUniqueOrThrow({ where: { id: order.orderId } });
    server.pay(order.sessionId, { method: "alipay" }); // the webhook is still on its way
    const result = await sweepExpiredOrders(new Date(saved.expiresAt.getTime() + 1000));
    expect(result.paid).toBeGreaterThanOrEqual(1);
    expect(server.requestsTo("POST", `/v1/checkout/sessions/${order.sessionId}/expire`)).toHaveLength(0);
    const state = await orderState(order.orderId);
    expect(state.status).toBe("PAID");
    expect(state.shopOrders[0]!.reservations.every((r) => r.status === "CONVERTED")).toBe(true);
    expect((await stockLevels()).stock["cart-beta-P6"]).toBe(levels.stock["cart-beta-P6"]! - 2);
    await deliver(server.sessionEvent("checkout.session.completed", order.sessionId));
    expect(await orderState(order.orderId)).toEqual(state);
  });

  it("expires an order whose payment never reached Stripe, and one order Stripe cannot answer for does not hold up the others", async () => {
    const levels = await stockLevels();
    const stuck = await placeAndStart([{ variantId: fx.a.p12.id, quantity: 1 }]);
    const neverStarted = await placed([{ variantId: fx.b.p12.id, quantity: 2 }]);
    const later = new Date(Date.now() + 60 * 60_000);

    server.faults.push({
      method: "GET",
      path: `/v1/checkout/sessions/${stuck.sessionId}`,
      status: 503,
      times: 1,
      retry: false,
    });
    const result = await sweepExpiredOrders(later);
    expect(result.failed).toBe(1);
    expect((await orderState(stuck.orderId)).status).toBe("AWAITING_PAYMENT");
    expect((await orderState(neverStarted.orderId)).status).toBe("EXPIRED");

    // Next round Stripe answers again.
    expect(await sweepExpiredOrders(later)).toMatchObject({ failed: 0, expired: 1 });
    expect((await orderState(stuck.orderId)).status).toBe("EXPIRED");
    expect(await stockLevels()).toEqual(levels);
  });

  it("runs in the background worker on its own clock", async () => {
    const levels = await stockLevels();
    // Placed 20 minutes ago: its 15 minutes are over.
    const order = await placed([{ variantId: fx.a.p6.id, quantity: 1 }], { now: new Date(Date.now() - 20 * 60_000) });
    // The photos' AVIF jobs are not the subject here: keep the outbox quiet.
    await unscopedDb().outboxJob.updateMany({ data: { runAt: new Date(Date.now() + 86_400_000) } });
    const worker = startWorker({ intervalMs: 1000, periodic: periodicTasks(50) });
    try {
      for (let i = 0; i < 200 && (await orderState(order.orderId)).status === "AWAITING_PAYMENT"; i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect((await orderState(order.orderId)).status).toBe("EXPIRED");
    expect(await stockLevels()).toEqual(levels);
  });
});
