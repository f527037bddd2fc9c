import { unscopedDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";

// The platform's view across cooperatives: what each one is owed (or owes), for settling.

export async function shopBalances(lng: string) {
  const prisma = unscopedDb();
  const [sums, lastPayouts, shops] = await Promise.all([
    prisma.ledgerEntry.groupBy({ by: ["shopId"], _sum: { amountFen: true } }),
    prisma.payout.groupBy({ by: ["shopId"], _max: { createdAt: true } }),
    prisma.shop.findMany({
      where: { OR: [{ status: { in: ["LIVE", "SUSPENDED"] } }, { ledgerEntries: { some: {} } }] },
      orderBy: { slug: "asc" },
      select: {
        id: true,
        slug: true,
        nameZh: true,
        nameEn: true,
        status: true,
        stripeAccountId: true,
        payoutAccount: true,
      },
    }),
  ]);
  const balance = new Map(sums.map((s) => [s.shopId, s._sum.amountFen ?? 0]));
  const lastPayout = new Map(lastPayouts.map((p) => [p.shopId, p._max.createdAt?.toISOString() ?? null]));
  return shops
    .map((shop) => ({
      slug: shop.slug,
      name: pick(lng, shop.nameZh, shop.nameEn),
      status: shop.status,
      balanceFen: balance.get(shop.id) ?? 0,
      lastPayoutAt: lastPayout.get(shop.id) ?? null,
      hasStripeAccount: Boolean(shop.stripeAccountId),
      hasBankAccount: Boolean(shop.payoutAccount),
    }))
    .sort((a, b) => b.balanceFen - a.balanceFen || a.slug.localeCompare(b.slug));
}
