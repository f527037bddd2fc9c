import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientIp } from "~/modules/identity/session.server";
import { apiError, apiJson, requirePartner } from "~/modules/logistics/api-http.server";
import { getManifest } from "~/modules/logistics/manifests.cross-shop.server";

// GET /api/logistics/v1/manifests/:id — one pickup run: township → village → stop, cold chain
// apart, with counts and weights. Another partner's run is 404, as if it did not exist.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const partner = await requirePartner(request, clientIp(request));
  const manifest = await getManifest({ partnerId: partner.partnerId, id: params.id ?? "" });
  if (!manifest) return apiError(404, "not_found", "No such manifest.");
  return apiJson(manifest);
}
