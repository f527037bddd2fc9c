import type { Prisma } from "~/generated/prisma/client";
import { unscopedDb, unscopedReadDb } from "~/db/index.server";
import { shanghaiToday } from "~/lib/time";
import { pct, TOP_BATCHES, TOP_PICKUP_POINTS, TOP_PRODUCTS, type Stage } from "./dashboard-figures";
import type { DashboardRange } from "./range";

// The county coordinator's dashboard (issue #11): paid shop orders of the county's shops, by
// the Shanghai day they were paid (ShopOrder.paidAt). Sums come from the roll-ups SalesDaily and
// ProductSalesDaily, refreshed first for what writers changed (docs/decisions/018-dashboard-rollups.md);
// distinct buyers and percentiles cannot be summed from daily rows, so they are read from
// ShopOrder through its (shopId, paidAt) index.

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
  /** (shop, day) pairs of the county whose figures the background refresh has not reached yet. */
  pendingDays: number;
  current: Totals;
  previous: Totals;
  /** Whether the county has had any paid order at all (else the page shows its empty state). */
  anyPaid: boolean;
  series: ({ bucket: string } & Row)[];
  byShop: ({ slug: string; nameZh: string; nameEn: string } & Row)[];
  byPlace: ({ townZh: string | null; townEn: string | null; villageZh: string; villageEn: string } & Row)[];
  byKind: { kind: string; salesFen: number; orders: number }[];
  /** Top 20 products by line sales; `productId` null for lines whose product was deleted (one row a kind). */
  byProduct: {
    productId: string | null;
    titleZh: string;
    titleEn: string | null;
    kind: string;
    gi: boolean;
    salesFen: number;
    quantity: number;
    orders: number;
  }[];
  /** Line sales (goods, without shipping) of geographic-indication products, and of all. */
  gi: { giSalesFen: number; salesFen: number; pct: number | null };
  /** Hours between steps, shop orders paid in the range that reached the later step. */
  fulfilment: { stage: Stage; count: number; p50: number | null; p90: number | null }[];
  refunds: {
    refundsFen: number;
    gmvFen: number;
    /** Refunds / GMV, in percent (one decimal); null without GMV. */
    amountPct: number | null;
    refundedOrders: number;
    orders: number;
    /** Shop orders with any refund / shop orders, in percent; null without orders. */
    ordersPct: number | null;
  };
  byDelivery: { delivery: string; orders: number; gmvFen: number }[];
  /** Pickup-point orders by the point's kind (POINT / LOCKER), and the top points. */
  pickupKinds: { kind: string; orders: number }[];
  pickupPoints: { code: string; kind: string; nameZh: string; nameEn: string; orders: number }[];
  late: {
    number: string;
    shopSlug: string;
    shopNameZh: string;
    shopNameEn: string;
    status: string;
    since: Date;
    /** A presale line's ship-by day (YYYY-MM-DD) when that is what made it late, else null. */
    shipBy: string | null;
  }[];
  /** Trace-page scans in the range, top batches. */
  scans: { traceCode: string; productNameZh: string; productNameEn: string | null; shopSlug: string; scans: number }[];
}

/** Shop orders waiting to be packed for longer than this are late (presale ones: past ship-by). */
export const LATE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);
const hours = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

type Sums = { gmv: bigint; refunds: bigint; orders: bigint };
const row = (r: Sums): Row => ({ gmvFen: n(r.gmv), refundsFen: n(r.refunds), orders: n(r.orders) });

function totals(sums: (Sums & { refundedOrders: bigint }) | undefined, buyers: bigint | undefined): Totals {
  const gmvFen = n(sums?.gmv);
  const refundsFen = n(sums?.refunds);
  const orders = n(sums?.orders);
  return {
    gmvFen,
    refundsFen,
    netFen: gmvFen - refundsFen,
    orders,
    buyers: n(buyers),
    aovFen: orders > 0 ? Math.round(gmvFen / orders) : null,
  };
}

