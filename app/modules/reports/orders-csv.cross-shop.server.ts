import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { readConnection, unscopedDb } from "~/db/index.server";
import { inlineStatement } from "~/db/inline-sql.server";
import { Prisma } from "~/generated/prisma/client";
import { addDays, shanghaiLocalToUtc } from "~/lib/time";
import { ORDER_COLUMNS, type DatabaseCsv } from "./columns";
import type { ReportFilters } from "./filters";
import { lineWhere, REPORT_QUERY_SETTINGS, shopOrderWhere, type ReportScope } from "./orders-report.cross-shop.server";

// The orders report's CSV made by the PostgreSQL server itself (`COPY (…) TO STDOUT (FORMAT csv)`),
// for a million rows at the database's speed with Node only passing bytes on (decision 021).
// Each cell is the SQL twin of what csv.server.ts's csvCell writes for that column, so the file is
// byte for byte the one Node writes from the same rows (tests/integration/county-exports-background.test.ts
// compares them): text through the formula guard, empty text as NULL (COPY writes "" for an empty
// string but nothing for NULL, as csv-stringify does for ""), times as "YYYY-MM-DD HH:mm" in
// Shanghai, money as yuan with two decimals. COPY quotes a field holding a comma, a quote, CR or LF,
// as csvRecord does. The embedded database has no COPY to a client: it gets Node's writer.

/**
 * The formula guard of csv.server.ts (a leading = + - @ tab or CR gets an apostrophe); '' → NULL.
 * `ascii` of the first character (0 for '') is one integer test instead of `left` and six text
 * comparisons (decision 032).
 */
const text = (e: string) =>
  `CASE WHEN ascii(${e}) IN (61, 43, 45, 64, 9, 13) THEN '''' || ${e} ELSE NULLIF(${e}, '') END`;
/** `pick` of ~/lib/i18n: the language's name, else the other one. */
const pick = (lng: string, zh: string, en: string) =>
  lng === "en" ? `COALESCE(NULLIF(${en}, ''), NULLIF(${zh}, ''))` : `COALESCE(NULLIF(${zh}, ''), NULLIF(${en}, ''))`;
/**
 * "YYYY-MM-DD HH:mm" in Shanghai: the timestamp's own text under the export's `TimeZone` and
 * `DateStyle` (COPY_SETTINGS), cut at the minute; the same text as `to_char` at half its cost.
 */
const time = (e: string) => `left((${e})::text, 16)`;
/** Yuan with two decimals: fen × 0.01 is a numeric of scale 2 (no division, no rounding). */
const money = (e: string) => `((${e}) * 0.01)::text`;
/** maskMobile: 138****1234; shorter ones keep their last 2 characters. */
const masked = (e: string) =>
  `CASE WHEN length(${e}) >= 11 THEN left(${e}, 3) || '****' || right(${e}, 4) ` +
  `WHEN length(${e}) > 2 THEN repeat('*', length(${e}) - 2) || right(${e}, 2) ELSE ${e} END`;

type Cell = (lng: string, includeContacts: boolean) => string;

// Each cell is made once where its value lives (decision 032): a shop's and a pickup point's once
// per shop or point, a shop order's and its order's once per shop order (after their sort, before
// the lines), a line's once per line. A million lines are about 530,000 shop orders.

/** Over the county's shops (`s`). */
const SHOP_CELLS: Record<string, Cell> = {
  shop: (lng) => text(pick(lng, `s."nameZh"`, `s."nameEn"`)),
  village: (lng) => text(pick(lng, `s."villageZh"`, `s."villageEn"`)),
};

/** Over the pickup points (`p`). */
const POINT_CELLS: Record<string, Cell> = {
  pickupPoint: (lng) => text(`CASE WHEN p."nameZh" <> '' THEN ${pick(lng, `p."nameZh"`, `p."nameEn"`)} END`),
};

/** Over the sorted shop orders (`so`, with their shop's and point's cells) and their order (`o`). */
const SHOP_ORDER_CELLS: Record<string, Cell> = {
  orderNumber: () => text(`o.number`),
  shopOrderNumber: () => text(`so.number`),
  placedAt: () => time(`o."createdAt"`),
  paidAt: () => time(`so."paidAt"`),
  packedAt: () => time(`so."packedAt"`),
  handedOverAt: () => time(`so."handedOverAt"`),
  deliveredAt: () => time(`so."deliveredAt"`),
  shop: () => `so.shop`,
  village: () => `so.village`,
  // Enum labels (upper-case words, never empty) need neither the guard nor NULLIF.
  status: () => `so.status::text`,
  delivery: () => `so.delivery::text`,
  pickupPoint: () => `so."pickupPoint"`,
  buyerName: () => text(`o."contactName"`),
  buyerMobile: (_lng, includeContacts) => text(includeContacts ? `o."contactPhone"` : masked(`o."contactPhone"`)),
  // The shop order's own figures, written on its first line only (LINE_CELLS).
  shippingAll: () => money(`so."shippingFen"`),
  refundedAll: () => money(`so."refundedFen"`),
};

