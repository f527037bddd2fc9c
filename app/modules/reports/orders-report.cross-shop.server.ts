import { Prisma } from "~/generated/prisma/client";
import { readConnection, unscopedDb, unscopedReadDb, type DatabaseConnection } from "~/db/index.server";
import type { ReportFilters } from "./filters";

// The county's orders report: one row per ShopOrderLine of the county's shops, ordered by the
// shop order's paid time (else its placing time), then the line id. Files read it with bounded
// memory: through a server-side cursor on a PostgreSQL server, in keyset pages on the embedded
// database (which has no cursor). Every query is filtered by the shops' countyId.

/** Rows per keyset page on the embedded database (one statement each). */
export const REPORT_PAGE_SIZE = 2_000;

/**
 * Rows per FETCH of the server's cursor: few on purpose. Rows that are still waiting in the
 * cursor's buffer when the young generation is collected twice are copied into the old one, and
 * an XLSX writer makes so much garbage per row (~33 KB) that a batch of 2,000 lived through
 * several collections: its rows were promoted by the hundred megabytes, and the old generation
 * grew by as much before a full collection (docs/decisions/037-xlsx-rss.md). 100 rows are
 * written before the next collection; a round trip per 100 rows costs no measurable CPU.
 */
export const REPORT_CURSOR_BATCH = 100;

export interface OrderReportRow {
  lineId: string;
  orderNumber: string;
  shopOrderNumber: string;
  placedAt: Date;
  paidAt: Date | null;
  packedAt: Date | null;
  handedOverAt: Date | null;
  deliveredAt: Date | null;
  shopSlug: string;
  shopNameZh: string;
  shopNameEn: string;
  villageZh: string;
  villageEn: string;
  titleZh: string;
  titleEn: string | null;
  kind: string;
  variantTitleZh: string;
  variantTitleEn: string | null;
  quantity: number;
  unitPriceFen: number;
  lineTotalFen: number;
  /** The shop order's shipping, on its first line only (so a column sum is right). */
  shippingFen: number;
  /** The shop order's refunds, on its first line only. */
  refundedFen: number;
  status: string;
  delivery: string;
  pickupPointZh: string | null;
  pickupPointEn: string | null;
  waybillNo: string | null;
  buyerName: string;
  /** Masked as 138****1234 unless contact details were asked for. */
  buyerMobile: string;
}

/**
 * A row as the statement returns it. Built for a million of them (docs/perf.md, "County
 * reports"): times come as epoch milliseconds (a float parses in a fraction of a timestamp's
 * time), and the shop's and pickup point's names, the same on many rows, by id from `Names`.
 */
type RawRow = Pick<
  OrderReportRow,
  | "lineId"
  | "orderNumber"
  | "shopOrderNumber"
  | "titleZh"
  | "titleEn"
  | "kind"
  | "variantTitleZh"
  | "variantTitleEn"
  | "quantity"
  | "unitPriceFen"
  | "lineTotalFen"
  | "status"
  | "delivery"
  | "waybillNo"
  | "buyerName"
> & {
  sortMs: number;
  firstLineId: string;
  placedMs: number;
  paidMs: number | null;
  packedMs: number | null;
  handedOverMs: number | null;
  deliveredMs: number | null;
  shopId: string;
  shippingFenAll: number;
  refundedFenAll: number;
  pickupPointId: string | null;
  buyerPhone: string;
};

interface Names {
  shops: Map<string, { slug: string; nameZh: string; nameEn: string; villageZh: string; villageEn: string }>;
  points: Map<string, { nameZh: string; nameEn: string }>;
}

/** The county's shops and the pickup points (a platform list of tens), once per report read. */
async function loadNames(countyId: string, db: Prisma.TransactionClient = unscopedDb()): Promise<Names> {
  const [shops, points] = await Promise.all([
    db.shop.findMany({
      where: { countyId },
      select: { id: true, slug: true, nameZh: true, nameEn: true, villageZh: true, villageEn: true },
    }),
    db.pickupPoint.findMany({ select: { id: true, nameZh: true, nameEn: true } }),
  ]);
  return { shops: new Map(shops.map((s) => [s.id, s])), points: new Map(points.map((p) => [p.id, p])) };
}

/** 13812341234 → 138****1234; anything shorter keeps only its last 2 characters. */
export function maskMobile(phone: string): string {
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return phone.length > 2 ? `${"*".repeat(phone.length - 2)}${phone.slice(-2)}` : phone;
}

export interface ReportScope {
  countyId: string;
  /** The shop of the `shop` filter, already checked to be of this county. */
  shopId?: string;
}

function where(scope: ReportScope, f: ReportFilters) {
  return Prisma.join([...shopOrderWhere(scope, f), ...lineWhere(f)], " AND ");
}

