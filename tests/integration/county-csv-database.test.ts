import fs from "node:fs";
import os from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { connection, unscopedDb } from "~/db/index.server";
import { inlineStatement } from "~/db/inline-sql.server";
import { Prisma } from "~/generated/prisma/client";
import { ORDER_COLUMNS } from "~/modules/reports/columns";
import { csvStream } from "~/modules/reports/csv.server";
import { parseReportFilters } from "~/modules/reports/filters";
import { rebuildSalesRollups } from "~/modules/reports/dashboard.cross-shop.server";
import { orderReportDatabaseCsv, splitPoint } from "~/modules/reports/orders-csv.cross-shop.server";
import { orderReportRowsByKeyset, type ReportScope } from "~/modules/reports/orders-report.cross-shop.server";
import { reportFileBody } from "~/modules/reports/report-file.server";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Decision 021: on a PostgreSQL server the orders report's CSV is written by the database
// (COPY … TO STDOUT). It must be byte for byte the file Node writes from the same rows — the
// formula guard, quoting, empty cells, Shanghai minutes, yuan, masking, both languages, every
// filter — and a reader that stops early must not keep a connection.

let countyId = "";
let shopAId = "";

beforeAll(async () => {
  const f = await twoShops();
  await unscopedDb().variant.updateMany({
    where: { id: { in: [f.a.p6.id, f.a.p12.id, f.b.p6.id] } },
    data: { stock: 500 },
  });
  const shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A } });
  shopAId = shopA.id;
  countyId = shopA.countyId;
  // Shops A and B in one county, so the report has both and the shop filter means something.
  await unscopedDb().shop.update({ where: { slug: SHOP_B }, data: { countyId } });
  const names = ['=HYPERLINK("http://x","y")', "李, 买家", 'say "hi"', "two\nlines", "+1", "-2", "@sum", "\tTab", "王"];
  const orders = [];
  for (const [i, name] of names.entries()) {
    orders.push(
      await placeTestOrder({
        lines: [
          { variantId: i % 2 ? f.a.p6.id : f.b.p6.id, quantity: 1 + (i % 3) },
          { variantId: f.a.p12.id, quantity: 1 },
        ],
        contactName: name,
        contactPhone: `1391234${String(1000 + i)}`,
        offlineMethod: i % 2 ? "COD" : "BANK_TRANSFER",
      }),
    );
  }
  const db = unscopedDb();
  // Times on a Shanghai minute's edges, a line without English titles, a shop with an empty
  // English name, a pickup point, shipping and a refund (on the first line only).
  const so = await db.shopOrder.findMany({ where: { shopId: shopAId }, orderBy: { createdAt: "asc" } });
  await db.shopOrder.update({
    where: { shopId_id: { shopId: so[0]!.shopId, id: so[0]!.id } },
    data: {
      paidAt: new Date("2026-11-30T15:59:59.999Z"),
      packedAt: new Date("2026-11-30T16:00:00.000Z"),
      handedOverAt: new Date("2026-12-01T03:04:30.500Z"),
      deliveredAt: new Date("2026-12-02T10:00:00.000Z"),
      refundedFen: 1,
    },
  });
  const point = await db.pickupPoint.create({
    data: {
      countyId,
      code: "CSV-1",
      kind: "POINT",
      nameZh: "白兔镇=服务站",
      nameEn: "Baitu, station",
      addressZh: "白兔镇 1 号",
      addressEn: "1 Baitu Road",
    },
  });
  await db.shopOrder.update({
    where: { shopId_id: { shopId: so[1]!.shopId, id: so[1]!.id } },
    data: { delivery: "PICKUP_POINT", pickupPointId: point.id },
  });
  const line = await db.shopOrderLine.findFirstOrThrow({ where: { shopOrderId: so[2]!.id } });
  await db.shopOrderLine.update({
    where: { shopId_id: { shopId: line.shopId, id: line.id } },
    data: { titleEn: null, variantTitleEn: "" },
  });
  await db.shop.update({ where: { id: shopAId }, data: { nameEn: "" } });
  // The other shop orders paid over the days before, so a large export's two halves by time
  // have rows each (the split reads the roll-ups).
  const rest = await db.shopOrder.findMany({ where: { id: { not: so[0]!.id } }, orderBy: { createdAt: "asc" } });
  for (const [i, other] of rest.entries())
    await db.shopOrder.update({
      where: { shopId_id: { shopId: other.shopId, id: other.id } },
      data: { paidAt: new Date(Date.UTC(2026, 10, 21 + (i % 12), 2, i)) },
    });
  await rebuildSalesRollups();
  expect(orders.length).toBe(names.length);
});

