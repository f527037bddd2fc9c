import type { ActionFunctionArgs } from "@remix-run/node";
import { clientIp } from "~/modules/identity/session.server";
import { apiError, apiJson, requirePartner } from "~/modules/logistics/api-http.server";
import { collectStop } from "~/modules/logistics/manifests.cross-shop.server";

// POST /api/logistics/v1/manifests/:id/stops/:stopId/collected — the stop's parcels were
// collected: picked_up is recorded for each of its shipments. No body. Repeating it is safe
// (the same events, recorded once). Another partner's run or stop is 404.
export async function action({ request, params }: ActionFunctionArgs) {
  const partner = await requirePartner(request, clientIp(request));
  if (request.method !== "POST")
    return apiError(405, "method_not_allowed", "Use POST.", { headers: { Allow: "POST" } });
  const outcome = await collectStop({
    partnerId: partner.partnerId,
    manifestId: params.id ?? "",
    stopId: params.stopId ?? "",
    source: "PARTNER_API",
  });
  if (!outcome.ok) return apiError(404, "not_found", "No such manifest stop.");
  return apiJson(outcome.result);
}

export async function loader() {
  return apiError(405, "method_not_allowed", "Use POST.", { headers: { Allow: "POST" } });
}