/** The filters on the shop order (and its shop): applied before its lines are read. */
export function shopOrderWhere(scope: ReportScope, f: ReportFilters) {
  const parts = [
    Prisma.sql`s."countyId" = ${scope.countyId}`,
    Prisma.sql`COALESCE(so."paidAt", so."createdAt") >= ${f.start}`,
    Prisma.sql`COALESCE(so."paidAt", so."createdAt") < ${f.end}`,
  ];
  if (scope.shopId) parts.push(Prisma.sql`s.id = ${scope.shopId}`);
  if (f.status) parts.push(Prisma.sql`so.status = ${f.status}::"ShopOrderStatus"`);
  return parts;
}

/** The filters on the line (`l`), after the shop order's first line is known. */
export function lineWhere(f: ReportFilters) {
  return f.kind ? [Prisma.sql`l.kind = ${f.kind}::"ProductKind"`] : [];
}

// Shaped for 1,000,000 lines (docs/perf.md, "County reports"): the county's shop orders in the
// range are sorted once by their time (narrow rows, no lines yet), then each one's lines are read
// by ShopOrderLine(shopOrderId, id), with the first line found among them (no scan per row), and
// the output, already in time order, only needs an incremental sort of each time's few lines by
// id. The old plan joined and sorted every line of the county (per keyset page).
//
// `columns` is the select list over the aliases `so` (the sorted shop orders: the columns below
// plus `shopOrderColumns`), `o` (its order) and `l` (its lines): the rows for Node (ROW_COLUMNS),
// or the CSV's cells made by the database (orders-csv.cross-shop.server.ts).
export function orderLinesStatement({
  scope,
  f,
  columns,
  shopOrderColumns = Prisma.empty,
  shopOrderJoins = Prisma.empty,
  after = null,
  limit = null,
}: {
  scope: ReportScope;
  f: ReportFilters;
  columns: Prisma.Sql;
  /** More columns of the shop orders' subquery (`, expr AS "name"` …) over `so`, `s` (its shop) and `shopOrderJoins`. */
  shopOrderColumns?: Prisma.Sql;
  shopOrderJoins?: Prisma.Sql;
  after?: { sortAt: Date; lineId: string } | null;
  limit?: number | null;
}): Prisma.Sql {
  const soParts = shopOrderWhere(scope, f);
  // A keyset page cannot start before its cursor's time: the shop orders before it are skipped too.
  if (after) soParts.push(Prisma.sql`COALESCE(so."paidAt", so."createdAt") >= ${after.sortAt}`);
  const lineParts = lineWhere(f);
  if (after) lineParts.push(Prisma.sql`(so."sortAt", l.id) > (${after.sortAt}, ${after.lineId})`);
  return Prisma.sql`
    SELECT ${columns}
      FROM (SELECT so.id AS "shopOrderId", COALESCE(so."paidAt", so."createdAt") AS "sortAt", so."orderId",
                   so.number AS "shopOrderNumber", so."paidAt", so."packedAt", so."handedOverAt",
                   so."deliveredAt", so."shopId", so."shippingFen" AS "shippingFenAll",
                   so."refundedFen" AS "refundedFenAll", so.status::text AS status,
                   so.delivery::text AS delivery, so."pickupPointId" ${shopOrderColumns}
              FROM "ShopOrder" so
              JOIN "Shop" s ON s.id = so."shopId" ${shopOrderJoins}
             WHERE ${Prisma.join(soParts, " AND ")}
             ORDER BY 2) so
     -- Joined after the sort (a subquery with ORDER BY stays one): the sort holds narrow rows.
     CROSS JOIN LATERAL (
           SELECT o.number AS "orderNumber", o."createdAt" AS "placedAt", o."contactName" AS "buyerName",
                  o."contactPhone" AS "buyerPhone", sh."waybillNo"
             FROM "Order" o LEFT JOIN "Shipment" sh ON sh."shopId" = so."shopId" AND sh."shopOrderId" = so."shopOrderId"
            WHERE o.id = so."orderId") o
     CROSS JOIN LATERAL (
           -- Every line of the shop order counts for its first line, whatever the kind filter.
           SELECT l.id, l.kind, l."titleZh", l."titleEn", l."variantTitleZh", l."variantTitleEn", l.quantity,
                  l."unitPriceFen", l."lineTotalFen", min(l.id) OVER () AS "firstLineId"
             FROM "ShopOrderLine" l
            WHERE l."shopId" = so."shopId" AND l."shopOrderId" = so."shopOrderId") l
     ${lineParts.length ? Prisma.sql`WHERE ${Prisma.join(lineParts, " AND ")}` : Prisma.empty}
     ORDER BY so."sortAt", l.id
     ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
}

const ROW_COLUMNS = Prisma.sql`
  l.id AS "lineId", o."orderNumber", so."shopOrderNumber", (extract(epoch FROM so."sortAt") * 1000)::float8 AS "sortMs",
  l."firstLineId", (extract(epoch FROM o."placedAt") * 1000)::float8 AS "placedMs", (extract(epoch FROM so."paidAt") * 1000)::float8 AS "paidMs",
  (extract(epoch FROM so."packedAt") * 1000)::float8 AS "packedMs", (extract(epoch FROM so."handedOverAt") * 1000)::float8 AS "handedOverMs",
  (extract(epoch FROM so."deliveredAt") * 1000)::float8 AS "deliveredMs", so."shopId",
  l."titleZh", l."titleEn", l.kind::text AS kind, l."variantTitleZh", l."variantTitleEn",
  l.quantity, l."unitPriceFen", l."lineTotalFen", so."shippingFenAll", so."refundedFenAll",
  so.status, so.delivery, so."pickupPointId", o."waybillNo", o."buyerName", o."buyerPhone"`;

/** The report's rows for Node (RawRow), after a keyset position and up to `limit` when given. */
export function orderReportStatement(
  scope: ReportScope,
  f: ReportFilters,
  after: { sortAt: Date; lineId: string } | null,
  limit: number | null,
): Prisma.Sql {
  return orderLinesStatement({ scope, f, columns: ROW_COLUMNS, after, limit });
}

async function page(
  scope: ReportScope,
  f: ReportFilters,
  after: { sortAt: Date; lineId: string } | null,
  limit: number,
  db: Prisma.TransactionClient = unscopedDb(),
): Promise<RawRow[]> {
  return db.$queryRaw<RawRow[]>(orderReportStatement(scope, f, after, limit));
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function toRow(raw: RawRow, includeContacts: boolean, names: Names): OrderReportRow {
  const first = raw.lineId === raw.firstLineId;
  const shop = names.shops.get(raw.shopId);
  const point = raw.pickupPointId === null ? undefined : names.points.get(raw.pickupPointId);
  // Every field spelled out: one object shape for a million rows.
  return {
    lineId: raw.lineId,
    orderNumber: raw.orderNumber,
    shopOrderNumber: raw.shopOrderNumber,
    placedAt: new Date(raw.placedMs),
    paidAt: date(raw.paidMs),
    packedAt: date(raw.packedMs),
    handedOverAt: date(raw.handedOverMs),
    deliveredAt: date(raw.deliveredMs),
    shopSlug: shop?.slug ?? "",
    shopNameZh: shop?.nameZh ?? "",
    shopNameEn: shop?.nameEn ?? "",
    villageZh: shop?.villageZh ?? "",
    villageEn: shop?.villageEn ?? "",
    titleZh: raw.titleZh,
    titleEn: raw.titleEn,
    kind: raw.kind,
    variantTitleZh: raw.variantTitleZh,
    variantTitleEn: raw.variantTitleEn,
    quantity: raw.quantity,
    unitPriceFen: raw.unitPriceFen,
    lineTotalFen: raw.lineTotalFen,
    shippingFen: first ? raw.shippingFenAll : 0,
    refundedFen: first ? raw.refundedFenAll : 0,
    status: raw.status,
    delivery: raw.delivery,
    pickupPointZh: point?.nameZh ?? null,
    pickupPointEn: point?.nameEn ?? null,
    waybillNo: raw.waybillNo,
    buyerName: raw.buyerName,
    buyerMobile: includeContacts ? raw.buyerPhone : maskMobile(raw.buyerPhone),
  };
}

/**
 * For a whole report's read on the server: JIT compiles the plan for seconds on its large cost
 * estimate, for nothing at this plan's speed; the county's shop orders sorted in memory, not on disk.
 */
export const REPORT_QUERY_SETTINGS: Readonly<Record<string, string>> = { jit: "off", work_mem: "64MB" };

/**
 * All rows of the report: a cursor on a PostgreSQL server, keyset pages on the embedded database.
 * From the replica when the request may (docs/decisions/024-stateless-nodes.md): `reader` is chosen
 * when this is called (inside the request), not when the file's stream pulls the first row. A
 * background export runs outside any request, so it reads the primary.
 */
export function orderReportRows(
  scope: ReportScope,
  f: ReportFilters,
  /** Rows per FETCH or per page; by default REPORT_CURSOR_BATCH or REPORT_PAGE_SIZE. */
  batchSize?: number,
  reader: DatabaseConnection = readConnection(),
): AsyncGenerator<OrderReportRow> {
  return reader.cursor
    ? orderReportRowsByCursor(scope, f, batchSize ?? REPORT_CURSOR_BATCH, reader)
    : orderReportRowsByKeyset(scope, f, batchSize ?? REPORT_PAGE_SIZE, reader.prisma);
}

/** All rows through one server-side cursor (pg-query-stream), `batchSize` rows fetched at a time. */
export async function* orderReportRowsByCursor(
  scope: ReportScope,
  f: ReportFilters,
  batchSize = REPORT_CURSOR_BATCH,
  // A generator's defaults are evaluated when it is called, not at its first row.
  reader: DatabaseConnection = readConnection(),
): AsyncGenerator<OrderReportRow> {
  const cursor = reader.cursor;
  if (!cursor) throw new Error("the embedded database has no cursor: read the report in keyset pages");
  const query = orderReportStatement(scope, f, null, null);
  const names = await loadNames(scope.countyId, reader.prisma);
  for await (const r of cursor<RawRow>(query.text, query.values, batchSize, REPORT_QUERY_SETTINGS))
    yield toRow(r, f.includeContacts, names);
}

/** All rows, one keyset page of `pageSize` at a time (the embedded database's way). */
export async function* orderReportRowsByKeyset(
  scope: ReportScope,
  f: ReportFilters,
  pageSize = REPORT_PAGE_SIZE,
  db: Prisma.TransactionClient = unscopedReadDb(),
): AsyncGenerator<OrderReportRow> {
  let after: { sortAt: Date; lineId: string } | null = null;
  const names = await loadNames(scope.countyId, db);
  for (;;) {
    const rows = await page(scope, f, after, pageSize, db);
    for (const r of rows) yield toRow(r, f.includeContacts, names);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { sortAt: new Date(last.sortMs), lineId: last.lineId };
  }
}

/**
 * How many rows the report has, to decide whether its file is made in the background: the exact
 * count, unless the scope's shops hold at most `limit` lines in all, in which case that cheaper
 * bound is the answer (the file is streamed at once either way, and the exact count joins every
 * line to its shop order: ~1 s of CPU at 1,000,000 lines; docs/perf.md, "County reports", run 11).
 */
export async function orderReportCount(scope: ReportScope, f: ReportFilters, limit = Infinity): Promise<number> {
  if (Number.isFinite(limit)) {
    const bound = await shopLinesUpTo(scope, limit + 1);
    if (bound <= limit) return bound;
  }
  const [row] = await unscopedDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
      FROM "ShopOrderLine" l
      JOIN "ShopOrder" so ON so."shopId" = l."shopId" AND so.id = l."shopOrderId"
      JOIN "Shop" s ON s.id = so."shopId"
     WHERE ${where(scope, f)}`;
  return row?.n ?? 0;
}