async function nodeCsv(scope: ReportScope, search: Record<string, string>, lng: string) {
  const parsed = parseReportFilters(new URLSearchParams(search));
  if (!parsed.ok) throw new Error(parsed.error);
  const body = csvStream({
    header: ORDER_COLUMNS.map((c) => c.key),
    columns: ORDER_COLUMNS,
    rows: orderReportRowsByKeyset(scope, parsed.filters, 3) as never,
    lng,
    t: ((key: string) => key) as never,
    onDone: async () => undefined,
  });
  return Buffer.from(await new Response(body).arrayBuffer());
}

async function databaseCsv(scope: ReportScope, search: Record<string, string>, lng: string, splitMinOrders?: number) {
  const parsed = parseReportFilters(new URLSearchParams(search));
  if (!parsed.ok) throw new Error(parsed.error);
  const csv = orderReportDatabaseCsv(scope, parsed.filters, lng, splitMinOrders);
  if (!csv) throw new Error("no COPY on this database");
  let rows = -1;
  const progress: number[] = [];
  const body = reportFileBody(
    "csv",
    {
      title: "",
      sheetName: "",
      header: ORDER_COLUMNS.map((c) => c.key),
      columns: ORDER_COLUMNS,
      rows: [] as never,
      lng,
      t: ((key: string) => key) as never,
      databaseCsv: csv,
    },
    {
      t: ((key: string) => key) as never,
      lng,
      now: new Date(),
      onDone: async (n) => {
        rows = n;
      },
      progress: async (n) => {
        progress.push(n);
      },
      progressEvery: 2,
    },
  );
  const bytes = Buffer.from(await new Response(body).arrayBuffer());
  return { bytes, rows, progress };
}

