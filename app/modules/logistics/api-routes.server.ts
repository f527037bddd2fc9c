import { clientAddress } from "~/lib/client-address.server";
import { apiError, requirePartner } from "./api-http.server";
import type { AuthenticatedPartner } from "./partner-keys.server";
import type { ShipmentStatus } from "./shipment-status";

// Small pieces the partner API's route modules share (app/routes/api.logistics.v1.*): who is
// asking, and the answers for a wrong method, an unknown shipment and a move the state refuses.

/** The partner behind the request's key (throws the 401/429 Response otherwise). */
export function apiPartner(request: Request): Promise<AuthenticatedPartner> {
  return requirePartner(request, clientAddress(request));
}

export function methodNotAllowed(allow: "GET" | "POST"): Response {
  return apiError(405, "method_not_allowed", `This endpoint answers ${allow} only.`, { headers: { Allow: allow } });
}

/** Any shipment that is not the partner's — another partner's, another county's or none — is "not found". */
export function shipmentNotFound(): Response {
  return apiError(404, "not_found", "No such shipment for this partner.");
}

export function notAllowedNow(status: ShipmentStatus | undefined, what: string): Response {
  return apiError(
    409,
    "conflict",
    `The shipment is ${status ? status.toLowerCase() : "in another state"}: it cannot be ${what} now.`,
  );
}

/** A path id worth looking up: ids are short printable tokens; anything else is simply not found. */
export function plausibleId(id: string | undefined): id is string {
  return typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}