/** The scope's shops' order lines, whatever their time or kind, counted up to `cap` (index only). */
async function shopLinesUpTo(scope: ReportScope, cap: number): Promise<number> {
  const shops = scope.shopId
    ? Prisma.sql`SELECT ${scope.shopId}::text`
    : Prisma.sql`SELECT id FROM "Shop" WHERE "countyId" = ${scope.countyId}`;
  const [row] = await unscopedDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
      FROM (SELECT 1 FROM "ShopOrderLine" l WHERE l."shopId" IN (${shops}) LIMIT ${Math.min(cap, 2_147_483_647)}) capped`;
  return row?.n ?? 0;
}

/**
 * One screen page (50 rows) after a keyset cursor "<ms>_<lineId>"; `next` is the next page's cursor.
 * From the replica when the request may (docs/decisions/024-stateless-nodes.md).
 */
export async function orderReportPage(scope: ReportScope, f: ReportFilters, cursor: string | null, size = 50) {
  const m = cursor ? /^(\d{1,15})_([a-z0-9]{1,40})$/.exec(cursor) : null;
  const after = m ? { sortAt: new Date(Number(m[1])), lineId: m[2]! } : null;
  const db = unscopedReadDb();
  const [rows, names] = await Promise.all([page(scope, f, after, size + 1, db), loadNames(scope.countyId, db)]);
  const shown = rows.slice(0, size);
  const last = shown[shown.length - 1];
  return {
    rows: shown.map((r) => toRow(r, f.includeContacts, names)),
    next: rows.length > size && last ? `${last.sortMs}_${last.lineId}` : null,
  };
}

/** The county's shop of a slug, or null when it is not one of this county's shops. */
export async function countyShop(countyId: string, slug: string) {
  return unscopedDb().shop.findFirst({
    where: { slug, countyId },
    select: { id: true, slug: true, nameZh: true, nameEn: true },
  });
}

/** The county's shops, for the filter form. */
export async function countyShops(countyId: string) {
  return unscopedDb().shop.findMany({
    where: { countyId },
    select: { slug: true, nameZh: true, nameEn: true },
    orderBy: { slug: "asc" },
  });
}
