import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { parseReportFilters } from "~/modules/reports/filters";
import { orderReportRows } from "~/modules/reports/orders-report.cross-shop.server";
import { createUser, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// The county coordinator's orders report (issue #11): on screen, as CSV and as XLSX, only the
// county's own shops, buyers' mobiles masked unless asked for, every export logged.

let app: (request: Request) => Promise<Response>;
let coordA: Session;
let coordB: Session;
let coordAId: string;
let countyA: { id: string; code: string };
let countyB: { id: string; code: string };
const EVIL = '=HYPERLINK("http://x")';

function get(session: Session, path: string, lang = "zh-CN") {
  const url = new URL(`http://localhost${path}`);
  url.searchParams.set("lng", lang);
  return app(new Request(url, { headers: { Cookie: session.cookie, Accept: "text/html" } }));
}

async function countySum(countyId: string) {
  const lines = await unscopedDb().shopOrderLine.findMany({
    where: { shop: { countyId } },
    select: { lineTotalFen: true },
  });
  return lines.reduce((s, l) => s + l.lineTotalFen, 0);
}

beforeAll(async () => {
  app = await startApp();
  const f = await twoShops();
  countyA = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A }, select: { county: true } })).county;
  countyB = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_B }, select: { county: true } })).county;
  await unscopedDb().product.updateMany({ where: { id: f.a.p6.productId }, data: { titleZh: EVIL } });
  await placeTestOrder({
    lines: [
      { variantId: f.a.p6.id, quantity: 2 },
      { variantId: f.a.p12.id, quantity: 1 },
      { variantId: f.b.p6.id, quantity: 3 },
    ],
    contactPhone: "13812341234",
  });
  await placeTestOrder({ lines: [{ variantId: f.a.p12.id, quantity: 1 }], contactPhone: "13900001111" });
  await placeTestOrder({ lines: [{ variantId: f.b.p12.id, quantity: 1 }] });
  const a = await createUser();
  const b = await createUser();
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyA.id, userId: a.id } });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyB.id, userId: b.id } });
  coordAId = a.id;
  coordA = await signedIn(a.id);
  coordB = await signedIn(b.id);
});

afterAll(async () => {
  await stopApp();
});

