import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, apiJson } from "~/modules/logistics/api-http.server";
import { apiPartner, methodNotAllowed } from "~/modules/logistics/api-routes.server";
import { FeedQuery } from "~/modules/logistics/api-schemas";
import { decodeCursor, partnerFeedPage } from "~/modules/logistics/feed.cross-shop.server";
import type { ShipmentStatus } from "~/modules/logistics/shipment-status";

// GET /api/logistics/v1/shipments?status=&cursor=&limit= — the partner's feed, page by page
// (docs/decisions/016; /developers/logistics).

export async function loader({ request }: LoaderFunctionArgs) {
  const partner = await apiPartner(request);
  const query = FeedQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    const fields: Record<string, string> = {};
    for (const issue of query.error.issues) fields[issue.path.join(".")] ??= issue.message;
    return apiError(400, "invalid_query", `Invalid parameters: ${Object.keys(fields).join(", ")}.`, { fields });
  }
  const { cursor, limit, status } = query.data;
  const after = cursor ? decodeCursor(cursor) : null;
  if (cursor && !after)
    return apiError(400, "invalid_cursor", "Not a cursor of this feed.", {
      fields: { cursor: "Not a cursor of this feed." },
    });
  const page = await partnerFeedPage({
    partnerId: partner.partnerId,
    after,
    status: status ? (status.toUpperCase() as ShipmentStatus) : null,
    limit,
  });
  return apiJson(page);
}

export function action() {
  return methodNotAllowed("GET");
}
