import { unscopedDb } from "~/db/index.server";
import type { DashboardRange } from "./range";

// The county coordinator's dashboard (issue #11): paid shop orders of the county's shops, by
// the moment they were paid (ShopOrder.paidAt), in Asia/Shanghai days. All grouping is in SQL.

export interface Totals {
  gmvFen: number;
  refundsFen: number;
  netFen: number;
  orders: number;
  buyers: number;
  /** Average order value: GMV / orders, rounded to the fen; null without orders. */
  aovFen: number | null;
}

export interface Row {
  gmvFen: number;
  refundsFen: number;
  orders: number;
}

export interface Dashboard {
  current: Totals;
  previous: Totals;
  /** Whether the county has had any paid order at all (else the page shows its empty state). */
  anyPaid: boolean;
  series: ({ bucket: string } & Row)[];
  byShop: ({ slug: string; nameZh: string; nameEn: string } & Row)[];
  byPlace: ({ townZh: string | null; townEn: string | null; villageZh: string; villageEn: string } & Row)[];
  byKind: { kind: string; salesFen: number; orders: number }[];
  late: { number: string; shopSlug: string; shopNameZh: string; shopNameEn: string; status: string; since: Date }[];
}

/** Shop orders waiting to be packed for longer than this are late. */
export const LATE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

function totals(row: { gmv: bigint; refunds: bigint; orders: bigint; buyers: bigint } | undefined): Totals {
  const gmvFen = n(row?.gmv);
  const refundsFen = n(row?.refunds);
  const orders = n(row?.orders);
  return {
    gmvFen,
    refundsFen,
    netFen: gmvFen - refundsFen,
    orders,
    buyers: n(row?.buyers),
    aovFen: orders > 0 ? Math.round(gmvFen / orders) : null,
  };
}

type Sums = { gmv: bigint; refunds: bigint; orders: bigint };
const row = (r: Sums): Row => ({ gmvFen: n(r.gmv), refundsFen: n(r.refunds), orders: n(r.orders) });

export async function loadDashboard(countyId: string, range: DashboardRange, now = new Date()): Promise<Dashboard> {
  const prisma = unscopedDb();
  const { start, end, prevStart, by } = range;
  const lateBefore = new Date(now.getTime() - LATE_AFTER_MS);
  const [periods, anyPaid, series, byShop, byPlace, byKind, late] = await Promise.all([
    prisma.$queryRaw<({ period: string; buyers: bigint } & Sums)[]>`
      SELECT CASE WHEN so."paidAt" >= ${start} THEN 'current' ELSE 'previous' END AS period,
             SUM(so."totalFen")::bigint AS gmv, SUM(so."refundedFen")::bigint AS refunds,
             COUNT(*)::bigint AS orders,
             COUNT(DISTINCT COALESCE('u:' || o."userId", 'p:' || o."contactPhone"))::bigint AS buyers
        FROM "ShopOrder" so
        JOIN "Shop" s ON s.id = so."shopId"
        JOIN "Order" o ON o.id = so."orderId"
       WHERE s."countyId" = ${countyId} AND so."paidAt" >= ${prevStart} AND so."paidAt" < ${end}
       GROUP BY 1`,
    prisma.$queryRaw<{ any: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
                      WHERE s."countyId" = ${countyId} AND so."paidAt" IS NOT NULL) AS any`,
    prisma.$queryRaw<({ bucket: string } & Sums)[]>`
      SELECT to_char(date_trunc(${by}::text, so."paidAt" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS bucket,
             SUM(so."totalFen")::bigint AS gmv, SUM(so."refundedFen")::bigint AS refunds, COUNT(*)::bigint AS orders
        FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyId} AND so."paidAt" >= ${start} AND so."paidAt" < ${end}
       GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<({ slug: string; nameZh: string; nameEn: string } & Sums)[]>`
      SELECT s.slug, s."nameZh", s."nameEn",
             SUM(so."totalFen")::bigint AS gmv, SUM(so."refundedFen")::bigint AS refunds, COUNT(*)::bigint AS orders
        FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyId} AND so."paidAt" >= ${start} AND so."paidAt" < ${end}
       GROUP BY s.id, s.slug, s."nameZh", s."nameEn" ORDER BY gmv DESC, s.slug`,
    prisma.$queryRaw<({ townZh: string | null; townEn: string | null; villageZh: string; villageEn: string } & Sums)[]>`
      SELECT s."townZh", s."townEn", s."villageZh", s."villageEn",
             SUM(so."totalFen")::bigint AS gmv, SUM(so."refundedFen")::bigint AS refunds, COUNT(*)::bigint AS orders
        FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyId} AND so."paidAt" >= ${start} AND so."paidAt" < ${end}
       GROUP BY 1, 2, 3, 4 ORDER BY gmv DESC, 1, 3`,
    prisma.$queryRaw<{ kind: string; sales: bigint; orders: bigint }[]>`
      SELECT l.kind::text AS kind, SUM(l."lineTotalFen")::bigint AS sales, COUNT(DISTINCT so.id)::bigint AS orders
        FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId" JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyId} AND so."paidAt" >= ${start} AND so."paidAt" < ${end}
       GROUP BY 1 ORDER BY sales DESC`,
    prisma.$queryRaw<Dashboard["late"]>`
      SELECT so.number, s.slug AS "shopSlug", s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn",
             so.status::text AS status, COALESCE(so."paidAt", so."createdAt") AS since
        FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyId} AND so.status IN ('PAID', 'ACCEPTED') AND so."packedAt" IS NULL
         AND COALESCE(so."paidAt", so."createdAt") < ${lateBefore}
       ORDER BY since ASC LIMIT 50`,
  ]);
  return {
    current: totals(periods.find((p) => p.period === "current")),
    previous: totals(periods.find((p) => p.period === "previous")),
    anyPaid: anyPaid[0]?.any ?? false,
    series: series.map((r) => ({ bucket: r.bucket, ...row(r) })),
    byShop: byShop.map((r) => ({ slug: r.slug, nameZh: r.nameZh, nameEn: r.nameEn, ...row(r) })),
    byPlace: byPlace.map((r) => ({
      townZh: r.townZh,
      townEn: r.townEn,
      villageZh: r.villageZh,
      villageEn: r.villageEn,
      ...row(r),
    })),
    byKind: byKind.map((r) => ({ kind: r.kind, salesFen: n(r.sales), orders: n(r.orders) })),
    late,
  };
}
