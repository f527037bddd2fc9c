import type Stripe from "stripe";
import { env } from "~/env.server";
import { lazyRequire } from "~/lib/lazy-require.server";
import { singleton } from "~/lib/singleton.server";

// The one Stripe client of the process. STRIPE_API_BASE points it at a local test server
// (tests, the offline demo); otherwise it talks to Stripe itself. The SDK (~12 MB of a process)
// loads with the first payment, not at start.
const loadStripe = lazyRequire<typeof Stripe>("stripe");

export function stripeConfigured(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}

export function stripeClient(): Stripe {
  return singleton("payments:stripe", () => {
    const { STRIPE_SECRET_KEY, STRIPE_API_BASE } = env();
    if (!STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set");
    const base = STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : null;
    const StripeSdk = loadStripe();
    return new StripeSdk(STRIPE_SECRET_KEY, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      ...(base
        ? {
            host: base.hostname,
            port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
            protocol: base.protocol === "https:" ? "https" : "http",
          }
        : {}),
    });
  });
}
