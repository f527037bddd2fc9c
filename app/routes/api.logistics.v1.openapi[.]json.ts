import { apiJson } from "~/modules/logistics/api-http.server";
import { methodNotAllowed } from "~/modules/logistics/api-routes.server";
import { openApiDocument } from "~/modules/logistics/openapi.server";

// GET /api/logistics/v1/openapi.json — public: the document describes the API, not its data.

export function loader() {
  return apiJson(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}

export function action() {
  return methodNotAllowed("GET");
}
