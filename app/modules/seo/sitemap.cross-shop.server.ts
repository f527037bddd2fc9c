import { unscopedReadDb } from "~/db/index.server";

// The platform sitemap: every LIVE shop and its ACTIVE products (a named cross-shop read; from
// the replica when there is one, decision 024).
export function liveShopsForSitemap() {
  return unscopedReadDb().shop.findMany({
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
