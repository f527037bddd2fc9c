import { randomBytes } from "node:crypto";
import { env } from "~/env.server";
import { platformOrigin } from "~/lib/origins.server";

// The Content-Security-Policy of every HTML document (docs/decisions/015-threat-model.md).
// Scripts run only from this origin's files or with the document's nonce, so markup that
// slipped into a page cannot run script; nothing may frame the pages, plugins are off, a
// <base> cannot re-point relative URLs, and forms (and the redirects that follow them) may
// only go to this site and to Stripe Checkout.

/** Stripe's hosted payment page, where checkout sends the buyer (a form POST, then a 303). */
export const STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com";

/** A fresh nonce for one response: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

function formActionSources(): string[] {
  const sources = new Set(["'self'", platformOrigin(), STRIPE_CHECKOUT_ORIGIN]);
  // Offline and in the tests, the local Stripe test server hosts the payment page.
  const stripeBase = env().STRIPE_API_BASE;
  if (stripeBase) sources.add(new URL(stripeBase).origin);
  return [...sources];
}

/** The policy for a document rendered with `nonce`. */
export function contentSecurityPolicy(nonce: string): string {
  const development = env().NODE_ENV === "development";
  const https = platformOrigin().startsWith("https:");
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // 'self' serves Remix's modulepreload links and the route chunks; inline script needs the nonce.
    ["script-src", "'self'", `'nonce-${nonce}'`],
    // Tailwind's stylesheet; Vite's dev server injects <style> elements (a nonce would void 'unsafe-inline').
    ["style-src", "'self'", ...(development ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    // style="" attributes only: shops' brand colours and pictures' placeholder colours.
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(development ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["frame-ancestors", "'none'"],
    ["form-action", ...formActionSources()],
    ...(https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}
