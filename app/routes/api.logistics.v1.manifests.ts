import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, apiJson } from "~/modules/logistics/api-http.server";
import { apiPartner, methodNotAllowed } from "~/modules/logistics/api-routes.server";
import { manifestListQuerySchema } from "~/modules/logistics/manifest-schemas";
import { listManifests } from "~/modules/logistics/manifests.cross-shop.server";

// GET /api/logistics/v1/manifests?date=YYYY-MM-DD — the partner's pickup runs of that day
// (Asia/Shanghai), with their totals. Only the key's own partner's runs.
export async function loader({ request }: LoaderFunctionArgs) {
  const partner = await apiPartner(request);
  const parsed = manifestListQuerySchema.safeParse({
    date: new URL(request.url).searchParams.get("date") ?? undefined,
  });
  if (!parsed.success) {
    const fields = { date: parsed.error.issues[0]?.message ?? "Expected a date as YYYY-MM-DD." };
    return apiError(400, "invalid_query", "Invalid fields: date.", { fields });
  }
  const manifests = await listManifests({ partnerId: partner.partnerId, date: parsed.data.date });
  return apiJson({ date: parsed.data.date, manifests });
}

export function action() {
  return methodNotAllowed("GET");
}
