import type { ActionFunctionArgs } from "@remix-run/node";
import { apiError, apiJson } from "~/modules/logistics/api-http.server";
import { apiPartner, methodNotAllowed, plausibleId } from "~/modules/logistics/api-routes.server";
import { collectStop } from "~/modules/logistics/manifests.cross-shop.server";

// POST /api/logistics/v1/manifests/:id/stops/:stopId/collected — the stop's parcels were
// collected: picked_up is recorded for each of its shipments. No body. Repeating it is safe
// (the same events, recorded once). Another partner's run or stop is 404.
export async function action({ request, params }: ActionFunctionArgs) {
  const partner = await apiPartner(request);
  if (request.method !== "POST") return methodNotAllowed("POST");
  const outcome =
    plausibleId(params.id) && plausibleId(params.stopId)
      ? await collectStop({
          partnerId: partner.partnerId,
          manifestId: params.id,
          stopId: params.stopId,
          source: "PARTNER_API",
        })
      : null;
  if (!outcome?.ok) return apiError(404, "not_found", "No such stop on a manifest of this partner.");
  return apiJson(outcome.result);
}

export function loader() {
  return methodNotAllowed("POST");
}
