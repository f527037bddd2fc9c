import type { LoaderFunctionArgs } from "@remix-run/node";
import { robotsTxt } from "~/modules/seo/files";
import { sitemapUrl } from "~/modules/seo/seo.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(robotsTxt(sitemapUrl(request)), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
