import type { LoaderFunctionArgs } from "@remix-run/node";
import { getFixedT } from "~/lib/i18n.server";
import { SEARCH_QUERY_MAX } from "~/modules/catalog/search-params";
import { suggest } from "~/modules/search/suggest.cross-shop.server";

// /search/suggest?q=: what the search box offers as the buyer types (JSON; products, shops and
// villages, at most 8). A resource route: one statement, cacheable for a minute like /search.
export async function loader({ request }: LoaderFunctionArgs) {
  const { lng } = await getFixedT(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, SEARCH_QUERY_MAX);
  const suggestions = await suggest(q, lng);
  return Response.json(
    { q, ...suggestions },
    { headers: { "Cache-Control": "public, max-age=60", Vary: "Accept-Language, Cookie" } },
  );
}
