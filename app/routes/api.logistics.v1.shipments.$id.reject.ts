import type { ActionFunctionArgs } from "@remix-run/node";
import { apiJson, readJsonBody } from "~/modules/logistics/api-http.server";
import {
  apiPartner,
  methodNotAllowed,
  notAllowedNow,
  plausibleId,
  shipmentNotFound,
} from "~/modules/logistics/api-routes.server";
import { RejectBody } from "~/modules/logistics/api-schemas";
import { rejectShipment } from "~/modules/logistics/partner-actions.cross-shop.server";

// POST /api/logistics/v1/shipments/:id/reject {reason} — the partner will not carry it: it goes
// back to the county coordinator's unassigned list and leaves this partner's reach (later
// requests about it are 404).

export function loader() {
  return methodNotAllowed("POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("POST");
  const partner = await apiPartner(request);
  if (!plausibleId(params.id)) return shipmentNotFound();
  const { reason } = await readJsonBody(request, RejectBody);
  const outcome = await rejectShipment({ partnerId: partner.partnerId, shipmentId: params.id, reason });
  if (!outcome.ok) return outcome.error === "notFound" ? shipmentNotFound() : notAllowedNow(outcome.status, "rejected");
  return apiJson({ id: params.id, status: "rejected" });
}
