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
import { orderLinesStatement, REPORT_QUERY_SETTINGS, type ReportScope } from "./orders-report.cross-shop.server";

// The orders report's CSV made by the PostgreSQL server itself (`COPY (…) TO STDOUT (FORMAT csv)`),
// for a million rows at the database's speed with Node only passing bytes on (decision 021).
// Each cell is the SQL twin of what csv.server.ts's csvCell writes for that column, so the file is
// byte for byte the one Node writes from the same rows (tests/integration/county-exports-background.test.ts
// compares them): text through the formula guard, empty text as NULL (COPY writes "" for an empty
// string but nothing for NULL, as csv-stringify does for ""), times as "YYYY-MM-DD HH:mm" in
// Shanghai, money as yuan with two decimals. COPY quotes a field holding a comma, a quote, CR or LF,
// as csvRecord does. The embedded database has no COPY to a client: it gets Node's writer.

/** The formula guard of csv.server.ts (a leading = + - @ tab or CR gets an apostrophe); '' → NULL. */
const text = (e: string) =>
  `NULLIF(CASE WHEN left(${e}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${e} ELSE ${e} END, '')`;
/** `pick` of ~/lib/i18n: the language's name, else the other one. */
const pick = (lng: string, zh: string, en: string) =>
  lng === "en" ? `COALESCE(NULLIF(${en}, ''), NULLIF(${zh}, ''))` : `COALESCE(NULLIF(${zh}, ''), NULLIF(${en}, ''))`;
const time = (e: string) => `to_char(${e} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
const money = (e: string) => `(${e}::numeric / 100)::numeric(20, 2)::text`;
/** maskMobile: 138****1234; shorter ones keep their last 2 characters. */
const masked = (e: string) =>
  `CASE WHEN length(${e}) >= 11 THEN left(${e}, 3) || '****' || right(${e}, 4) ` +
  `WHEN length(${e}) > 2 THEN repeat('*', length(${e}) - 2) || right(${e}, 2) ELSE ${e} END`;
const onFirstLine = (e: string) => `CASE WHEN l.id = l."firstLineId" THEN ${e} ELSE 0 END`;

/** ORDER_COLUMNS' cells, by key, over orderLinesStatement's aliases (so, o, l). */
const CELLS: Record<string, (lng: string, includeContacts: boolean) => string> = {
  orderNumber: () => text(`o."orderNumber"`),
  shopOrderNumber: () => text(`so."shopOrderNumber"`),
  placedAt: () => time(`o."placedAt"`),
  paidAt: () => time(`so."paidAt"`),
  packedAt: () => time(`so."packedAt"`),
  handedOverAt: () => time(`so."handedOverAt"`),
  deliveredAt: () => time(`so."deliveredAt"`),
  shop: (lng) => text(pick(lng, `so."shopNameZh"`, `so."shopNameEn"`)),
  village: (lng) => text(pick(lng, `so."villageZh"`, `so."villageEn"`)),
  product: (lng) => text(pick(lng, `l."titleZh"`, `l."titleEn"`)),
  kind: () => text(`l.kind::text`),
  variant: (lng) => text(pick(lng, `l."variantTitleZh"`, `l."variantTitleEn"`)),
  quantity: () => `l.quantity::text`,
  unitPrice: () => money(`l."unitPriceFen"`),
  lineTotal: () => money(`l."lineTotalFen"`),
  shipping: () => money(onFirstLine(`so."shippingFenAll"`)),
  refunded: () => money(onFirstLine(`so."refundedFenAll"`)),
  status: () => text(`so.status`),
  delivery: () => text(`so.delivery`),
  pickupPoint: (lng) =>
    text(`CASE WHEN so."pickupPointZh" <> '' THEN ${pick(lng, `so."pickupPointZh"`, `so."pickupPointEn"`)} END`),
  buyerName: () => text(`o."buyerName"`),
  buyerMobile: (_lng, includeContacts) => text(includeContacts ? `o."buyerPhone"` : masked(`o."buyerPhone"`)),
};

/** The COPY statement of the report's data rows (no header), values written in (COPY takes no parameters). */
export function orderReportCopyStatement(scope: ReportScope, f: ReportFilters, lng: string): string {
  const cells = ORDER_COLUMNS.map((c) => {
    const cell = CELLS[c.key];
    if (!cell) throw new Error(`the orders report's column ${c.key} has no SQL cell`);
    return cell(lng, f.includeContacts);
  });
  const query = orderLinesStatement({
    scope,
    f,
    columns: Prisma.raw(cells.join(",\n  ")),
    shopOrderColumns: Prisma.sql`, s."nameZh" AS "shopNameZh", s."nameEn" AS "shopNameEn", s."villageZh", s."villageEn",
      pp."nameZh" AS "pickupPointZh", pp."nameEn" AS "pickupPointEn"`,
    shopOrderJoins: Prisma.sql`LEFT JOIN "PickupPoint" pp ON pp.id = so."pickupPointId"`,
  });
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
    copyOut(orderReportCopyStatement(scope, part, lng), REPORT_QUERY_SETTINGS, (n) => {
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
