import type Stripe from "stripe";
import type { PaymentProvider, RemoteState } from "./provider";
import { stripeClient } from "./stripe-client.server";

// Stripe Checkout (hosted page) in CNY with card, Alipay and WeChat Pay. Every create call
// carries an idempotency key, so a retried request can never open a second session or
// refund twice. Stripe keeps a session open for at least 30 minutes; our shorter
// reservation is enforced by expiring the session before the goods are released.

const STRIPE_MIN_SESSION_MS = 30 * 60_000 + 60_000;

/**
 * The session's expires_at. Stripe wants it 30 min to 24 h after the session is created,
 * and a retried create (same idempotency key) must send the same parameters or Stripe
 * refuses it with an idempotency_error. So it is derived from when the order was placed
 * (an hour later), not from the clock, unless the first attempt comes so late that the
 * hour would be too short.
 */
export function sessionExpiresAt(input: { expiresAt: Date; placedAt: Date }, now = Date.now()): number {
  const ms = Math.max(input.expiresAt.getTime(), input.placedAt.getTime() + 60 * 60_000, now + STRIPE_MIN_SESSION_MS);
  return Math.floor(ms / 1000);
}

function stateOf(session: Stripe.Checkout.Session): RemoteState {
  if (session.status === "complete" && session.payment_status !== "unpaid") {
    const intent = session.payment_intent;
    return { state: "paid", providerPaymentRef: typeof intent === "string" ? intent : (intent?.id ?? null) };
  }
  if (session.status === "expired") return { state: "expired" };
  return { state: "open" };
}

export const stripeProvider: PaymentProvider = {
  name: "STRIPE",

  async start(input) {
    const expiresAt = sessionExpiresAt(input);
    const metadata = { orderId: input.orderId, orderNumber: input.orderNumber, paymentId: input.paymentId };
    const session = await stripeClient().checkout.sessions.create(
      {
        mode: "payment",
        currency: "cny",
        allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
        payment_method_options: { wechat_pay: { client: "web" } },
        line_items: input.items.map((item) => ({
          quantity: item.quantity,
          price_data: { currency: "cny", unit_amount: item.unitAmountFen, product_data: { name: item.name } },
        })),
        client_reference_id: input.orderNumber,
        metadata,
        payment_intent_data: { metadata, transfer_group: input.orderNumber },
        locale: input.locale.startsWith("zh") ? "zh" : "en",
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        expires_at: expiresAt,
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return { redirectUrl: session.url, providerRef: session.id };
  },

  async status(providerRef) {
    return stateOf(await stripeClient().checkout.sessions.retrieve(providerRef));
  },

  async cancel(providerRef) {
    const session = await stripeClient().checkout.sessions.retrieve(providerRef);
    if (session.status !== "open") return stateOf(session);
    try {
      return stateOf(await stripeClient().checkout.sessions.expire(providerRef));
    } catch (error) {
      // The buyer finished paying between our two calls: Stripe refuses to expire it.
      const again = await stripeClient().checkout.sessions.retrieve(providerRef);
      if (again.status !== "open") return stateOf(again);
      throw error;
    }
  },

  async refund(input) {
    if (!input.providerPaymentRef) throw new Error("This payment has no Stripe PaymentIntent to refund");
    const refund = await stripeClient().refunds.create(
      {
        payment_intent: input.providerPaymentRef,
        amount: input.amountFen,
        metadata: { refundId: input.refundId, orderNumber: input.orderNumber, shopOrderNumber: input.shopOrderNumber },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return { providerRef: refund.id, done: refund.status === "succeeded" };
  },

  async refundsOf(providerPaymentRef) {
    const refunds = await stripeClient().refunds.list({ payment_intent: providerPaymentRef, limit: 100 });
    return refunds.data.map((refund) => ({
      providerRef: refund.id,
      refundId: refund.metadata?.refundId ?? null,
      state:
        refund.status === "succeeded"
          ? "succeeded"
          : refund.status === "failed" || refund.status === "canceled"
            ? "failed"
            : "pending",
    }));
  },
};
