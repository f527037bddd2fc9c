import type Stripe from "stripe";
import { unscopedDb } from "~/db/index.server";
import { env } from "~/env.server";
import { pick } from "~/lib/i18n";
import { logger } from "~/lib/logger.server";
import { dueForExpiry, expireOrder, markOrderPaid, type PaidOutcome } from "~/modules/orders/settle.cross-shop.server";
import { notifyOrderChange } from "~/modules/orders/notify-buyer.cross-shop.server";
import { unscopedPaymentsWithPendingRefunds } from "./refunds.cross-shop.server";
import { settleProviderRefunds } from "./refunds.server";
import type { ProviderName } from "./provider";
import { provider } from "./providers.server";
import { stripeClient } from "./stripe-client.server";

// Payments of whole orders: starting one, hearing back from the provider (webhooks), and
// the two background jobs that make sure no order is stranded: the sweeper (unpaid in
// time → released) and the reconciliation (re-reads sessions a lost webhook left open).

export class WebhookSignatureError extends Error {}

/**
 * Sends the buyer on to pay: Stripe's hosted page, or (offline) nowhere. Calling it again
 * for the same payment reuses the session: the idempotency key makes Stripe answer with it.
 */
export async function startPayment({
  orderId,
  origin,
  provider: knownProvider,
}: {
  orderId: string;
  origin: string;
  /** The payment's provider when the caller knows it (checkout): an offline one is not read at all. */
  provider?: ProviderName;
}): Promise<{ redirectUrl: string | null }> {
  // Nothing happens online for an offline payment (offline.server.ts starts nothing, records nothing).
  if (knownProvider === "OFFLINE") return { redirectUrl: null };
  const prisma = unscopedDb();
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: {
      id: true,
      number: true,
      status: true,
      locale: true,
      expiresAt: true,
      createdAt: true,
      provider: true,
      payments: { where: { status: "PENDING" }, orderBy: { createdAt: "desc" }, take: 1 },
      shopOrders: {
        orderBy: { number: "asc" },
        select: {
          shippingFen: true,
          shop: { select: { nameZh: true, nameEn: true } },
          lines: {
            select: {
              titleZh: true,
              titleEn: true,
              variantTitleZh: true,
              variantTitleEn: true,
              unitPriceFen: true,
              quantity: true,
            },
          },
        },
      },
    },
  });
  const payment = order?.payments[0];
  if (!order || order.status !== "AWAITING_PAYMENT" || !payment) return { redirectUrl: null };
  if (payment.redirectUrl) return { redirectUrl: payment.redirectUrl };
  const lng = order.locale;
  const items = order.shopOrders.flatMap((so) => [
    ...so.lines.map((l) => ({
      name: `${pick(lng, l.titleZh, l.titleEn)} · ${pick(lng, l.variantTitleZh, l.variantTitleEn)}`,
      unitAmountFen: l.unitPriceFen,
      quantity: l.quantity,
    })),
    ...(so.shippingFen > 0
      ? [
          {
            name: `${pick(lng, so.shop.nameZh, so.shop.nameEn)} · ${lng.startsWith("zh") ? "运费" : "Shipping"}`,
            unitAmountFen: so.shippingFen,
            quantity: 1,
          },
        ]
      : []),
  ]);
  const orderUrl = `${origin}/orders/${order.number}`;
  const started = await provider(payment.provider).start({
    paymentId: payment.id,
    idempotencyKey: payment.idempotencyKey,
    orderId: order.id,
    orderNumber: order.number,
    amountFen: payment.amountFen,
    items,
    locale: lng,
    successUrl: `${orderUrl}?paid=1`,
    cancelUrl: orderUrl,
    expiresAt: order.expiresAt,
    placedAt: order.createdAt,
  });
  await prisma.payment.update({
    where: { id: payment.id },
    data: { providerRef: started.providerRef, redirectUrl: started.redirectUrl },
  });
  return { redirectUrl: started.redirectUrl };
}

