import proxyaddr from "proxy-addr";

// TRUST_PROXY, compiled once: which hops in front of the app may name the client in
// X-Forwarded-For. Unset trusts none, so a client cannot choose its own address.
export type TrustFunction = (address: string, hop: number) => boolean;

/** "2" → the nearest two hops; "10.0.0.0/8, loopback" → those addresses; unset → none. */
export function compileTrustProxy(setting: string | undefined): TrustFunction {
  const value = setting?.trim();
  if (!value) return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(
    value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

export function isTrustProxySetting(value: string): boolean {
  try {
    compileTrustProxy(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The client's address given the socket's peer and the X-Forwarded-For chain: walk the chain
 * from the nearest hop while each hop is trusted (proxy-addr's rule, as Express applies it).
 */
export function resolveClientAddress(peer: string, forwardedFor: string | null, trust: TrustFunction): string {
  const fake = {
    connection: { remoteAddress: peer },
    socket: { remoteAddress: peer },
    headers: { "x-forwarded-for": forwardedFor ?? undefined },
  };
  return proxyaddr(fake as unknown as Parameters<typeof proxyaddr>[0], trust);
}
