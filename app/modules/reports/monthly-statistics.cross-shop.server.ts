import { Prisma } from "~/generated/prisma/client";
import { unscopedDb } from "~/db/index.server";
import { addMonths, monthPeriod, type MonthPeriod } from "./month";
import {
  PERIODS,
  type MonthFigures,
  type MonthlyStatistics,
  type Period,
  type ThreeMonths,
  type TownStatistics,
} from "./monthly-statistics";

// The county's monthly rural e-commerce statistics (issue #11, 农村电子商务统计月报), for a
// Shanghai calendar month, the month before (环比) and the same month a year earlier (同比),
// for the whole county and by township (Shop.townZh). Definitions (shown on the page too):
// - 网络零售额 (online retail sales): what buyers paid for shop orders paid in the month, goods and
//   shipping, before refunds; refunds are their own row (refunds that succeeded in the month,
//   whenever the order was paid), so a closed month's sales never change afterwards.
// - of which by kind: order lines' totals (goods only) of PRODUCE (agricultural products),
//   SPECIALTY (特产) and EXPERIENCE; with shipping they add up to the sales.
// - orders: shop orders paid in the month; buyers: distinct accounts, else mobiles, among them;
//   active shops: shops with at least one of them.
// - parcels: Shipment.parcelCount of shop orders handed to logistics in the month.
// - new shops: shops that went live (approvedAt) in the month.
// Every statement is grouped in SQL, over the three months at once, and filtered by the shops'
// countyId; GROUPING SETS give the county's totals (distinct counts cannot be summed by town).

const empty = (): MonthFigures => ({
  salesFen: 0,
  produceFen: 0,
  specialtyFen: 0,
  experienceFen: 0,
  shippingFen: 0,
  refundsFen: 0,
  netFen: 0,
  orders: 0,
  parcels: 0,
  activeShops: 0,
  newShops: 0,
  buyers: 0,
});
const three = (): ThreeMonths => ({ current: empty(), previous: empty(), lastYear: empty() });

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

/** Which of the three months a timestamp column falls in (NULL: none). */
function periodOf(column: Prisma.Sql, p: Record<Period, MonthPeriod>) {
  return Prisma.sql`CASE
    WHEN ${column} >= ${p.current.start} AND ${column} < ${p.current.end} THEN 'current'
    WHEN ${column} >= ${p.previous.start} AND ${column} < ${p.previous.end} THEN 'previous'
    WHEN ${column} >= ${p.lastYear.start} AND ${column} < ${p.lastYear.end} THEN 'lastYear' END`;
}
function inPeriods(column: Prisma.Sql, p: Record<Period, MonthPeriod>) {
  return Prisma.sql`((${column} >= ${p.current.start} AND ${column} < ${p.current.end})
    OR (${column} >= ${p.previous.start} AND ${column} < ${p.previous.end})
    OR (${column} >= ${p.lastYear.start} AND ${column} < ${p.lastYear.end}))`;
}

/** A row of a GROUPING SETS ((period), (period, town)) statement: `whole` is 1 for the county's total. */
interface Grouped {
  period: Period;
  town: string | null;
  townEn: string | null;
  whole: number;
}

