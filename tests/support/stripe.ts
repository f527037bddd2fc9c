import type Stripe from "stripe";
import { resetEnv } from "~/env.server";
import {
  startStripeTestServer,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  type StripeTestServer,
  type StripeTestServerOptions,
} from "./stripe-test-server";

// Points the app's Stripe client at a local test server for one test file.

/** Starts a test server and configures the process to use it (env re-read, client rebuilt). */
export async function useStripeTestServer(options: StripeTestServerOptions = {}): Promise<StripeTestServer> {
  const server = await startStripeTestServer(options);
  configureStripe(server);
  return server;
}

export function configureStripe(server: StripeTestServer) {
  process.env.STRIPE_SECRET_KEY = TEST_SECRET_KEY;
  process.env.STRIPE_WEBHOOK_SECRET = server.webhookSecret ?? TEST_WEBHOOK_SECRET;
  process.env.STRIPE_API_BASE = server.url;
  resetEnv();
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  store.__singletons?.delete("payments:stripe");
}

/** The webhook POST Stripe would send for this event, signed (or not) as asked. */
export function webhookRequest(
  server: StripeTestServer,
  event: Stripe.Event,
  {
    secret,
    signature,
    headers = {},
  }: { secret?: string; signature?: string | null; headers?: Record<string, string> } = {},
): Request {
  const signed = server.sign(event, secret ? { secret } : {});
  const sig = signature === undefined ? signed.signature : signature;
  return new Request("http://localhost/webhooks/stripe", {
    method: "POST",
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      ...(sig === null ? {} : { "Stripe-Signature": sig }),
      ...headers,
    },
    body: signed.payload,
  });
}
