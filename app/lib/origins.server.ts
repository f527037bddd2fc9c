import { env } from "~/env.server";

// Absolute URLs that leave the site (messages, labels, QR codes, canonical and Open Graph
// links, sitemaps) come from configuration and verified domains only, never from the
// request's Host or X-Forwarded-* headers, which whoever sends the request chooses.

/** The platform's public origin (PUBLIC_ORIGIN), e.g. "https://yicun.example", no trailing slash. */
export function platformOrigin(): string {
  return env().PUBLIC_ORIGIN;
}

/**
 * A shop's public origin: its custom domain once verified (always https), else its
 * sub-domain of the platform host on the platform's scheme and port.
 */
export function shopOrigin(shop: { slug: string; verifiedDomain?: string | null }): string {
  if (shop.verifiedDomain) return `https://${shop.verifiedDomain}`;
  const platform = new URL(platformOrigin());
  return `${platform.protocol}//${shop.slug}.${env().PLATFORM_HOST}${platform.port ? `:${platform.port}` : ""}`;
}