/** Over the lines (`l`) and their shop order's cells (`so`). */
const LINE_CELLS: Record<string, Cell> = {
  product: (lng) => text(pick(lng, `l."titleZh"`, `l."titleEn"`)),
  kind: () => `l.kind::text`,
  variant: (lng) => text(pick(lng, `l."variantTitleZh"`, `l."variantTitleEn"`)),
  quantity: () => `l.quantity::text`,
  unitPrice: () => money(`l."unitPriceFen"`),
  lineTotal: () => money(`l."lineTotalFen"`),
  shipping: () => `CASE WHEN l.id = l."firstLineId" THEN so."shippingAll" ELSE '0.00' END`,
  refunded: () => `CASE WHEN l.id = l."firstLineId" THEN so."refundedAll" ELSE '0.00' END`,
};

const selectList = (cells: Record<string, Cell>, lng: string, includeContacts: boolean) =>
  Prisma.raw(
    Object.entries(cells)
      .map(([key, cell]) => `${cell(lng, includeContacts)} AS "${key}"`)
      .join(",\n  "),
  );

/**
 * The settings of the COPY's transaction: the report's (REPORT_QUERY_SETTINGS), and the time zone
 * and date style that `time` relies on (so the file does not depend on the server's defaults).
 */
export const COPY_SETTINGS: Readonly<Record<string, string>> = {
  ...REPORT_QUERY_SETTINGS,
  TimeZone: "Asia/Shanghai",
  DateStyle: "ISO, YMD",
};

/**
 * The COPY statement of the report's data rows (no header), values written in (COPY takes no
 * parameters): the rows and order of orderLinesStatement (decision 032). The county's shop orders
 * in the range, with their shop's and pickup point's cells, sorted by time; each one's order read
 * by its key and the shop order's cells made (`ORDER BY … OFFSET 0` keeps that subquery whole and
 * in order: once per shop order, not per line); then its lines by ShopOrderLine(shopOrderId, id),
 * and an incremental sort of each time's few lines by id.
 */
export function orderReportCopyStatement(scope: ReportScope, f: ReportFilters, lng: string): string {
  const contacts = f.includeContacts;
  const outer = ORDER_COLUMNS.map((c) => {
    const line = LINE_CELLS[c.key];
    if (line) return line(lng, contacts);
    if (SHOP_ORDER_CELLS[c.key]) return `so."${c.key}"`;
    throw new Error(`the orders report's column ${c.key} has no SQL cell`);
  });
  const lineParts = lineWhere(f);
  const query = Prisma.sql`
    SELECT ${Prisma.raw(outer.join(",\n  "))}
      FROM (SELECT so."sortAt", so."shopId", so."shopOrderId", ${selectList(SHOP_ORDER_CELLS, lng, contacts)}
              FROM (SELECT so."shopId", so.id AS "shopOrderId", COALESCE(so."paidAt", so."createdAt") AS "sortAt", so."orderId",
                           so.number, so."paidAt", so."packedAt", so."handedOverAt", so."deliveredAt",
                           so."shippingFen", so."refundedFen", so.status, so.delivery,
                           s.shop, s.village, p."pickupPoint"
                      FROM "ShopOrder" so
                      JOIN (SELECT s.id, s."countyId", ${selectList(SHOP_CELLS, lng, contacts)}
                              FROM "Shop" s WHERE s."countyId" = ${scope.countyId} OFFSET 0) s ON s.id = so."shopId"
                      LEFT JOIN (SELECT p.id, ${selectList(POINT_CELLS, lng, contacts)}
                                   FROM "PickupPoint" p OFFSET 0) p ON p.id = so."pickupPointId"
                     WHERE ${Prisma.join(shopOrderWhere(scope, f), " AND ")}
                     ORDER BY 2) so
              CROSS JOIN LATERAL (SELECT o.number, o."createdAt", o."contactName", o."contactPhone"
                                    FROM "Order" o WHERE o.id = so."orderId") o
             ORDER BY so."sortAt" OFFSET 0) so
     CROSS JOIN LATERAL (
           -- Every line of the shop order counts for its first line, whatever the kind filter.
           SELECT l.id, l.kind, l."titleZh", l."titleEn", l."variantTitleZh", l."variantTitleEn", l.quantity,
                  l."unitPriceFen", l."lineTotalFen", min(l.id) OVER () AS "firstLineId"
             FROM "ShopOrderLine" l
            WHERE l."shopId" = so."shopId" AND l."shopOrderId" = so."shopOrderId") l
     ${lineParts.length ? Prisma.sql`WHERE ${Prisma.join(lineParts, " AND ")}` : Prisma.empty}
     ORDER BY so."sortAt", l.id`;
  return `COPY (${inlineStatement(query)}) TO STDOUT WITH (FORMAT csv)`;
}

