import { apiError } from "~/modules/logistics/api-http.server";

// Any other path under /api/logistics/v1: a JSON 404, not the site's HTML page.

const notFound = () => apiError(404, "not_found", "No such endpoint; see /api/logistics/v1/openapi.json.");

export const loader = notFound;
export const action = notFound;
