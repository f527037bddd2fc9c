import type { ActionFunctionArgs } from "@remix-run/node";
import { apiJson, readJsonBody } from "~/modules/logistics/api-http.server";
import {
  apiPartner,
  methodNotAllowed,
  notAllowedNow,
  plausibleId,
  shipmentNotFound,
} from "~/modules/logistics/api-routes.server";
import { AcceptBody } from "~/modules/logistics/api-schemas";
import { partnerShipmentOf } from "~/modules/logistics/feed.cross-shop.server";
import { acceptShipment } from "~/modules/logistics/partner-actions.cross-shop.server";

// POST /api/logistics/v1/shipments/:id/accept {waybillNo, carrier} — the partner takes it.
// Repeating the same accept answers the same; another waybill once picked up is a 409.

export function loader() {
  return methodNotAllowed("POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("POST");
  const partner = await apiPartner(request);
  if (!plausibleId(params.id)) return shipmentNotFound();
  const body = await readJsonBody(request, AcceptBody);
  const outcome = await acceptShipment({ partnerId: partner.partnerId, shipmentId: params.id, ...body });
  if (!outcome.ok) return outcome.error === "notFound" ? shipmentNotFound() : notAllowedNow(outcome.status, "accepted");
  const shipment = await partnerShipmentOf(partner.partnerId, params.id);
  return shipment ? apiJson(shipment) : shipmentNotFound();
}