/**
 * (shop, day) pairs a dashboard view brings up to date before it reads, the most recent first.
 * Checkout and the order writer mark a few pairs a minute; a bulk load marks thousands, which
 * the worker's background refresh works through instead of a coordinator's request.
 */
export const DASHBOARD_REFRESH_PAIRS = 100;
/** Pairs the worker refreshes per transaction. */
export const BACKGROUND_REFRESH_PAIRS = 500;

/**
 * Brings the roll-ups up to date with the writes committed so far, at most `maxPairs` (shop, day)
 * pairs (all of them when null); returns how many were refreshed.
 */
export async function refreshSalesRollups(
  db: Prisma.TransactionClient = unscopedDb(),
  maxPairs: number | null = null,
): Promise<number> {
  const [r] = await db.$queryRaw<{ n: number }[]>`SELECT sales_rollup_refresh(${maxPairs}::integer) AS n`;
  return n(r?.n);
}

/** The worker's periodic task: every marked pair, in transactions of BACKGROUND_REFRESH_PAIRS. */
export async function refreshSalesRollupsInBackground(): Promise<{ rollupPairs: number }> {
  let total = 0;
  for (;;) {
    const done = await refreshSalesRollups(unscopedDb(), BACKGROUND_REFRESH_PAIRS);
    total += done;
    if (done < BACKGROUND_REFRESH_PAIRS) return { rollupPairs: total };
  }
}