describe("the orders CSV made by the database", () => {
  it("is byte for byte the file Node writes, in both languages, masked or not, under every filter", async (context) => {
    if (!connection().copyOut) return context.skip(); // the embedded database writes it in Node
    const scope = { countyId };
    const { status } = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { shopId: shopAId },
      select: { status: true },
    });
    const cases: [ReportScope, Record<string, string>][] = [
      [scope, {}],
      [scope, { includeContacts: "1" }],
      [scope, { kind: "PRODUCE" }],
      [{ countyId, shopId: shopAId }, { status }],
      [scope, { from: "2026-12-01", to: "2026-12-01" }],
      [scope, { from: "2026-11-01", to: "2026-12-31" }],
    ];
    let compared = 0;
    for (const lng of ["zh-CN", "en"]) {
      for (const [s, search] of cases) {
        const node = await nodeCsv(s, search, lng);
        // Whole, and in two halves by time from the first paid order on (the split of large exports).
        const split = await databaseCsv(s, search, lng, 1);
        expect(split.bytes.toString("utf8"), JSON.stringify(search)).toBe(node.toString("utf8"));
        const db = await databaseCsv(s, search, lng);
        expect(db.bytes.toString("utf8")).toBe(node.toString("utf8"));
        const lines = node.toString("utf8").split("\n").length - 2; // header, and the final "\n"
        if (!search.from) expect(db.rows, JSON.stringify(search)).toBeGreaterThan(0);
        compared += db.rows;
        expect(db.rows).toBeLessThanOrEqual(lines);
      }
    }
    expect(compared).toBeGreaterThan(40);
    const wide = parseReportFilters(new URLSearchParams({ from: "2026-11-01", to: "2026-12-31" }));
    if (!wide.ok) throw new Error(wide.error);
    expect(await splitPoint(scope, wide.filters, 1)).toBeInstanceOf(Date);
    expect(await splitPoint(scope, wide.filters, 1_000_000)).toBeNull();
  });

  it("neutralises formulas, quotes what needs it, masks mobiles and writes Shanghai minutes", async (context) => {
    if (!connection().copyOut) return context.skip();
    const { bytes, rows, progress } = await databaseCsv({ countyId }, {}, "zh-CN");
    const text = bytes.toString("utf8");
    expect(text.startsWith("\uFEFForderNumber,")).toBe(true);
    expect(text).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(text).toContain(`,"李, 买家",`);
    expect(text).toContain(`,"two\nlines",`);
    expect(text).toContain(",'+1,");
    expect(text).toContain(",'@sum,");
    expect(text).toContain(`,'\tTab,`);
    expect(text).toContain(",139****1000\n");
    expect(text).not.toContain("13912341000");
    expect(text).toContain(",2026-11-30 23:59,2026-12-01 00:00,2026-12-01 11:04,2026-12-02 18:00,");
    const first = await unscopedDb().shopOrder.findFirstOrThrow({
      where: { shopId: shopAId, refundedFen: 1 },
      select: { shippingFen: true },
    });
    expect(first.shippingFen).toBeGreaterThan(0);
    expect(text).toContain(`,${(first.shippingFen / 100).toFixed(2)},0.01,`);
    expect(text).toContain(",白兔镇=服务站,");
    expect(rows).toBe(18);
    // Progress counts line ends: the buyer name with a line break (on its order's 2 lines) runs
    // it 2 ahead, no more.
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(progress.at(-1)!).toBeLessThanOrEqual(rows + 2);
  });

  it("a reader that stops early closes its connections and leaves no spilled half, and the pool goes on", async (context) => {
    if (!connection().copyOut) return context.skip();
    const parsed = parseReportFilters(new URLSearchParams({ from: "2026-11-01", to: "2026-12-31" }));
    if (!parsed.ok) throw new Error(parsed.error);
    const spilled = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("county-report-")).length;
    const before = spilled();
    for (let i = 0; i < 15; i++) {
      const csv = orderReportDatabaseCsv({ countyId }, parsed.filters, "zh-CN", i % 2 ? 1 : undefined)!;
      for await (const _chunk of csv.chunks) break;
    }
    expect(spilled()).toBe(before);
    // The pool has 10 connections: had any stayed taken, this would wait forever.
    expect(await unscopedDb().shop.count()).toBeGreaterThan(0);
  });
});

describe("a statement with its values written in", () => {
  it("reads back the same values from the database", async () => {
    const when = new Date("2026-12-05T01:02:03.456Z");
    const tricky = `it's \\ "quoted" \\' ; DROP TABLE "Shop"; --`;
    const sql = inlineStatement(Prisma.sql`SELECT ${tricky}::text AS s, ${when} AS d, ${42} AS n, ${null}::text AS z`);
    expect(sql).not.toContain("$1");
    const [row] = await connection().raw.query<{ s: string; d: Date; n: number; z: null }>(sql);
    expect(row!.s).toBe(tricky);
    expect(new Date(row!.d).getTime()).toBe(when.getTime());
    expect(Number(row!.n)).toBe(42);
    expect(row!.z).toBeNull();
    expect(() => inlineStatement(Prisma.sql`SELECT ${Number.NaN}`)).toThrow();
    expect(() => inlineStatement(Prisma.sql`SELECT ${{ a: 1 }}`)).toThrow();
  });
});
