import { unscopedDb } from "~/db/index.server";

// A person's shops across tenants: the one place the admin reads memberships without a shop.
/** The shops a user works for, and the counties they coordinate. */
export async function listMyShops(userId: string) {
  const [memberships, coordinated] = await Promise.all([
    unscopedDb().membership.findMany({
      where: { userId },
      include: { shop: { select: { slug: true, nameZh: true, nameEn: true, status: true } } },
      orderBy: { createdAt: "asc" },
    }),
    unscopedDb().countyCoordinator.findMany({
      where: { userId },
      include: { county: { include: { shops: { select: { slug: true, nameZh: true, nameEn: true, status: true } } } } },
    }),
  ]);
  return {
    memberships: memberships.map((m) => ({ role: m.role, ...m.shop })),
    coordinated: coordinated.flatMap((c) => c.county.shops.map((s) => ({ role: "COORDINATOR" as const, ...s }))),
  };
}
