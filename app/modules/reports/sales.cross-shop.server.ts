import { Prisma } from "~/generated/prisma/client";
import { unscopedDb, unscopedReadDb } from "~/db/index.server";
import type { ReportScope } from "./orders-report.cross-shop.server";
import type { SalesFilters } from "./sales-filters";

// The county's sales summary (issue #11): paid shop orders of the county's shops, by the moment
// they were paid, grouped in SQL by a Shanghai day, week (from Monday) or month and by shop,
// product, village or kind. A shop order's refunds are spread over its lines in proportion to
// the line totals (the remainder of the integer division on its first line), so that a kind or
// product carries its share and the shares of one shop order always add up to its refundedFen.

export interface SalesRow {
  /** The bucket's first Shanghai day, "YYYY-MM-DD". */
  bucket: string;
  /** What the row is grouped by: a shop slug, "<shop>:<product>", "<town>/<village>" or a kind. */
  key: string;
  labelZh: string;
  labelEn: string | null;
  /** The shop (by product) or the town (by village); null otherwise. */
  parentZh: string | null;
  parentEn: string | null;
  salesFen: number;
  quantity: number;
  orders: number;
  refundsFen: number;
  netFen: number;
}

export interface SalesTotals {
  salesFen: number;
  quantity: number;
  orders: number;
  refundsFen: number;
  netFen: number;
}

/** Rows a file reads per query (each page is one grouped statement after a keyset cursor). */
export const SALES_FILE_PAGE = 2_000;
export const SALES_SCREEN_PAGE = 50;

// One row per paid line of the county in range, with its share of the shop order's refunds.
// The shares are taken over all the shop order's lines before the kind filter.
function paidLines(scope: ReportScope, f: SalesFilters) {
  const parts = [
    Prisma.sql`s."countyId" = ${scope.countyId}`,
    Prisma.sql`so."paidAt" >= ${f.start}`,
    Prisma.sql`so."paidAt" < ${f.end}`,
  ];
  if (scope.shopId) parts.push(Prisma.sql`s.id = ${scope.shopId}`);
  if (f.status) parts.push(Prisma.sql`so.status = ${f.status}::"ShopOrderStatus"`);
  const kind = f.kind ? Prisma.sql`WHERE kind = ${f.kind}::"ProductKind"` : Prisma.empty;
  return Prisma.sql`
    lines AS (
      SELECT l.id, l."shopOrderId", l.kind, l."productId", l."titleZh", l."titleEn", l.quantity,
             l."lineTotalFen", so."paidAt", so."refundedFen"::bigint AS "orderRefundFen",
             s.slug, s."nameZh", s."nameEn", s."townZh", s."townEn", s."villageZh", s."villageEn",
             COALESCE(so."refundedFen"::bigint * l."lineTotalFen"
                      / NULLIF(SUM(l."lineTotalFen") OVER (PARTITION BY l."shopOrderId"), 0), 0) AS share,
             row_number() OVER (PARTITION BY l."shopOrderId" ORDER BY l.id) AS rn
        FROM "ShopOrderLine" l
        JOIN "ShopOrder" so ON so."shopId" = l."shopId" AND so.id = l."shopOrderId"
        JOIN "Shop" s ON s.id = so."shopId"
       WHERE ${Prisma.join(parts, " AND ")}
    ),
    shared AS (
      SELECT *, share + CASE WHEN rn = 1
                             THEN "orderRefundFen" - SUM(share) OVER (PARTITION BY "shopOrderId")
                             ELSE 0 END AS "refundFen"
        FROM lines
    ),
    picked AS (SELECT * FROM shared ${kind})`;
}

// The group's key and labels; `by` is one of SALES_GROUPS (checked by the parser), never raw text.
function groupColumns(by: SalesFilters["by"]) {
  switch (by) {
    case "product":
      return Prisma.sql`slug || ':' || COALESCE("productId", 'line:' || "titleZh") AS key,
        MIN("titleZh") AS "labelZh", MIN("titleEn") AS "labelEn",
        MIN("nameZh") AS "parentZh", MIN("nameEn") AS "parentEn"`;
    case "village":
      return Prisma.sql`COALESCE("townZh", '') || '/' || "villageZh" AS key,
        MIN("villageZh") AS "labelZh", MIN("villageEn") AS "labelEn",
        MIN("townZh") AS "parentZh", MIN("townEn") AS "parentEn"`;
    case "kind":
      return Prisma.sql`kind::text AS key, kind::text AS "labelZh", kind::text AS "labelEn",
        NULL::text AS "parentZh", NULL::text AS "parentEn"`;
    default:
      return Prisma.sql`slug AS key, MIN("nameZh") AS "labelZh", MIN("nameEn") AS "labelEn",
        NULL::text AS "parentZh", NULL::text AS "parentEn"`;
  }
}