async function afterPaid(orderId: string, outcome: PaidOutcome) {
  if (outcome === "paid") await notifyOrderChange(orderId, "paid");
  if (outcome === "late-refund-needed")
    logger.error({ orderId }, "late payment for an expired order: refund it from the platform");
}

/** Verifies a Stripe webhook's signature over the raw body; throws WebhookSignatureError. */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret || !signature) throw new WebhookSignatureError("missing signature or secret");
  try {
    return stripeClient().webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : "bad signature");
  }
}

async function settleStripeRefunds(providerPaymentRef: string) {
  const remote = await provider("STRIPE").refundsOf!(providerPaymentRef);
  return settleProviderRefunds({ providerPaymentRef, remote });
}

function paymentOf(session: Stripe.Checkout.Session) {
  return unscopedDb().payment.findFirst({
    where: {
      OR: [{ providerRef: session.id }, ...(session.metadata?.paymentId ? [{ id: session.metadata.paymentId }] : [])],
      provider: "STRIPE",
    },
    select: { id: true, orderId: true, providerRef: true },
  });
}

/**
 * Applies one verified Stripe event. Each event id is recorded once: a repeated delivery
 * is acknowledged and ignored. Every handler is idempotent and never moves an order
 * backwards, so events in any order end in the same state.
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<"handled" | "duplicate" | "ignored"> {
  const prisma = unscopedDb();
  if (await prisma.webhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return "duplicate";
  let result: "handled" | "ignored" = "handled";
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const payment = await paymentOf(session);
      if (!payment) {
        result = "ignored";
        break;
      }
      if (!payment.providerRef)
        await prisma.payment.update({ where: { id: payment.id }, data: { providerRef: session.id } });
      if (session.payment_status === "paid" || event.type === "checkout.session.async_payment_succeeded") {
        const intent = session.payment_intent;
        const outcome = await markOrderPaid({
          orderId: payment.orderId,
          paymentId: payment.id,
          providerPaymentRef: typeof intent === "string" ? intent : (intent?.id ?? null),
        });
        await afterPaid(payment.orderId, outcome);
      }
      break;
    }
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const session = event.data.object;
      const payment = await paymentOf(session);
      if (!payment) {
        result = "ignored";
        break;
      }
      await prisma.payment.updateMany({
        where: { id: payment.id, status: "PENDING" },
        data: { status: event.type === "checkout.session.expired" ? "EXPIRED" : "FAILED" },
      });
      const stillPaid = await prisma.payment.count({ where: { orderId: payment.orderId, status: "SUCCEEDED" } });
      if (stillPaid === 0) {
        const outcome = await expireOrder({
          orderId: payment.orderId,
          note: event.type === "checkout.session.expired" ? "expired" : "payment_failed",
        });
        if (outcome === "expired") await notifyOrderChange(payment.orderId, "expired");
      }
      break;
    }
    case "charge.refunded":
    case "refund.updated":
    case "refund.failed": {
      // Since API version 2022-11-15 a charge does not list its refunds: ask Stripe for them.
      const object = event.data.object;
      const intent = typeof object.payment_intent === "string" ? object.payment_intent : object.payment_intent?.id;
      if (!intent) {
        result = "ignored";
        break;
      }
      await settleStripeRefunds(intent);
      break;
    }
    default:
      result = "ignored";
  }
  await prisma.$executeRaw`
    INSERT INTO "WebhookEvent" (id, provider, type, payload)
    VALUES (${event.id}, 'STRIPE'::"PaymentProvider", ${event.type}, ${JSON.stringify(event)}::jsonb)
    ON CONFLICT (id) DO NOTHING`;
  return result;
}

/**
 * The sweeper: orders unpaid when their time is up give their reservations back. A Stripe
 * session is expired first; if the buyer paid at the last moment, the order is paid instead.
 */
