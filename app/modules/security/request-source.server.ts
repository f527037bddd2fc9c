import { clientAddress } from "~/lib/client-address.server";

export type RequestSource = { ip: string; userAgent: string | null };

/** Where a request came from, as the security log records it (the address honours TRUST_PROXY). */
export function requestSource(request: Request): RequestSource {
  return { ip: clientAddress(request), userAgent: request.headers.get("user-agent")?.slice(0, 256) ?? null };
}