type RawSales = Omit<SalesRow, "salesFen" | "quantity" | "orders" | "refundsFen" | "netFen"> & {
  sales: bigint;
  quantity: bigint;
  orders: bigint;
  refunds: bigint;
};

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

function toRow(r: RawSales): SalesRow {
  const salesFen = n(r.sales);
  const refundsFen = n(r.refunds);
  return {
    bucket: r.bucket,
    key: r.key,
    labelZh: r.labelZh,
    labelEn: r.labelEn,
    parentZh: r.parentZh,
    parentEn: r.parentEn,
    salesFen,
    quantity: n(r.quantity),
    orders: n(r.orders),
    refundsFen,
    netFen: salesFen - refundsFen,
  };
}

function grouped(scope: ReportScope, f: SalesFilters, tail: Prisma.Sql, db: Prisma.TransactionClient = unscopedDb()) {
  return db.$queryRaw<RawSales[]>`
    WITH ${paidLines(scope, f)},
    g AS (
      SELECT to_char(date_trunc(${f.period}::text, "paidAt" AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS bucket,
             ${groupColumns(f.by)},
             SUM("lineTotalFen")::bigint AS sales, SUM(quantity)::bigint AS quantity,
             COUNT(DISTINCT "shopOrderId")::bigint AS orders, SUM("refundFen")::bigint AS refunds
        FROM picked
       GROUP BY 1, 2
    )
    SELECT * FROM g ${tail}`;
}

/** Every row, in (bucket, key) order, one keyset page of SALES_FILE_PAGE at a time. */
export async function* salesRows(
  scope: ReportScope,
  f: SalesFilters,
  pageSize = SALES_FILE_PAGE,
  // The file's reads may use the replica (decision 024): chosen when called, inside the request.
  db: Prisma.TransactionClient = unscopedReadDb(),
) {
  let after: { bucket: string; key: string } | null = null;
  for (;;) {
    const cursor: Prisma.Sql = after ? Prisma.sql`WHERE (bucket, key) > (${after.bucket}, ${after.key})` : Prisma.empty;
    const rows = await grouped(scope, f, Prisma.sql`${cursor} ORDER BY bucket, key LIMIT ${pageSize}`, db);
    for (const r of rows) yield toRow(r);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { bucket: last.bucket, key: last.key };
  }
}

/** One screen page (1-based) of SALES_SCREEN_PAGE rows, and whether another follows. From the replica when it may. */
export async function salesPage(scope: ReportScope, f: SalesFilters, page: number, size = SALES_SCREEN_PAGE) {
  const tail = Prisma.sql`ORDER BY bucket, key LIMIT ${size + 1} OFFSET ${(page - 1) * size}`;
  const rows = await grouped(scope, f, tail, unscopedReadDb());
  return { rows: rows.slice(0, size).map(toRow), more: rows.length > size };
}

/** The sums over every row of the filters (the screen's totals line). From the replica when it may. */
export async function salesTotals(scope: ReportScope, f: SalesFilters): Promise<SalesTotals> {
  const [r] = await unscopedReadDb().$queryRaw<{ sales: bigint; quantity: bigint; orders: bigint; refunds: bigint }[]>`
    WITH ${paidLines(scope, f)}
    SELECT SUM("lineTotalFen")::bigint AS sales, SUM(quantity)::bigint AS quantity,
           COUNT(DISTINCT "shopOrderId")::bigint AS orders, SUM("refundFen")::bigint AS refunds
      FROM picked`;
  const salesFen = n(r?.sales);
  const refundsFen = n(r?.refunds);
  return { salesFen, quantity: n(r?.quantity), orders: n(r?.orders), refundsFen, netFen: salesFen - refundsFen };
}