export async function sweepExpiredOrders(now = new Date()): Promise<{ expired: number; paid: number; failed: number }> {
  let expired = 0;
  let paid = 0;
  let failed = 0;
  for (const order of await dueForExpiry(now)) {
    // One order that cannot be settled now (Stripe unreachable…) must not hold up the others.
    try {
      const outcome = await sweepOne(order, now);
      if (outcome === "expired") expired++;
      if (outcome === "paid") paid++;
    } catch (error) {
      failed++;
      logger.error(
        { err: error, orderId: order.id },
        "sweeper: could not settle an expired order; trying again next round",
      );
    }
  }
  return { expired, paid, failed };
}

async function sweepOne(
  order: { id: string; provider: "STRIPE" | "OFFLINE" },
  now: Date,
): Promise<"expired" | "paid" | "waiting" | "none"> {
  if (order.provider === "STRIPE") {
    const payment = await unscopedDb().payment.findFirst({
      where: { orderId: order.id, provider: "STRIPE", status: "PENDING", providerRef: { not: null } },
      select: { id: true, providerRef: true },
    });
    if (payment?.providerRef) {
      const remote = await provider("STRIPE").cancel(payment.providerRef);
      if (remote.state === "paid") {
        const outcome = await markOrderPaid({
          orderId: order.id,
          paymentId: payment.id,
          providerPaymentRef: remote.providerPaymentRef,
          now,
        });
        await afterPaid(order.id, outcome);
        return "paid";
      }
      if (remote.state === "open") return "waiting"; // Stripe would not let go: try again next round
    }
  }
  if ((await expireOrder({ orderId: order.id, now })) !== "expired") return "none";
  await notifyOrderChange(order.id, "expired");
  return "expired";
}

/**
 * Reconciliation: re-reads Stripe sessions of orders still awaiting payment for a while, so
 * a webhook that never arrived cannot strand an order; and the refunds still pending, so a
 * lost charge.refunded cannot strand a refund.
 */
export async function reconcileStripePayments({
  olderThanMs = 5 * 60_000,
  now = new Date(),
}: { olderThanMs?: number; now?: Date } = {}): Promise<{
  paid: number;
  expired: number;
  refunds: number;
  failed: number;
}> {
  const before = new Date(now.getTime() - olderThanMs);
  const pending = await unscopedDb().payment.findMany({
    where: {
      provider: "STRIPE",
      status: "PENDING",
      providerRef: { not: null },
      createdAt: { lte: before },
      order: { status: "AWAITING_PAYMENT" },
    },
    orderBy: { createdAt: "asc" },
    take: 100,
    select: { id: true, orderId: true, providerRef: true },
  });
  let paid = 0;
  let expired = 0;
  let refunds = 0;
  let failed = 0;
  for (const payment of pending) {
    try {
      const remote = await provider("STRIPE").status(payment.providerRef!);
      if (remote.state === "paid") {
        const outcome = await markOrderPaid({
          orderId: payment.orderId,
          paymentId: payment.id,
          providerPaymentRef: remote.providerPaymentRef,
          now,
        });
        await afterPaid(payment.orderId, outcome);
        paid++;
      } else if (remote.state === "expired" || remote.state === "failed") {
        await unscopedDb().payment.updateMany({
          where: { id: payment.id, status: "PENDING" },
          data: { status: remote.state === "expired" ? "EXPIRED" : "FAILED" },
        });
        if ((await expireOrder({ orderId: payment.orderId, now })) === "expired") {
          expired++;
          await notifyOrderChange(payment.orderId, "expired");
        }
      }
    } catch (error) {
      failed++;
      logger.error(
        { err: error, paymentId: payment.id },
        "reconciliation: could not read a Stripe session; trying again next round",
      );
    }
  }
  for (const providerPaymentRef of await unscopedPaymentsWithPendingRefunds("STRIPE", before)) {
    try {
      const settled = await settleStripeRefunds(providerPaymentRef);
      refunds += settled.completed + settled.failed;
    } catch (error) {
      failed++;
      logger.error(
        { err: error, providerPaymentRef },
        "reconciliation: could not read Stripe refunds; trying again next round",
      );
    }
  }
  return { paid, expired, refunds, failed };
}
