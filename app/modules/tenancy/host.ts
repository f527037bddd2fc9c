// Which storefront a host name addresses: the platform, a shop's subdomain
// (<slug>.<PLATFORM_HOST>), or possibly a shop's custom domain.
export type HostTarget =
  | { type: "platform" }
  | { type: "subdomain"; slug: string }
  | { type: "custom"; host: string };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function classifyHost(hostname: string, platformHost: string): HostTarget {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const platform = platformHost.toLowerCase();
  if (host === platform || host === `www.${platform}`) return { type: "platform" };
  if (host.endsWith(`.${platform}`)) {
    const label = host.slice(0, -platform.length - 1);
    return SLUG.test(label) ? { type: "subdomain", slug: label } : { type: "platform" };
  }
  // Loopback and bare IPs always mean the platform (local runs, health checks).
  if (host === "localhost" || host === "127.0.0.1" || host === "[::1]" || /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    return { type: "platform" };
  }
  return { type: "custom", host };
}
