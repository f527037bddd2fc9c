import type { ActionFunctionArgs } from "@remix-run/node";
import { apiError, apiJson, readJsonBody } from "~/modules/logistics/api-http.server";
import {
  apiPartner,
  methodNotAllowed,
  notAllowedNow,
  plausibleId,
  shipmentNotFound,
} from "~/modules/logistics/api-routes.server";
import { EVENT_MAX_FUTURE_MS, EventBody } from "~/modules/logistics/api-schemas";
import { partnerShipmentOf } from "~/modules/logistics/feed.cross-shop.server";
import { reportShipmentEvent } from "~/modules/logistics/partner-actions.cross-shop.server";

// POST /api/logistics/v1/shipments/:id/events {eventId, type, at, note?, lockerCode?, codCollectedFen?}
// 201 with the shipment for a new event, 200 with it for a repeat of an eventId (nothing changes).

export function loader() {
  return methodNotAllowed("POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("POST");
  const partner = await apiPartner(request);
  if (!plausibleId(params.id)) return shipmentNotFound();
  const body = await readJsonBody(request, EventBody);
  const at = new Date(body.at);
  if (at.getTime() > Date.now() + EVENT_MAX_FUTURE_MS) {
    const message = "In the future: send the time the event happened.";
    return apiError(400, "invalid_body", "Invalid fields: at.", { fields: { at: message } });
  }
  const outcome = await reportShipmentEvent({
    partnerId: partner.partnerId,
    shipmentId: params.id,
    event: {
      eventId: body.eventId,
      type: body.type,
      at,
      note: body.note ?? null,
      lockerCode: body.lockerCode ?? null,
      codCollectedFen: body.codCollectedFen ?? null,
    },
  });
  if (!outcome.ok)
    return outcome.error === "notFound" ? shipmentNotFound() : notAllowedNow(outcome.status, `reported ${body.type}`);
  const shipment = await partnerShipmentOf(partner.partnerId, params.id);
  return shipment ? apiJson(shipment, { status: outcome.duplicate ? 200 : 201 }) : shipmentNotFound();
}
