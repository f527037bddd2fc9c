import { env } from "~/env.server";
import { singleton } from "~/lib/singleton.server";
import { compileTrustProxy, resolveClientAddress } from "~/lib/trust-proxy.server";

/**
 * The header through which server.ts hands the socket's peer address to the app. The server
 * always overwrites it, so a client cannot set it; tests set it to play a client's socket.
 */
export const PEER_ADDRESS_HEADER = "x-peer-address";

const trust = () => singleton("client-address:trust", () => compileTrustProxy(env().TRUST_PROXY));

/**
 * Who is asking: the socket's address, or, behind proxies named by TRUST_PROXY, the address
 * the nearest untrusted hop gave. Never the leftmost X-Forwarded-For, which the client writes.
 */
export function clientAddress(request: Request): string {
  const peer = request.headers.get(PEER_ADDRESS_HEADER)?.trim();
  if (!peer) return "unknown";
  try {
    return resolveClientAddress(peer, request.headers.get("x-forwarded-for"), trust()).slice(0, 64);
  } catch {
    return peer.slice(0, 64);
  }
}
