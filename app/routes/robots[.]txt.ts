import type { LoaderFunctionArgs } from "@remix-run/node";
import { cachedResponse } from "~/modules/caching/page-cache.server";
import { robotsTxt } from "~/modules/seo/files";
import { sitemapUrl } from "~/modules/seo/seo.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" });
  return cachedResponse(request, new TextEncoder().encode(robotsTxt(await sitemapUrl(request))), 200, headers);
}