/**
 * From this many paid shop orders in the range (the roll-ups' count), the file is made by two
 * COPYs at once, each a half of the range by time: the database spends ~13 µs of one backend's CPU
 * per line, so a second backend on another core nearly halves a large export's time. The later
 * half is spilled to a temporary file while the earlier one streams, then follows it.
 */
export const SPLIT_MIN_ORDERS = 50_000;

/**
 * The report's CSV rows from the server, or null on the embedded database. Read from the replica
 * when the request may (the connection is chosen now, not when the file is streamed).
 */
export function orderReportDatabaseCsv(
  scope: ReportScope,
  f: ReportFilters,
  lng: string,
  splitMinOrders = SPLIT_MIN_ORDERS,
  reader = readConnection(),
): DatabaseCsv | null {
  const copyOut = reader.copyOut;
  if (!copyOut) return null;
  let rows = 0;
  const copy = (part: ReportFilters) =>
    copyOut(orderReportCopyStatement(scope, part, lng), COPY_SETTINGS, (n) => {
      rows += n;
    });
  async function* chunks() {
    const mid = await splitPoint(scope, f, splitMinOrders, reader.prisma);
    if (!mid) {
      yield* copy(f);
      return;
    }
    const later = spillToFile(copy({ ...f, start: mid }));
    try {
      yield* copy({ ...f, end: mid });
      yield* later.read();
    } finally {
      await later.discard();
    }
  }
  return { chunks: chunks(), rowCount: () => rows };
}

/**
 * The start of the Shanghai day after the one where half the range's paid shop orders are reached
 * (from the roll-ups: a few hundred rows), or null when the range is too small or one day.
 */
export async function splitPoint(
  scope: ReportScope,
  f: ReportFilters,
  minOrders: number,
  db: Prisma.TransactionClient = unscopedDb(),
): Promise<Date | null> {
  const shop = scope.shopId ? Prisma.sql`AND s.id = ${scope.shopId}` : Prisma.empty;
  const [median] = await db.$queryRaw<{ day: string; total: number }[]>`
    SELECT day::text AS day, total::float8 AS total
      FROM (SELECT r.day, SUM(SUM(r.orders)) OVER (ORDER BY r.day) AS upto, SUM(SUM(r.orders)) OVER () AS total
              FROM "SalesDaily" r JOIN "Shop" s ON s.id = r."shopId"
             WHERE s."countyId" = ${scope.countyId} ${shop} AND r.day >= ${f.from}::date AND r.day <= ${f.to}::date
             GROUP BY r.day) d
     WHERE upto * 2 >= total
     ORDER BY day LIMIT 1`;
  if (!median || median.total < minOrders) return null;
  const mid = shanghaiLocalToUtc(`${addDays(median.day, 1)}T00:00`);
  return mid > f.start && mid < f.end ? mid : null;
}

/** Writes `source` to a temporary file as it comes; `read` gives it back once complete. */
function spillToFile(source: AsyncIterable<Buffer>) {
  const file = path.join(os.tmpdir(), `county-report-${randomUUID()}.csv`);
  let stopped = false;
  const written = (async () => {
    const out = fs.createWriteStream(file);
    try {
      for await (const chunk of source) {
        if (stopped) break;
        if (!out.write(chunk)) await once(out, "drain");
      }
    } finally {
      out.end();
      await finished(out);
    }
  })();
  // Surfaced by read(); a discarded spill's failure does not matter.
  written.catch(() => undefined);
  return {
    async *read(): AsyncGenerator<Buffer> {
      await written;
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) yield chunk as Buffer;
    },
    async discard() {
      stopped = true;
      await written.catch(() => undefined);
      await fs.promises.rm(file, { force: true });
    },
  };
}
