import { offlineProvider } from "./offline.server";
import type { PaymentProvider, ProviderName } from "./provider";
import { stripeProvider } from "./stripe.server";
import { stripeConfigured } from "./stripe-client.server";

/** The ways a buyer may pay here: Stripe when its keys are set, offline always. */
export function availableProviders(): ProviderName[] {
  return stripeConfigured() ? ["STRIPE", "OFFLINE"] : ["OFFLINE"];
}

/** Offline is the default when no Stripe keys are configured, so the embedded demo can sell end to end. */
export function defaultProvider(): ProviderName {
  return stripeConfigured() ? "STRIPE" : "OFFLINE";
}

export function provider(name: ProviderName): PaymentProvider {
  return name === "STRIPE" ? stripeProvider : offlineProvider;
}
