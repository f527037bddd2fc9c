import { Prisma } from "~/generated/prisma/client";
import { connection, unscopedDb } from "~/db/index.server";
import type { ReportFilters } from "./filters";

// The county's orders report: one row per ShopOrderLine of the county's shops, ordered by the
// shop order's paid time (else its placing time), then the line id. Files read it with bounded
// memory: through a server-side cursor on a PostgreSQL server, in keyset pages on the embedded
// database (which has no cursor). Every query is filtered by the shops' countyId.

export const REPORT_PAGE_SIZE = 2_000;

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

interface RawRow extends Omit<OrderReportRow, "shippingFen" | "refundedFen" | "buyerMobile"> {
  sortAt: Date;
  shopOrderId: string;
  firstLineId: string;
  shippingFenAll: number;
  refundedFenAll: number;
  buyerPhone: string;
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
function shopOrderWhere(scope: ReportScope, f: ReportFilters) {
  const parts = [
    Prisma.sql`s."countyId" = ${scope.countyId}`,
    Prisma.sql`COALESCE(so."paidAt", so."createdAt") >= ${f.start}`,
    Prisma.sql`COALESCE(so."paidAt", so."createdAt") < ${f.end}`,
  ];
  if (scope.shopId) parts.push(Prisma.sql`s.id = ${scope.shopId}`);
  if (f.status) parts.push(Prisma.sql`so.status = ${f.status}::"ShopOrderStatus"`);
  return parts;
}

function lineWhere(f: ReportFilters) {
  return f.kind ? [Prisma.sql`l.kind = ${f.kind}::"ProductKind"`] : [];
}

// Shaped for 1,000,000 lines (docs/perf.md, "County reports"): the county's shop orders in the
// range are sorted once by their time (narrow rows, no lines yet), then each one's lines are read
// by ShopOrderLine(shopOrderId, id), with the first line found among them (no scan per row), and
// the output, already in time order, only needs an incremental sort of each time's few lines by
// id. The old plan joined and sorted every line of the county (per keyset page).
function select(
  scope: ReportScope,
  f: ReportFilters,
  after: { sortAt: Date; lineId: string } | null,
  limit: number | null,
): Prisma.Sql {
  const soParts = shopOrderWhere(scope, f);
  // A keyset page cannot start before its cursor's time: the shop orders before it are skipped too.
  if (after) soParts.push(Prisma.sql`COALESCE(so."paidAt", so."createdAt") >= ${after.sortAt}`);
  const lineParts = lineWhere(f);
  if (after) lineParts.push(Prisma.sql`(so."sortAt", l.id) > (${after.sortAt}, ${after.lineId})`);
  return Prisma.sql`
    SELECT l.id AS "lineId", so."orderNumber", so."shopOrderNumber", so."sortAt", so."shopOrderId",
           l."firstLineId", so."placedAt", so."paidAt", so."packedAt", so."handedOverAt", so."deliveredAt",
           so."shopSlug", so."shopNameZh", so."shopNameEn", so."villageZh", so."villageEn",
           l."titleZh", l."titleEn", l.kind::text AS kind, l."variantTitleZh", l."variantTitleEn",
           l.quantity, l."unitPriceFen", l."lineTotalFen", so."shippingFenAll", so."refundedFenAll",
           so.status, so.delivery, so."pickupPointZh", so."pickupPointEn", so."waybillNo",
           so."buyerName", so."buyerPhone"
      FROM (SELECT so.id AS "shopOrderId", COALESCE(so."paidAt", so."createdAt") AS "sortAt",
                   o.number AS "orderNumber", so.number AS "shopOrderNumber", o."createdAt" AS "placedAt",
                   so."paidAt", so."packedAt", so."handedOverAt", so."deliveredAt",
                   s.slug AS "shopSlug", s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn",
                   s."villageZh", s."villageEn",
                   so."shippingFen" AS "shippingFenAll", so."refundedFen" AS "refundedFenAll",
                   so.status::text AS status, so.delivery::text AS delivery,
                   pp."nameZh" AS "pickupPointZh", pp."nameEn" AS "pickupPointEn", sh."waybillNo",
                   o."contactName" AS "buyerName", o."contactPhone" AS "buyerPhone"
              FROM "ShopOrder" so
              JOIN "Shop" s ON s.id = so."shopId"
              JOIN "Order" o ON o.id = so."orderId"
              LEFT JOIN "PickupPoint" pp ON pp.id = so."pickupPointId"
              LEFT JOIN "Shipment" sh ON sh."shopOrderId" = so.id
             WHERE ${Prisma.join(soParts, " AND ")}
             ORDER BY 2) so
     CROSS JOIN LATERAL (
           -- Every line of the shop order counts for its first line, whatever the kind filter.
           SELECT l.id, l.kind, l."titleZh", l."titleEn", l."variantTitleZh", l."variantTitleEn", l.quantity,
                  l."unitPriceFen", l."lineTotalFen", min(l.id) OVER () AS "firstLineId"
             FROM "ShopOrderLine" l
            WHERE l."shopOrderId" = so."shopOrderId") l
     ${lineParts.length ? Prisma.sql`WHERE ${Prisma.join(lineParts, " AND ")}` : Prisma.empty}
     ORDER BY so."sortAt", l.id
     ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
}

async function page(
  scope: ReportScope,
  f: ReportFilters,
  after: { sortAt: Date; lineId: string } | null,
  limit: number,
): Promise<RawRow[]> {
  return unscopedDb().$queryRaw<RawRow[]>(select(scope, f, after, limit));
}

function toRow(raw: RawRow, includeContacts: boolean): OrderReportRow {
  const { sortAt: _s, shopOrderId: _o, firstLineId, shippingFenAll, refundedFenAll, buyerPhone, ...rest } = raw;
  const first = raw.lineId === firstLineId;
  return {
    ...rest,
    shippingFen: first ? shippingFenAll : 0,
    refundedFen: first ? refundedFenAll : 0,
    buyerMobile: includeContacts ? buyerPhone : maskMobile(buyerPhone),
  };
}

/** All rows of the report: a cursor on a PostgreSQL server, keyset pages on the embedded database. */
export function orderReportRows(
  scope: ReportScope,
  f: ReportFilters,
  batchSize = REPORT_PAGE_SIZE,
): AsyncGenerator<OrderReportRow> {
  return connection().cursor
    ? orderReportRowsByCursor(scope, f, batchSize)
    : orderReportRowsByKeyset(scope, f, batchSize);
}

/** All rows through one server-side cursor (pg-query-stream), `batchSize` rows fetched at a time. */
export async function* orderReportRowsByCursor(
  scope: ReportScope,
  f: ReportFilters,
  batchSize = REPORT_PAGE_SIZE,
): AsyncGenerator<OrderReportRow> {
  const cursor = connection().cursor;
  if (!cursor) throw new Error("the embedded database has no cursor: read the report in keyset pages");
  const query = select(scope, f, null, null);
  // JIT compiles the plan for seconds on its large cost estimate, for nothing at this plan's
  // speed; a sort of the county's shop orders in memory rather than on disk.
  const settings = { jit: "off", work_mem: "64MB" };
  for await (const r of cursor<RawRow>(query.text, query.values, batchSize, settings)) yield toRow(r, f.includeContacts);
}

/** All rows, one keyset page of `pageSize` at a time (the embedded database's way). */
export async function* orderReportRowsByKeyset(
  scope: ReportScope,
  f: ReportFilters,
  pageSize = REPORT_PAGE_SIZE,
): AsyncGenerator<OrderReportRow> {
  let after: { sortAt: Date; lineId: string } | null = null;
  for (;;) {
    const rows = await page(scope, f, after, pageSize);
    for (const r of rows) yield toRow(r, f.includeContacts);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { sortAt: last.sortAt, lineId: last.lineId };
  }
}

/** How many rows the report has (decides whether its file is made in the background). */
export async function orderReportCount(scope: ReportScope, f: ReportFilters): Promise<number> {
  const [row] = await unscopedDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n
      FROM "ShopOrderLine" l
      JOIN "ShopOrder" so ON so.id = l."shopOrderId"
      JOIN "Shop" s ON s.id = so."shopId"
     WHERE ${where(scope, f)}`;
  return row?.n ?? 0;
}

/** One screen page (50 rows) after a keyset cursor "<ms>_<lineId>"; `next` is the next page's cursor. */
export async function orderReportPage(scope: ReportScope, f: ReportFilters, cursor: string | null, size = 50) {
  const m = cursor ? /^(\d{1,15})_([a-z0-9]{1,40})$/.exec(cursor) : null;
  const after = m ? { sortAt: new Date(Number(m[1])), lineId: m[2]! } : null;
  const rows = await page(scope, f, after, size + 1);
  const shown = rows.slice(0, size);
  const last = shown[shown.length - 1];
  return {
    rows: shown.map((r) => toRow(r, f.includeContacts)),
    next: rows.length > size && last ? `${last.sortAt.getTime()}_${last.lineId}` : null,
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
