import type { LoaderFunctionArgs } from "@remix-run/node";
import { cachedResponse } from "~/modules/caching/page-cache.server";
import { sitemapXml } from "~/modules/seo/files";
import { sitemapEntries } from "~/modules/seo/seo.server";

// /sitemap.xml of the host asked: the platform's (every live shop) or one shop's. The same
// for every visitor, so shareable whatever cookies come with the request.
export async function loader({ request }: LoaderFunctionArgs) {
  const xml = sitemapXml(await sitemapEntries(request));
  const headers = new Headers({ "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" });
  return cachedResponse(request, new TextEncoder().encode(xml), 200, headers);
}
