import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson } from "~/modules/logistics/api-http.server";
import { apiPartner, methodNotAllowed, plausibleId, shipmentNotFound } from "~/modules/logistics/api-routes.server";
import { partnerShipmentOf } from "~/modules/logistics/feed.cross-shop.server";

// GET /api/logistics/v1/shipments/:id — one of the partner's shipments, whole.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const partner = await apiPartner(request);
  if (!plausibleId(params.id)) return shipmentNotFound();
  const shipment = await partnerShipmentOf(partner.partnerId, params.id);
  return shipment ? apiJson(shipment) : shipmentNotFound();
}

export function action() {
  return methodNotAllowed("GET");
}