export async function loadMonthlyStatistics(countyId: string, month: string): Promise<MonthlyStatistics> {
  const months: Record<Period, string> = {
    current: month,
    previous: addMonths(month, -1),
    lastYear: addMonths(month, -12),
  };
  const p: Record<Period, MonthPeriod> = {
    current: monthPeriod(months.current),
    previous: monthPeriod(months.previous),
    lastYear: monthPeriod(months.lastYear),
  };
  const prisma = unscopedDb();
  const paid = periodOf(Prisma.sql`so."paidAt"`, p);
  const [orders, kinds, parcels, refunds, newShops, liveTowns] = await Promise.all([
    prisma.$queryRaw<(Grouped & { sales: bigint; shipping: bigint; orders: bigint; buyers: bigint; shops: bigint })[]>`
      SELECT period, town, MAX("townEn") AS "townEn", GROUPING(town)::int AS whole,
             SUM("totalFen")::bigint AS sales, SUM("shippingFen")::bigint AS shipping, COUNT(*)::bigint AS orders,
             COUNT(DISTINCT buyer)::bigint AS buyers, COUNT(DISTINCT "shopId")::bigint AS shops
        FROM (SELECT ${paid} AS period, s."townZh" AS town, s."townEn", so."totalFen", so."shippingFen", so."shopId",
                     COALESCE('u:' || o."userId", 'p:' || o."contactPhone") AS buyer
                FROM "ShopOrder" so
                JOIN "Shop" s ON s.id = so."shopId"
                JOIN "Order" o ON o.id = so."orderId"
               WHERE s."countyId" = ${countyId} AND ${inPeriods(Prisma.sql`so."paidAt"`, p)}) x
       GROUP BY GROUPING SETS ((period), (period, town))`,
    prisma.$queryRaw<(Grouped & { kind: string; sales: bigint })[]>`
      SELECT period, town, MAX("townEn") AS "townEn", GROUPING(town)::int AS whole, kind, SUM("lineTotalFen")::bigint AS sales
        FROM (SELECT ${paid} AS period, s."townZh" AS town, s."townEn", l.kind::text AS kind, l."lineTotalFen"
                FROM "ShopOrderLine" l
                JOIN "ShopOrder" so ON so."shopId" = l."shopId" AND so.id = l."shopOrderId"
                JOIN "Shop" s ON s.id = so."shopId"
               WHERE s."countyId" = ${countyId} AND ${inPeriods(Prisma.sql`so."paidAt"`, p)}) x
       GROUP BY GROUPING SETS ((period, kind), (period, town, kind))`,
    prisma.$queryRaw<(Grouped & { parcels: bigint })[]>`
      SELECT period, town, MAX("townEn") AS "townEn", GROUPING(town)::int AS whole, SUM("parcelCount")::bigint AS parcels
        FROM (SELECT ${periodOf(Prisma.sql`so."handedOverAt"`, p)} AS period, s."townZh" AS town, s."townEn", sh."parcelCount"
                FROM "Shipment" sh
                JOIN "ShopOrder" so ON so."shopId" = sh."shopId" AND so.id = sh."shopOrderId"
                JOIN "Shop" s ON s.id = so."shopId"
               WHERE s."countyId" = ${countyId} AND ${inPeriods(Prisma.sql`so."handedOverAt"`, p)}) x
       GROUP BY GROUPING SETS ((period), (period, town))`,
    prisma.$queryRaw<(Grouped & { refunds: bigint })[]>`
      SELECT period, town, MAX("townEn") AS "townEn", GROUPING(town)::int AS whole, SUM("amountFen")::bigint AS refunds
        FROM (SELECT ${periodOf(Prisma.sql`r."completedAt"`, p)} AS period, s."townZh" AS town, s."townEn", r."amountFen"
                FROM "Refund" r
                JOIN "Shop" s ON s.id = r."shopId"
               WHERE s."countyId" = ${countyId} AND r.status = 'SUCCEEDED'
                 AND ${inPeriods(Prisma.sql`r."completedAt"`, p)}) x
       GROUP BY GROUPING SETS ((period), (period, town))`,
    prisma.$queryRaw<(Grouped & { shops: bigint })[]>`
      SELECT period, town, MAX("townEn") AS "townEn", GROUPING(town)::int AS whole, COUNT(*)::bigint AS shops
        FROM (SELECT ${periodOf(Prisma.sql`s."approvedAt"`, p)} AS period, s."townZh" AS town, s."townEn"
                FROM "Shop" s
               WHERE s."countyId" = ${countyId} AND ${inPeriods(Prisma.sql`s."approvedAt"`, p)}) x
       GROUP BY GROUPING SETS ((period), (period, town))`,
    // Townships with a live shop are listed even in a month without sales.
    prisma.$queryRaw<{ town: string | null; townEn: string | null }[]>`
      SELECT s."townZh" AS town, MAX(s."townEn") AS "townEn"
        FROM "Shop" s WHERE s."countyId" = ${countyId} AND s.status = 'LIVE' GROUP BY 1`,
  ]);

  const county = three();
  const towns = new Map<string, TownStatistics>();
  const key = (town: string | null) => town ?? "";
  const townOf = (town: string | null, townEn: string | null) => {
    let t = towns.get(key(town));
    if (!t) {
      t = { townZh: town, townEn, figures: three() };
      towns.set(key(town), t);
    }
    if (!t.townEn && townEn) t.townEn = townEn;
    return t;
  };
  const target = (r: Grouped) => (n(r.whole) === 1 ? county : townOf(r.town, r.townEn).figures)[r.period];

  for (const t of liveTowns) townOf(t.town, t.townEn);
  for (const r of orders) {
    const f = target(r);
    f.salesFen = n(r.sales);
    f.shippingFen = n(r.shipping);
    f.orders = n(r.orders);
    f.buyers = n(r.buyers);
    f.activeShops = n(r.shops);
  }
  for (const r of kinds) {
    const f = target(r);
    if (r.kind === "PRODUCE") f.produceFen = n(r.sales);
    else if (r.kind === "SPECIALTY") f.specialtyFen = n(r.sales);
    else if (r.kind === "EXPERIENCE") f.experienceFen = n(r.sales);
  }
  for (const r of parcels) target(r).parcels = n(r.parcels);
  for (const r of refunds) target(r).refundsFen = n(r.refunds);
  for (const r of newShops) target(r).newShops = n(r.shops);

  const all = [county, ...[...towns.values()].map((t) => t.figures)];
  for (const set of all)
    for (const period of PERIODS) set[period].netFen = set[period].salesFen - set[period].refundsFen;

  // Largest sales first; the township left blank last.
  const list = [...towns.values()].sort(
    (a, b) =>
      Number(a.townZh === null) - Number(b.townZh === null) ||
      b.figures.current.salesFen - a.figures.current.salesFen ||
      (a.townZh ?? "").localeCompare(b.townZh ?? "", "zh-CN"),
  );
  return { months, county, towns: list };
}