/** The county's (shop, day) pairs still waiting for the background refresh. */
async function pendingRollupDays(db: Prisma.TransactionClient, countyId: string): Promise<number> {
  const [r] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(DISTINCT (d."shopId", d.day))::int AS n
      FROM "SalesRollupDirty" d JOIN "Shop" s ON s.id = d."shopId"
     WHERE s."countyId" = ${countyId}`;
  return n(r?.n);
}

/** Recomputes the roll-ups from scratch (migrations, repairs, benchmark loaders). */
export async function rebuildSalesRollups(db: Prisma.TransactionClient = unscopedDb()): Promise<number> {
  const [r] = await db.$queryRaw<{ n: number }[]>`SELECT sales_rollup_rebuild() AS n`;
  return n(r?.n);
}

interface BuyersAndFulfilment {
  buyersCurrent: bigint;
  buyersPrevious: bigint;
  a: number[] | null;
  na: bigint;
  b: number[] | null;
  nb: bigint;
  c: number[] | null;
  nc: bigint;
}

/**
 * Distinct buyers of both periods and the fulfilment percentiles: the one figure set that is not a
 * sum of roll-up rows, so it scans the periods' shop orders (~0.1–0.5 s at a million lines). It is
 * remembered per process under the county's roll-up version (countyRollupVersion: its shops'
 * SalesRollupShopVersion rows, each raised by every refresh that rewrote one of the shop's days,
 * and every change of a shop order it reads marks its day): views of unchanged data reuse it,
 * concurrent views of one key share one scan, and a refresh in another county changes nothing here.
 */
function buyersAndFulfilment(
  db: Prisma.TransactionClient,
  countyId: string,
  range: { start: Date; prevStart: Date; end: Date },
  version: string,
): Promise<BuyersAndFulfilment | undefined> {
  const key = `${countyId} ${range.prevStart.getTime()} ${range.start.getTime()} ${range.end.getTime()}`;
  return rememberedUnderVersion(remembered, key, version, () => scanBuyersAndFulfilment(db, countyId, range));
}

const remembered = new Map<string, { version: string; value: Promise<BuyersAndFulfilment | undefined> }>();
/** Keys kept per process (a key is a county and a range: a few hundred bytes each). */
const REMEMBERED_KEYS = 200;

/** The value of a key while the version it was made under is current; the newest keys only. */
function rememberedUnderVersion<T>(
  map: Map<string, { version: string; value: Promise<T> }>,
  key: string,
  version: string,
  make: () => Promise<T>,
): Promise<T> {
  const hit = map.get(key);
  if (hit && hit.version === version) return hit.value;
  const value = make();
  map.delete(key);
  map.set(key, { version, value });
  // A failed scan is not remembered.
  value.catch(() => {
    if (map.get(key)?.value === value) map.delete(key);
  });
  while (map.size > REMEMBERED_KEYS) map.delete(map.keys().next().value!);
  return value;
}

/**
 * The county's roll-up version: its shops' version rows (one per shop that has had roll-up rows)
 * as their count, the sum of their numbers and the sum of a 64-bit hash of each (shop, number). A refresh that rewrites a day of one of the county's shops raises that shop's
 * number, so the sum changes; a shop joining or leaving the county changes the count or the hash.
 * Sums and counts are what Citus pushes down to each shard (decision 028).
 */
export async function countyRollupVersion(db: Prisma.TransactionClient, countyId: string): Promise<string> {
  const [r] = await db.$queryRaw<{ version: string }[]>`
    SELECT count(*)::text || ':' || COALESCE(sum(v.version), 0)::text || ':'
           || COALESCE(sum(hashtextextended(v."shopId" || ':' || v.version::text, 0)), 0)::text AS version
      FROM "SalesRollupShopVersion" v JOIN "Shop" s ON s.id = v."shopId"
     WHERE s."countyId" = ${countyId}`;
  return r!.version;
}

async function scanBuyersAndFulfilment(
  db: Prisma.TransactionClient,
  countyId: string,
  { start, prevStart, end }: { start: Date; prevStart: Date; end: Date },
): Promise<BuyersAndFulfilment | undefined> {
  // Buyers are distinct people, and percentiles are not sums: one range scan of ShopOrder (its
  // buyerKey is the order's buyer, kept by the database), one pass with FILTERs rather than a
  // GROUP BY (which sorted every row first), p50 and p90 from one sort each (docs/perf.md).
  const [row] = await db.$queryRaw<BuyersAndFulfilment[]>`
    SELECT COUNT(DISTINCT so."buyerKey") FILTER (WHERE so."paidAt" >= ${start})::bigint AS "buyersCurrent",
           COUNT(DISTINCT so."buyerKey") FILTER (WHERE so."paidAt" < ${start})::bigint AS "buyersPrevious",
           percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP
             (ORDER BY EXTRACT(EPOCH FROM so."packedAt" - so."paidAt") / 3600) FILTER (WHERE so."paidAt" >= ${start}) AS a,
           (COUNT(so."packedAt") FILTER (WHERE so."paidAt" >= ${start}))::bigint AS na,
           percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP
             (ORDER BY EXTRACT(EPOCH FROM so."handedOverAt" - so."packedAt") / 3600) FILTER (WHERE so."paidAt" >= ${start}) AS b,
           (COUNT(so."handedOverAt" - so."packedAt") FILTER (WHERE so."paidAt" >= ${start}))::bigint AS nb,
           percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP
             (ORDER BY EXTRACT(EPOCH FROM so."deliveredAt" - so."handedOverAt") / 3600) FILTER (WHERE so."paidAt" >= ${start}) AS c,
           (COUNT(so."deliveredAt" - so."handedOverAt") FILTER (WHERE so."paidAt" >= ${start}))::bigint AS nc
      FROM "ShopOrder" so
     WHERE so."shopId" IN (SELECT id FROM "Shop" WHERE "countyId" = ${countyId})
       AND so."paidAt" >= ${prevStart} AND so."paidAt" < ${end}`;
  return row;
}

export async function loadDashboard(countyId: string, range: DashboardRange, now = new Date()): Promise<Dashboard> {
  const refreshed = await refreshSalesRollups(unscopedDb(), DASHBOARD_REFRESH_PAIRS);
  // The refresh is a write, on the primary. When it rewrote nothing, the figures may come from the
  // replica (no further behind than any replica read: docs/decisions/024-stateless-nodes.md); when
  // it did, the replica cannot have this view's own roll-ups yet, so the primary answers.
  const prisma = refreshed === 0 ? unscopedReadDb() : unscopedDb();
  // Only when this view's share ran out can days be left over: no statement otherwise.
  const pendingDays = refreshed < DASHBOARD_REFRESH_PAIRS ? 0 : await pendingRollupDays(prisma, countyId);
  const version = await countyRollupVersion(prisma, countyId);
  const { start, end, prevStart, by, from, to, prevFrom } = range;
  const lateBefore = new Date(now.getTime() - LATE_AFTER_MS);
  const today = shanghaiToday(now);
  // The county's shops, as a subquery every statement starts from (so the roll-ups' and
  // ShopOrder's (shopId, …) keys lead).
  const [periods, scanned, anyPaid, series, byShop, byPlace, byDeliveryPoint, products, late, scans] =
    await Promise.all([
      prisma.$queryRaw<({ period: string; refundedOrders: bigint } & Sums)[]>`
        SELECT CASE WHEN r.day >= ${from}::date THEN 'current' ELSE 'previous' END AS period,
               SUM(r."gmvFen")::bigint AS gmv, SUM(r."refundsFen")::bigint AS refunds,
               SUM(r.orders)::bigint AS orders, SUM(r."refundedOrders")::bigint AS "refundedOrders"
          FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
         WHERE s."countyId" = ${countyId} AND r.day >= ${prevFrom}::date AND r.day <= ${to}::date
         GROUP BY 1`,
      buyersAndFulfilment(prisma, countyId, { start, prevStart, end }, version),
      prisma.$queryRaw<{ any: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
                        WHERE s."countyId" = ${countyId}) AS any`,
      prisma.$queryRaw<({ bucket: string } & Sums)[]>`
        SELECT to_char(date_trunc(${by}::text, r.day::timestamp), 'YYYY-MM-DD') AS bucket,
               SUM(r."gmvFen")::bigint AS gmv, SUM(r."refundsFen")::bigint AS refunds, SUM(r.orders)::bigint AS orders
          FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
         WHERE s."countyId" = ${countyId} AND r.day >= ${from}::date AND r.day <= ${to}::date
         GROUP BY 1 ORDER BY 1`,
      prisma.$queryRaw<({ slug: string; nameZh: string; nameEn: string } & Sums)[]>`
        SELECT s.slug, s."nameZh", s."nameEn",
               SUM(r."gmvFen")::bigint AS gmv, SUM(r."refundsFen")::bigint AS refunds, SUM(r.orders)::bigint AS orders
          FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
         WHERE s."countyId" = ${countyId} AND r.day >= ${from}::date AND r.day <= ${to}::date
         GROUP BY s.id, s.slug, s."nameZh", s."nameEn" ORDER BY gmv DESC, s.slug`,
      prisma.$queryRaw<
        ({ townZh: string | null; townEn: string | null; villageZh: string; villageEn: string } & Sums)[]
      >`
        SELECT s."townZh", s."townEn", s."villageZh", s."villageEn",
               SUM(r."gmvFen")::bigint AS gmv, SUM(r."refundsFen")::bigint AS refunds, SUM(r.orders)::bigint AS orders
          FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
         WHERE s."countyId" = ${countyId} AND r.day >= ${from}::date AND r.day <= ${to}::date
         GROUP BY 1, 2, 3, 4 ORDER BY gmv DESC, 1, 3`,
      // Delivery method × pickup point in one pass; the kinds' order counts ride along.
      prisma.$queryRaw<
        {
          delivery: string;
          pointId: string;
          code: string | null;
          pointKind: string | null;
          nameZh: string | null;
          nameEn: string | null;
          gmv: bigint;
          orders: bigint;
          produce: bigint;
          specialty: bigint;
          experience: bigint;
        }[]
      >`
        SELECT r.delivery::text AS delivery, r."pickupPointId" AS "pointId", p.code, p.kind::text AS "pointKind",
               p."nameZh", p."nameEn", SUM(r."gmvFen")::bigint AS gmv, SUM(r.orders)::bigint AS orders,
               SUM(r."produceOrders")::bigint AS produce, SUM(r."specialtyOrders")::bigint AS specialty,
               SUM(r."experienceOrders")::bigint AS experience
          FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
          LEFT JOIN "PickupPoint" p ON p.id = r."pickupPointId"
         WHERE s."countyId" = ${countyId} AND r.day >= ${from}::date AND r.day <= ${to}::date
         GROUP BY 1, 2, 3, 4, 5, 6`,
      // Every product sold (for the GI share); the page shows the top ones. GI: the product has
      // a GI authorisation number, or a GI name from a shop holding a GI certification.
      prisma.$queryRaw<
        {
          productId: string | null;
          titleZh: string;
          titleEn: string | null;
          kind: string;
          gi: boolean;
          sales: bigint;
          quantity: bigint;
          orders: bigint;
        }[]
      >`
        SELECT NULLIF(r."productKey", '') AS "productId",
               COALESCE(MAX(p."titleZh"), MAX(r."titleZh")) AS "titleZh",
               COALESCE(MAX(p."titleEn"), MAX(r."titleEn")) AS "titleEn",
               r.kind::text AS kind,
               COALESCE(bool_or(COALESCE(p."giAuthNumber", '') <> ''
                 OR (COALESCE(p."giName", '') <> '' AND EXISTS (
                   SELECT 1 FROM "ShopCertification" c
                    WHERE c."shopId" = p."shopId" AND c.kind = 'GEOGRAPHIC_INDICATION'))), false) AS gi,
               SUM(r."salesFen")::bigint AS sales, SUM(r.quantity)::bigint AS quantity, SUM(r.orders)::bigint AS orders
          FROM "ProductSalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
          LEFT JOIN "Product" p ON p."shopId" = r."shopId" AND p.id = r."productKey"
         WHERE s."countyId" = ${countyId} AND r.day >= ${from}::date AND r.day <= ${to}::date
         GROUP BY r."shopId", r."productKey", r.kind
         ORDER BY sales DESC, "titleZh"`,
      prisma.$queryRaw<(Omit<Dashboard["late"][number], "shipBy"> & { shipBy: string | null })[]>`
        SELECT so.number, s.slug AS "shopSlug", s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn",
               so.status::text AS status, COALESCE(so."paidAt", so."createdAt") AS since,
               to_char(ps."shipBy", 'YYYY-MM-DD') AS "shipBy"
          FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
          LEFT JOIN LATERAL (
            SELECT MIN(l."presaleShipBy") AS "shipBy" FROM "ShopOrderLine" l
             WHERE l."shopId" = so."shopId" AND l."shopOrderId" = so.id AND l.presale) ps ON true
         WHERE s."countyId" = ${countyId} AND so.status IN ('PAID', 'ACCEPTED') AND so."packedAt" IS NULL
           -- A presale waits for its harvest: late only once its ship-by day has passed.
           AND CASE WHEN ps."shipBy" IS NOT NULL THEN ps."shipBy" < ${today}::date
                    ELSE COALESCE(so."paidAt", so."createdAt") < ${lateBefore} END
         ORDER BY since ASC LIMIT 50`,
      prisma.$queryRaw<({ scans: bigint } & Omit<Dashboard["scans"][number], "scans">)[]>`
        SELECT b."traceCode", b."productNameZh", b."productNameEn", s.slug AS "shopSlug", SUM(x.scans)::bigint AS scans
          FROM "BatchScanDaily" x JOIN "Shop" s ON s.id = x."shopId" JOIN "Batch" b ON b."shopId" = x."shopId" AND b.id = x."batchId"
         WHERE s."countyId" = ${countyId} AND x.day >= ${from}::date AND x.day <= ${to}::date
         GROUP BY b.id, b."traceCode", b."productNameZh", b."productNameEn", s.slug
         ORDER BY scans DESC, b."traceCode" LIMIT ${TOP_BATCHES}`,
    ]);

  const cur = periods.find((p) => p.period === "current");
  const curScan = scanned;
  const current = totals(cur, curScan?.buyersCurrent);
  const refundedOrders = n(cur?.refundedOrders);

  const byDelivery = new Map<string, { orders: number; gmvFen: number }>();
  const pickupKinds = new Map<string, number>();
  const kindOrders = { PRODUCE: 0, SPECIALTY: 0, EXPERIENCE: 0 };
  const points: Dashboard["pickupPoints"] = [];
  for (const r of byDeliveryPoint) {
    const d = byDelivery.get(r.delivery) ?? { orders: 0, gmvFen: 0 };
    d.orders += n(r.orders);
    d.gmvFen += n(r.gmv);
    byDelivery.set(r.delivery, d);
    kindOrders.PRODUCE += n(r.produce);
    kindOrders.SPECIALTY += n(r.specialty);
    kindOrders.EXPERIENCE += n(r.experience);
    if (r.code && r.pointKind) {
      pickupKinds.set(r.pointKind, (pickupKinds.get(r.pointKind) ?? 0) + n(r.orders));
      const same = points.find((p) => p.code === r.code);
      if (same) same.orders += n(r.orders);
      else
        points.push({
          code: r.code,
          kind: r.pointKind,
          nameZh: r.nameZh ?? "",
          nameEn: r.nameEn ?? "",
          orders: n(r.orders),
        });
    }
  }

  const kindSales = new Map<string, number>();
  let salesFen = 0;
  let giSalesFen = 0;
  for (const p of products) {
    salesFen += n(p.sales);
    if (p.gi) giSalesFen += n(p.sales);
    kindSales.set(p.kind, (kindSales.get(p.kind) ?? 0) + n(p.sales));
  }

  const stage = (s: Stage, p50: number | null, p90: number | null, count: bigint | undefined) => ({
    stage: s,
    count: n(count),
    p50: hours(p50),
    p90: hours(p90),
  });

  return {
    pendingDays,
    current,
    previous: totals(
      periods.find((p) => p.period === "previous"),
      curScan?.buyersPrevious,
    ),
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
    byKind: [...kindSales]
      .map(([kind, sales]) => ({ kind, salesFen: sales, orders: kindOrders[kind as keyof typeof kindOrders] ?? 0 }))
      .sort((a, b) => b.salesFen - a.salesFen || a.kind.localeCompare(b.kind)),
    byProduct: products.slice(0, TOP_PRODUCTS).map((p) => ({
      productId: p.productId,
      titleZh: p.titleZh,
      titleEn: p.titleEn,
      kind: p.kind,
      gi: p.gi,
      salesFen: n(p.sales),
      quantity: n(p.quantity),
      orders: n(p.orders),
    })),
    gi: { giSalesFen, salesFen, pct: pct(giSalesFen, salesFen) },
    fulfilment: [
      stage("paidToPacked", curScan?.a?.[0] ?? null, curScan?.a?.[1] ?? null, curScan?.na),
      stage("packedToHandedOver", curScan?.b?.[0] ?? null, curScan?.b?.[1] ?? null, curScan?.nb),
      stage("handedOverToDelivered", curScan?.c?.[0] ?? null, curScan?.c?.[1] ?? null, curScan?.nc),
    ],
    refunds: {
      refundsFen: current.refundsFen,
      gmvFen: current.gmvFen,
      amountPct: pct(current.refundsFen, current.gmvFen),
      refundedOrders,
      orders: current.orders,
      ordersPct: pct(refundedOrders, current.orders),
    },
    byDelivery: [...byDelivery]
      .map(([delivery, d]) => ({ delivery, ...d }))
      .sort((a, b) => b.orders - a.orders || a.delivery.localeCompare(b.delivery)),
    pickupKinds: [...pickupKinds]
      .map(([kind, orders]) => ({ kind, orders }))
      .sort((a, b) => a.kind.localeCompare(b.kind)),
    pickupPoints: points
      .sort((a, b) => b.orders - a.orders || a.code.localeCompare(b.code))
      .slice(0, TOP_PICKUP_POINTS),
    late: late.map((l) => ({ ...l, shipBy: l.shipBy })),
    scans: scans.map((s) => ({ ...s, scans: n(s.scans) })),
  };
}
