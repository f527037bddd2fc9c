import { unscopedDb } from "~/db/index.server";

// The platform sitemap: every LIVE shop and its ACTIVE products (a named cross-shop read).
export function liveShopsForSitemap() {
  return unscopedDb().shop.findMany({
    where: { status: "LIVE" },
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      verifiedDomain: true,
      updatedAt: true,
      products: { where: { status: "ACTIVE" }, orderBy: { position: "asc" }, select: { slug: true, updatedAt: true } },
    },
  });
}
