import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expandForm,
  startStripeTestServer,
  TEST_SECRET_KEY,
  type StripeTestServer,
} from "../support/stripe-test-server";

// The local Stripe stand-in answers the official SDK the way Stripe does; the payment tests
// rely on that, so it is checked here against the SDK itself.

let server: StripeTestServer;
let stripe: Stripe;

beforeAll(async () => {
  server = await startStripeTestServer();
  const base = new URL(server.url);
  stripe = new Stripe(TEST_SECRET_KEY, {
    host: base.hostname,
    port: Number(base.port),
    protocol: "http",
    maxNetworkRetries: 0,
  });
});

afterAll(async () => {
  await server.close();
});

const sessionParams = (
  over: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  currency: "cny",
  allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
  payment_method_options: { wechat_pay: { client: "web" } },
  line_items: [
    { quantity: 2, price_data: { currency: "cny", unit_amount: 16800, product_data: { name: "水蜜桃 · 6只装" } } },
    { quantity: 1, price_data: { currency: "cny", unit_amount: 1200, product_data: { name: "运费" } } },
  ],
  metadata: { orderId: "o1" },
  payment_intent_data: { metadata: { orderId: "o1" }, transfer_group: "261127000001" },
  success_url: "http://localhost/orders/1?paid=1",
  cancel_url: "http://localhost/orders/1",
  expires_at: Math.floor(Date.now() / 1000) + 3600,
  ...over,
});

describe("the Stripe test server", () => {
  it("expands Stripe's nested form keys", () => {
    expect(
      expandForm(
        new URLSearchParams("a[b][0][c]=1&a[b][0][d]=x&a[b][1][c]=2&list[]=p&list[]=q&m[k]=v&plain=%E6%A1%83"),
      ),
    ).toEqual({
      a: { b: [{ c: "1", d: "x" }, { c: "2" }] },
      list: ["p", "q"],
      m: { k: "v" },
      plain: "桃",
    });
  });

  it("creates, reads and expires Checkout Sessions, recording what was sent", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "pay_unit_1" });
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      amount_total: 34800,
      currency: "cny",
      url: `${server.url}/pay/${session.id}`,
    });
    expect(session.id).toMatch(/^cs_test_/);
    const recorded = server.requestsTo("POST", "/v1/checkout/sessions").at(-1)!;
    expect(recorded).toMatchObject({ idempotencyKey: "pay_unit_1", authorization: `Bearer ${TEST_SECRET_KEY}` });
    expect(recorded.body).toMatchObject({
      line_items: [{ quantity: "2", price_data: { unit_amount: "16800" } }, { quantity: "1" }],
      allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
    });

    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect(await stripe.checkout.sessions.expire(session.id)).toMatchObject({ status: "expired", url: null });
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 400,
    });
    await expect(stripe.checkout.sessions.retrieve("cs_test_nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("refuses to expire a completed session, like Stripe", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    server.pay(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id);
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(paid.payment_intent).toMatch(/^pi_/);
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 400,
    });
  });

  it("replays an idempotent request, and refuses the same key with other parameters", async () => {
    // One set of parameters for both calls: sessionParams() reads the clock for expires_at, and a second
    // ticking between two calls would make them different requests (as Stripe itself would say).
    const params = sessionParams();
    const a = await stripe.checkout.sessions.create(params, { idempotencyKey: "pay_unit_2" });
    const b = await stripe.checkout.sessions.create(params, { idempotencyKey: "pay_unit_2" });
    expect(b.id).toBe(a.id);
    expect(server.requestsTo("POST", "/v1/checkout/sessions").at(-1)!.replayed).toBe(true);
    await expect(
      stripe.checkout.sessions.create(
        { ...params, client_reference_id: "other" },
        {
          idempotencyKey: "pay_unit_2",
        },
      ),
    ).rejects.toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("checks parameters Stripe checks", async () => {
    await expect(
      stripe.checkout.sessions.create(sessionParams({ expires_at: Math.floor(Date.now() / 1000) + 600 })),
    ).rejects.toMatchObject({ param: "expires_at" });
    await expect(stripe.checkout.sessions.create(sessionParams({ payment_method_options: {} }))).rejects.toMatchObject({
      statusCode: 400,
    });
    const noKey = new Stripe("sk_live_wrong", {
      host: new URL(server.url).hostname,
      port: Number(new URL(server.url).port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(noKey.checkout.sessions.retrieve("cs_test_x")).rejects.toMatchObject({
      type: "StripeAuthenticationError",
    });
  });

  it("refunds up to what was charged, lists refunds by payment intent, and makes transfers", async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    server.pay(session.id);
    const pi = String(server.session(session.id).payment_intent);
    const refund = await stripe.refunds.create(
      { payment_intent: pi, amount: 10000, metadata: { refundId: "r1" } },
      { idempotencyKey: "refund_r1" },
    );
    expect(refund).toMatchObject({
      object: "refund",
      amount: 10000,
      status: "succeeded",
      payment_intent: pi,
      metadata: { refundId: "r1" },
    });
    await expect(stripe.refunds.create({ payment_intent: pi, amount: 30000 })).rejects.toMatchObject({
      code: "amount_too_large",
    });
    expect((await stripe.refunds.list({ payment_intent: pi })).data.map((r) => r.id)).toEqual([refund.id]);
    const transfer = await stripe.transfers.create({
      amount: 5000,
      currency: "cny",
      destination: "acct_coop1",
      transfer_group: "261127000001",
    });
    expect(transfer).toMatchObject({
      object: "transfer",
      amount: 5000,
      destination: "acct_coop1",
      transfer_group: "261127000001",
    });
    expect(transfer.id).toMatch(/^tr_/);
  });

  it("serves a hosted page whose pay button completes the session and delivers a signed checkout.session.completed", async () => {
    const received: { body: string; signature: string }[] = [];
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["stripe-signature"]) });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    server.webhookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhooks/stripe`;
    try {
      const session = await stripe.checkout.sessions.create(sessionParams());
      const page = await fetch(session.url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("¥348.00");
      const paid = await fetch(session.url!, {
        method: "POST",
        body: new URLSearchParams({ method: "alipay" }),
        redirect: "manual",
      });
      expect(paid.status).toBe(303);
      expect(paid.headers.get("Location")).toBe("http://localhost/orders/1?paid=1");
      expect(received).toHaveLength(1);
      const event = stripe.webhooks.constructEvent(received[0]!.body, received[0]!.signature, server.webhookSecret);
      expect(event.type).toBe("checkout.session.completed");
      expect(event.data.object).toMatchObject({
        id: session.id,
        status: "complete",
        payment_status: "paid",
        metadata: { orderId: "o1" },
      });
      expect((await fetch(session.url!)).status).toBe(410);
    } finally {
      server.webhookUrl = null;
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });
});
