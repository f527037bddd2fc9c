import type { ActionFunctionArgs } from "@remix-run/node";
import { logger } from "~/lib/logger.server";
import {
  handleStripeEvent,
  verifyStripeEvent,
  WebhookSignatureError,
} from "~/modules/payments/payments.cross-shop.server";
import { readBoundedBody } from "~/lib/request-bounds.server";

// POST /webhooks/stripe: Stripe's events about payments and refunds (a GET is answered 405).
// There is no CSRF token here by nature: Stripe is not a browser with our cookie. The
// signature over the raw body (Stripe-Signature, STRIPE_WEBHOOK_SECRET, at most 5 minutes
// old) is this route's check, so the body must be read as text and never re-serialised.
// Answers: 400 on a bad signature (nothing changes), 200 once handled, for a duplicate and
// for a type we ignore, 500 when handling failed so that Stripe retries later.

const MAX_BODY_BYTES = 512 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });

/** Nothing to see with a GET: say so without logging an error. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json(405, { error: "method not allowed" });
  // Read no further than the limit, whether the length is declared or the body streams.
  let raw: string;
  try {
    raw = new TextDecoder().decode(await readBoundedBody(request, MAX_BODY_BYTES));
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 413) return json(413, { error: "payload too large" });
    throw thrown;
  }

  let event;
  try {
    event = verifyStripeEvent(raw, request.headers.get("Stripe-Signature"));
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    logger.warn({ reason: error.message }, "stripe webhook refused: bad signature");
    return json(400, { error: "invalid signature" });
  }

  try {
    const result = await handleStripeEvent(event);
    logger.info({ eventId: event.id, type: event.type, result }, "stripe webhook");
    return json(200, { received: true, result });
  } catch (error) {
    logger.error({ err: error, eventId: event.id, type: event.type }, "stripe webhook failed: Stripe will retry");
    return json(500, { error: "handler failed" });
  }
}
