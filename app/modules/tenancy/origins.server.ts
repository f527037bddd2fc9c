import { platformOrigin, shopOrigin } from "~/lib/origins.server";
import { shopFromHost } from "./storefront.server";

// Public origins of storefronts, from configuration and verified domains only (lib/origins.server.ts):
// never from the request's Host, X-Forwarded-Host or X-Forwarded-Proto (issue #9).

/** The custom domain a shop's public links may use. */
function publicDomain(shop: { customDomain: string | null }): string | null {
  // Routing serves a custom domain only once it is verified (storefront.server.ts).
  return shop.customDomain;
}

/** The shop's public origin: its verified custom domain, else <slug>.<PLATFORM_HOST>. */
export function storefrontOrigin(shop: { slug: string; customDomain: string | null }): string {
  return shopOrigin({ slug: shop.slug, verifiedDomain: publicDomain(shop) });
}

/**
 * The configured origin of the host a request addressed: the shop's when it came to a shop's
 * host, else the platform's. The request's host only chooses among our own origins; its scheme
 * and port never reach a link.
 */
export async function configuredOriginOf(request: Request): Promise<string> {
  const hosted = await shopFromHost(request);
  return hosted ? storefrontOrigin(hosted.shop) : platformOrigin();
}
