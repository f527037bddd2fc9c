import { unscopedDb } from "~/db/index.server";
import type { ShopStatus } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";

// The platform admin's view across all shops: the review queue and the list by status.
// Cross-shop by nature (every shop, with counts of each one's products), hence unscoped.

async function activeProductCounts(shopIds: string[]) {
  const rows = await unscopedDb().product.groupBy({
    by: ["shopId"],
    where: { shopId: { in: shopIds }, status: "ACTIVE" },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.shopId, row._count._all]));
}

/** Shops awaiting review, oldest submission first, with what the reviewer checks. */
export async function listShopsAwaitingReview(lng: string) {
  const shops = await unscopedDb().shop.findMany({
    where: { status: "SUBMITTED" },
    orderBy: { submittedAt: "asc" },
    include: { county: true, certifications: { orderBy: { position: "asc" } } },
  });
  const counts = await activeProductCounts(shops.map((s) => s.id));
  return shops.map((shop) => ({
    id: shop.id,
    slug: shop.slug,
    name: pick(lng, shop.nameZh, shop.nameEn),
    nameZh: shop.nameZh,
    nameEn: shop.nameEn,
    county: pick(lng, shop.county.nameZh, shop.county.nameEn),
    city: pick(lng, shop.county.cityZh, shop.county.cityEn),
    place: [pick(lng, shop.townZh, shop.townEn), pick(lng, shop.villageZh, shop.villageEn)].filter(Boolean).join(" · "),
    creditCode: shop.creditCode,
    contactName: shop.contactName,
    contactPhone: shop.contactPhone,
    contactEmail: shop.contactEmail,
    tagline: pick(lng, shop.taglineZh, shop.taglineEn),
    story: pick(lng, shop.storyZh, shop.storyEn),
    certifications: shop.certifications.map((c) => ({
      kind: c.kind,
      name: pick(lng, c.nameZh, c.nameEn),
      number: c.number,
    })),
    activeProducts: counts.get(shop.id) ?? 0,
    submittedAt: shop.submittedAt?.toISOString() ?? null,
  }));
}

/** Every shop with the given status (all when none), newest first. */
export async function listShops(lng: string, status: ShopStatus | null) {
  const shops = await unscopedDb().shop.findMany({
    where: status ? { status } : {},
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    include: { county: { select: { nameZh: true, nameEn: true } } },
  });
  const counts = await activeProductCounts(shops.map((s) => s.id));
  return shops.map((shop) => ({
    id: shop.id,
    slug: shop.slug,
    name: pick(lng, shop.nameZh, shop.nameEn),
    status: shop.status,
    isDemo: shop.isDemo,
    county: pick(lng, shop.county.nameZh, shop.county.nameEn),
    activeProducts: counts.get(shop.id) ?? 0,
    createdAt: shop.createdAt.toISOString(),
  }));
}

/** How many shops are in each status, for the tabs. */
export async function countShopsByStatus() {
  const rows = await unscopedDb().shop.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all])) as Partial<Record<ShopStatus, number>>;
}
