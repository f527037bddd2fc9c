import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, apiJson } from "~/modules/logistics/api-http.server";
import { apiPartner, methodNotAllowed, plausibleId } from "~/modules/logistics/api-routes.server";
import { getManifest } from "~/modules/logistics/manifests.cross-shop.server";

// GET /api/logistics/v1/manifests/:id — one pickup run: township → village → stop, cold chain
// apart, with counts and weights. Another partner's run is 404, as if it did not exist.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const partner = await apiPartner(request);
  const manifest = plausibleId(params.id) ? await getManifest({ partnerId: partner.partnerId, id: params.id }) : null;
  if (!manifest) return apiError(404, "not_found", "No such manifest for this partner.");
  return apiJson(manifest);
}

export function action() {
  return methodNotAllowed("GET");
}