describe("the orders report as CSV", () => {
  it("has a BOM, sums to the database's line totals, guards formulas and masks mobiles", async () => {
    const res = await get(coordA, `/county/${countyA.code}/reports/orders.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect(res.headers.get("Content-Disposition")).toMatch(
      new RegExp(`attachment; filename="orders-${countyA.code}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records.length).toBe(3);
    const total = records.reduce((s, r) => s + Math.round(Number(r["小计（元）"]) * 100), 0);
    expect(total).toBe(await countySum(countyA.id));
    expect(records.every((r) => r["合作社"] !== "" && !r["合作社"]!.includes("beta"))).toBe(true);
    expect(records.map((r) => r["商品"])).toContain(`'${EVIL}`);
    expect(records.map((r) => r["手机号"])).toContain("138****1234");
    expect(text).not.toContain("13812341234");
    expect(records[0]!["下单时间"]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(records[0]!["小计（元）"]).toMatch(/^\d+\.\d{2}$/);

    const full = await get(coordA, `/county/${countyA.code}/reports/orders.csv?includeContacts=1`);
    const fullText = await full.text();
    expect(fullText).toContain("13812341234");

    const events = await unscopedDb().securityEvent.findMany({ where: { type: "export", userId: coordAId } });
    const details = events.map((e) => e.detail as Record<string, unknown>);
    expect(details).toContainEqual(
      expect.objectContaining({
        county: countyA.code,
        report: "orders",
        format: "csv",
        includeContacts: false,
        rows: 3,
      }),
    );
    expect(details).toContainEqual(expect.objectContaining({ includeContacts: true, rows: 3 }));
    expect((details[0]!.filters as Record<string, unknown>).from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("county B's export has only county B's rows", async () => {
    const res = await get(coordB, `/county/${countyB.code}/reports/orders.csv`);
    const records = parse((await res.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(records.length).toBe(2);
    expect(records.some((r) => r["商品"]!.includes("HYPERLINK"))).toBe(false);
    const total = records.reduce((s, r) => s + Math.round(Number(r["小计（元）"]) * 100), 0);
    expect(total).toBe(await countySum(countyB.id));
  });

  it("bad dates are a translated 400; another county's shop is a 404", async () => {
    const bad = await get(coordA, `/county/${countyA.code}/reports/orders.csv?from=2026-13-01`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("日期");
    const order = await get(coordA, `/county/${countyA.code}/reports/orders.csv?from=2026-12-05&to=2026-12-01`, "en");
    expect(order.status).toBe(400);
    expect(await order.text()).toContain("start date");
    const long = await get(coordA, `/county/${countyA.code}/reports/orders.xlsx?from=2025-01-01&to=2026-12-01`);
    expect(long.status).toBe(400);
    const otherShop = await get(coordA, `/county/${countyA.code}/reports/orders.csv?shop=${SHOP_B}`);
    expect(otherShop.status).toBe(404);
    const ownShop = await get(coordA, `/county/${countyA.code}/reports/orders.csv?shop=${SHOP_A}&kind=PRODUCE`);
    expect(ownShop.status).toBe(200);
  });
});

describe("the orders report as XLSX", () => {
  it("reads back with the same sums, a bold frozen header and money as numbers", async () => {
    const res = await get(coordA, `/county/${countyA.code}/reports/orders.xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(".xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain("订单报表");
    const header = sheet.getRow(2);
    expect(header.getCell(1).value).toBe("订单号");
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    const headers = (header.values as unknown[]).map(String);
    const totalCol = headers.indexOf("小计（元）");
    const placedCol = headers.indexOf("下单时间");
    let sum = 0;
    let rows = 0;
    for (let r = 3; r <= sheet.rowCount; r++) {
      const cell = sheet.getRow(r).getCell(totalCol);
      if (cell.value === null) continue;
      expect(typeof cell.value).toBe("number");
      expect(cell.numFmt).toBe('"¥"#,##0.00');
      expect(sheet.getRow(r).getCell(placedCol).value).toBeInstanceOf(Date);
      sum += Math.round((cell.value as number) * 100);
      rows++;
    }
    expect(rows).toBe(3);
    expect(sum).toBe(await countySum(countyA.id));
    const events = await unscopedDb().securityEvent.findMany({ where: { type: "export", userId: coordAId } });
    expect(events.map((e) => e.detail)).toContainEqual(expect.objectContaining({ format: "xlsx", rows: 3 }));
  });
});

describe("access", () => {
  it("county B's coordinator gets a 404 for county A's reports and files", async () => {
    for (const path of ["reports", "reports/orders.csv", "reports/orders.xlsx"]) {
      const res = await get(coordB, `/county/${countyA.code}/${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("the reports page", () => {
  it("shows the rows with masked mobiles, links to both files with the same filters, and a nav entry", async () => {
    const res = await get(coordA, `/county/${countyA.code}/reports?kind=PRODUCE&includeContacts=1`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("订单报表");
    expect(html).toContain("138****1234");
    expect(html).not.toContain("13812341234");
    expect(html).toMatch(
      /reports\/orders\.csv\?from=\d{4}-\d{2}-\d{2}&amp;to=\d{4}-\d{2}-\d{2}&amp;kind=PRODUCE&amp;includeContacts=1/,
    );
    expect(html).toContain("orders.xlsx?");
    expect(html).toContain(`href="/county/${countyA.code}/reports"`);
    expect(html).not.toContain("cart-beta");
  });

  it("an empty range says to widen the dates; a bad date is a 400 with the message; English works", async () => {
    const empty = await get(coordA, `/county/${countyA.code}/reports?from=2020-01-01&to=2020-01-31`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain("请放宽日期范围");
    const bad = await get(coordA, `/county/${countyA.code}/reports?from=2026-02-30`, "en");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Dates are YYYY-MM-DD");
    const other = await get(coordA, `/county/${countyA.code}/reports?shop=${SHOP_B}`);
    expect(other.status).toBe(404);
  });
});

describe("the keyset reader", () => {
  it("pages of one row give the same rows, in order, as one big page", async () => {
    const parsed = parseReportFilters(new URLSearchParams());
    if (!parsed.ok) throw new Error(parsed.error);
    const all: string[] = [];
    for await (const row of orderReportRows({ countyId: countyA.id }, parsed.filters)) all.push(row.lineId);
    const paged: string[] = [];
    for await (const row of orderReportRows({ countyId: countyA.id }, parsed.filters, 1)) paged.push(row.lineId);
    expect(all.length).toBe(3);
    expect(paged).toEqual(all);
  });
});
