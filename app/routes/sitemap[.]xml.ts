import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapXml } from "~/modules/seo/files";
import { sitemapEntries } from "~/modules/seo/seo.server";

// /sitemap.xml of the host asked: the platform's (every live shop) or one shop's.
export async function loader({ request }: LoaderFunctionArgs) {
  const xml = sitemapXml(await sitemapEntries(request));
  return new Response(xml, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
