import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { lastFullMonth } from "~/modules/reports/month";
import type { MonthFigures, MonthlyStatistics } from "~/modules/reports/monthly-statistics";
import { syncTenants } from "~/modules/tenants/sync.server";
import { MONEY_FORMAT, PERCENT_FORMAT } from "~/modules/reports/xlsx.server";
import { loader as monthLoader } from "~/routes/county.$code.statistics.$month";
import { loader as xlsxLoader } from "~/routes/county.$code.statistics.$month[.xlsx]";
import { loader as indexLoader } from "~/routes/county.$code.statistics._index";
import { createUser, getAs, run, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { placeTestOrder, type PlacedOrder } from "./orders-fixtures";

// The county's monthly statistics (issue #11): for November 2026 (Shanghai), October 2026 and
// November 2025, the figures equal what the orders below give by hand, on Shanghai month
// boundaries; the XLSX read back holds the page's numbers; county B never counts and gets 404.

const GAMMA = "stats-gamma";
const P6 = 16800;
const TEA = 38800;
const TICKET = 4800;

let countyA: { id: string; code: string; nameZh: string };
let countyB: { id: string; code: string };
let coordA: Session;
let coordB: Session;
let coordAId: string;
let shopA: string;
let shopB: string;
let gamma: string;
const so: Record<string, { id: string; totalFen: number }> = {};

const utc = (iso: string) => new Date(iso);

/** Pays a placed order and its shop orders at `paidAt`. */
async function pay(placed: PlacedOrder, paidAt: Date) {
  await unscopedDb().order.update({ where: { id: placed.orderId }, data: { status: "PAID", paidAt } });
  await unscopedDb().shopOrder.updateMany({ where: { orderId: placed.orderId }, data: { status: "PAID", paidAt } });
}

async function handOver(shopOrderId: string, at: Date, parcelCount: number) {
  const { shopId } = await unscopedDb().shopOrder.findFirstOrThrow({
    where: { id: shopOrderId },
    select: { shopId: true },
  });
  const row = await unscopedDb().shopOrder.update({
    where: { shopId_id: { shopId, id: shopOrderId } },
    data: { status: "HANDED_OVER", packedAt: at, handedOverAt: at },
    select: { shopId: true, delivery: true, shop: { select: { countyId: true } } },
  });
  await unscopedDb().shipment.upsert({
    where: { shopId_shopOrderId: { shopId: row.shopId, shopOrderId } },
    update: { parcelCount },
    create: {
      shopId: row.shopId,
      shopOrderId,
      countyId: row.shop.countyId,
      status: "ACCEPTED",
      delivery: row.delivery,
      parcelCount,
      weightGrams: 1000,
    },
  });
}

async function refund(
  shopOrderId: string,
  amountFen: number,
  status: "SUCCEEDED" | "PENDING",
  completedAt: Date | null,
) {
  const row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: shopOrderId }, select: { shopId: true } });
  await unscopedDb().refund.create({
    data: {
      shopId: row.shopId,
      shopOrderId,
      amountFen,
      status,
      lines: [],
      idempotencyKey: randomBytes(8).toString("hex"),
      createdAt: completedAt ?? new Date(),
      completedAt,
    },
  });
}

beforeAll(async () => {
  const f = await twoShops();
  const results = await syncTenants(writePacks([samplePack(GAMMA)]), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  const shops = await unscopedDb().shop.findMany({
    where: { slug: { in: [SHOP_A, SHOP_B, GAMMA] } },
    select: { id: true, slug: true, county: { select: { id: true, code: true, nameZh: true } } },
  });
  const bySlug = (slug: string) => shops.find((s) => s.slug === slug)!;
  shopA = bySlug(SHOP_A).id;
  shopB = bySlug(SHOP_B).id;
  gamma = bySlug(GAMMA).id;
  countyA = bySlug(SHOP_A).county;
  countyB = bySlug(SHOP_B).county;
  expect(bySlug(GAMMA).county.id).toBe(countyA.id);
  expect(countyB.id).not.toBe(countyA.id);

  // Townships, and when each shop went live: A on 2026-11-01 00:30 Shanghai (November, new),
  // gamma in November 2025 (new a year earlier), B in November too (another county).
  await unscopedDb().shop.update({
    where: { id: shopA },
    data: { townZh: "阳山镇", townEn: "Yangshan", approvedAt: utc("2026-10-31T16:30:00Z") },
  });
  await unscopedDb().shop.update({
    where: { id: gamma },
    data: { townZh: "桃源镇", townEn: "Taoyuan", approvedAt: utc("2025-11-15T02:00:00Z") },
  });
  await unscopedDb().shop.update({ where: { id: shopB }, data: { approvedAt: utc("2026-11-10T02:00:00Z") } });
  const gammaVariants = await unscopedDb().variant.findMany({
    where: { shopId: gamma },
    select: { id: true, sku: true },
  });
  const gP6 = gammaVariants.find((v) => v.sku === `${GAMMA}-P6`)!.id;
  const gTicket = gammaVariants.find((v) => v.sku === `${GAMMA}-E1`)!.id;
  const gSlot = (await unscopedDb().experienceSlot.findFirstOrThrow({ where: { shopId: gamma }, select: { id: true } }))
    .id;
  await unscopedDb().variant.updateMany({ where: { id: f.a.tea.id }, data: { stock: 10 } });

  // o1: A, 2 boxes + a tea, paid 2026-11-01 00:30 Shanghai (still October in UTC); 2 parcels in November.
  const o1 = await placeTestOrder({
    lines: [
      { variantId: f.a.p6.id, quantity: 2 },
      { variantId: f.a.tea.id, quantity: 1 },
    ],
    contactPhone: "13900000001",
  });
  await pay(o1, utc("2026-10-31T16:30:00Z"));
  so.o1A = o1.shopOrders.get(shopA)!;
  await handOver(so.o1A.id, utc("2026-11-03T02:00:00Z"), 2);

  // o2: the same buyer across A and gamma, paid 2026-11-30 23:59 Shanghai; A's parcel handed over
  // in November, gamma's on 2026-12-01 00:30 Shanghai (December).
  const o2 = await placeTestOrder({
    lines: [
      { variantId: f.a.p6.id, quantity: 1 },
      { variantId: gP6, quantity: 1 },
    ],
    contactPhone: "13900000001",
  });
  await pay(o2, utc("2026-11-30T15:59:00Z"));
  so.o2A = o2.shopOrders.get(shopA)!;
  so.o2G = o2.shopOrders.get(gamma)!;
  await handOver(so.o2A.id, utc("2026-11-30T15:59:30Z"), 1);
  await handOver(so.o2G.id, utc("2026-11-30T16:30:00Z"), 4);

  // o3: A, paid 2026-12-01 00:00 Shanghai: December, never November.
  const o3 = await placeTestOrder({
    lines: [{ variantId: f.a.ticket.id, quantity: 2, slotId: f.a.slot }],
    contactPhone: "13900000002",
  });
  await pay(o3, utc("2026-11-30T16:00:00Z"));

  // o4: gamma, paid in October 2026; refunded 50 yuan on 2026-11-05 (a November refund).
  const o4 = await placeTestOrder({ lines: [{ variantId: gP6, quantity: 1 }], contactPhone: "13900000003" });
  await pay(o4, utc("2026-10-15T04:00:00Z"));
  so.o4G = o4.shopOrders.get(gamma)!;
  await refund(so.o4G.id, 5000, "SUCCEEDED", utc("2026-11-05T04:00:00Z"));
  // Neither a pending refund nor one completed in December counts in November.
  await refund(so.o4G.id, 700, "PENDING", null);
  await refund(so.o1A.id, 900, "SUCCEEDED", utc("2026-11-30T16:00:00Z"));

  // o5: A, 3 boxes paid in November 2025 and handed over then (3 parcels).
  const o5 = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 3 }], contactPhone: "13900000004" });
  await pay(o5, utc("2025-11-10T04:00:00Z"));
  so.o5A = o5.shopOrders.get(shopA)!;
  await handOver(so.o5A.id, utc("2025-11-11T04:00:00Z"), 3);

  // o6: A, placed and never paid. o7: county B, paid in November. o8: a gamma experience in November.
  await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }], contactPhone: "13900000006" });
  const o7 = await placeTestOrder({ lines: [{ variantId: f.b.p6.id, quantity: 1 }], contactPhone: "13900000007" });
  await pay(o7, utc("2026-11-12T04:00:00Z"));
  so.o7B = o7.shopOrders.get(shopB)!;
  const o8 = await placeTestOrder({
    lines: [{ variantId: gTicket, quantity: 1, slotId: gSlot }],
    contactPhone: "13900000005",
  });
  await pay(o8, utc("2026-11-10T04:00:00Z"));
  so.o8G = o8.shopOrders.get(gamma)!;

  const a = await createUser({ name: "A 县协调员" });
  const b = await createUser({ name: "B 县协调员" });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyA.id, userId: a.id } });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyB.id, userId: b.id } });
  coordAId = a.id;
  coordA = await signedIn(a.id);
  coordB = await signedIn(b.id);
});

afterAll(async () => {
  await stopApp();
});

const pageUrl = (code: string, month: string) => `http://localhost/county/${code}/statistics/${month}`;
type PageData = { error: string | null; title: string; stats: MonthlyStatistics | null };

async function page(session: Session, code: string, month: string) {
  const res = await run(monthLoader as never, getAs(session, pageUrl(code, month)), { code, month });
  return { status: res.status, data: res.data as unknown as PageData };
}

const zero: MonthFigures = {
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
};

describe("the monthly statistics' figures", () => {
  it("equal the orders by hand for the month, the month before and the same month last year", async () => {
    const { status, data } = await page(coordA, countyA.code, "2026-11");
    expect(status).toBe(200);
    const s = data.stats!;
    expect(s.months).toEqual({ current: "2026-11", previous: "2026-10", lastYear: "2025-11" });
    expect(data.title).toBe(`${countyA.nameZh} 2026年11月 农村电子商务统计月报`);

    const sales = so.o1A!.totalFen + so.o2A!.totalFen + so.o2G!.totalFen + so.o8G!.totalFen;
    const goods = { produce: 3 * P6 + P6, specialty: TEA, experience: TICKET };
    expect(s.county.current).toEqual({
      salesFen: sales,
      produceFen: goods.produce,
      specialtyFen: goods.specialty,
      experienceFen: goods.experience,
      shippingFen: sales - goods.produce - goods.specialty - goods.experience,
      refundsFen: 5000,
      netFen: sales - 5000,
      orders: 4,
      parcels: 3,
      activeShops: 2,
      newShops: 1,
      buyers: 2,
    });
    // Shipping is what the buyers paid beyond the goods: the experience ships nothing.
    expect(s.county.current.shippingFen).toBeGreaterThan(0);
    expect(s.county.previous).toEqual({
      ...zero,
      salesFen: so.o4G!.totalFen,
      produceFen: P6,
      shippingFen: so.o4G!.totalFen - P6,
      netFen: so.o4G!.totalFen,
      orders: 1,
      activeShops: 1,
      buyers: 1,
    });
    expect(s.county.lastYear).toEqual({
      ...zero,
      salesFen: so.o5A!.totalFen,
      produceFen: 3 * P6,
      shippingFen: so.o5A!.totalFen - 3 * P6,
      netFen: so.o5A!.totalFen,
      orders: 1,
      parcels: 3,
      activeShops: 1,
      newShops: 1,
      buyers: 1,
    });
  });

  it("splits the same figures by township", async () => {
    const s = (await page(coordA, countyA.code, "2026-11")).data.stats!;
    const salesA = so.o1A!.totalFen + so.o2A!.totalFen;
    const salesG = so.o2G!.totalFen + so.o8G!.totalFen;
    expect(s.towns.map((t) => t.townZh)).toEqual(salesA >= salesG ? ["阳山镇", "桃源镇"] : ["桃源镇", "阳山镇"]);
    const town = (zh: string) => s.towns.find((t) => t.townZh === zh)!.figures;
    expect(town("阳山镇").current).toEqual({
      ...zero,
      salesFen: salesA,
      produceFen: 3 * P6,
      specialtyFen: TEA,
      shippingFen: salesA - 3 * P6 - TEA,
      netFen: salesA,
      orders: 2,
      parcels: 3,
      activeShops: 1,
      newShops: 1,
      buyers: 1,
    });
    expect(town("阳山镇").previous).toEqual(zero);
    expect(town("阳山镇").lastYear.salesFen).toBe(so.o5A!.totalFen);
    expect(town("桃源镇").current).toEqual({
      ...zero,
      salesFen: salesG,
      produceFen: P6,
      experienceFen: TICKET,
      shippingFen: salesG - P6 - TICKET,
      refundsFen: 5000,
      netFen: salesG - 5000,
      orders: 2,
      activeShops: 1,
      buyers: 2,
    });
    expect(town("桃源镇").previous.salesFen).toBe(so.o4G!.totalFen);
    expect(town("桃源镇").lastYear).toEqual({ ...zero, newShops: 1 });
  });

  it("county B sees only its own shop; a future month is empty", async () => {
    const b = (await page(coordB, countyB.code, "2026-11")).data.stats!;
    expect(b.county.current).toMatchObject({ salesFen: so.o7B!.totalFen, orders: 1, buyers: 1, newShops: 1 });
    expect(b.county.previous).toEqual(zero);
    const future = await page(coordA, countyA.code, "2031-01");
    expect(future.status).toBe(200);
    expect(future.data.stats!.county.current).toEqual(zero);
  });
});

describe("the statistics page and its file", () => {
  it("prints on A4: the title, the definitions, 环比 and 同比 with — for a zero base", async () => {
    const app = await startApp();
    const res = await app(
      new Request(`${pageUrl(countyA.code, "2026-11")}?lng=zh-CN`, {
        headers: { Cookie: coordA.cookie, Accept: "text/html" },
      }),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`${countyA.nameZh} 2026年11月 农村电子商务统计月报`);
    expect(html).toContain("print-area statistics-sheet");
    expect(html).toContain("指标说明");
    expect(html).toContain(`/county/${countyA.code}/statistics/2026-10`);
    expect(html).toContain(`/county/${countyA.code}/statistics/2026-12`);
    expect(html).toContain(`/county/${countyA.code}/statistics/2026-11.xlsx`);
    expect(html).toContain("—");
    expect(html).toContain("统计月报");
  });

  it("the XLSX holds the page's numbers on two sheets, and the download is logged", async () => {
    const shown = (await page(coordA, countyA.code, "2026-11")).data.stats!;
    const response = (await xlsxLoader({
      request: getAs(coordA, `${pageUrl(countyA.code, "2026-11")}.xlsx`),
      params: { code: countyA.code, month: "2026-11" },
      context: {},
    } as never)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="statistics-${countyA.code}-2026-11.xlsx"`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const [summary, towns] = workbook.worksheets;
    expect(summary!.name).toBe("全县汇总");
    expect(towns!.name).toBe("分乡镇");
    expect(String(summary!.getCell("A1").value)).toContain("2026年11月 农村电子商务统计月报");
    expect(summary!.getRow(2).values).toEqual([undefined, "指标", "本月", "上月", "环比", "去年同月", "同比"]);
    expect(summary!.getRow(2).font?.bold).toBe(true);
    expect(summary!.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });

    // Row 3: 网络零售额 in yuan with the ¥ format; 环比 against October, 同比 against November 2025.
    const c = shown.county;
    const sales = summary!.getRow(3);
    expect(sales.getCell(2).value).toBe(c.current.salesFen / 100);
    expect(sales.getCell(2).numFmt).toBe(MONEY_FORMAT);
    expect(sales.getCell(3).value).toBe(c.previous.salesFen / 100);
    const pct = (now: number, base: number) => Math.round(((now - base) / base) * 1000) / 10 / 100;
    expect(sales.getCell(4).value).toBeCloseTo(pct(c.current.salesFen, c.previous.salesFen), 6);
    expect(sales.getCell(4).numFmt).toBe(PERCENT_FORMAT);
    expect(sales.getCell(5).value).toBe(c.lastYear.salesFen / 100);
    expect(sales.getCell(6).value).toBeCloseTo(pct(c.current.salesFen, c.lastYear.salesFen), 6);
    // Every figure's row: money in yuan, counts as they are; a zero base is "—".
    const figures = Object.keys(zero) as (keyof MonthFigures)[];
    expect(summary!.rowCount).toBe(2 + figures.length);
    figures.forEach((key, i) => {
      const row = summary!.getRow(3 + i);
      const scale = key.endsWith("Fen") ? 100 : 1;
      expect([row.getCell(2).value, row.getCell(3).value, row.getCell(5).value]).toEqual([
        c.current[key] / scale,
        c.previous[key] / scale,
        c.lastYear[key] / scale,
      ]);
      if (c.previous[key] === 0) expect(row.getCell(4).value).toBe("—");
    });
    const parcels = summary!.getRow(3 + figures.indexOf("parcels"));
    expect(parcels.getCell(2).value).toBe(3);
    expect(parcels.getCell(2).numFmt).not.toBe(MONEY_FORMAT);

    // The township sheet: one row per township, in the page's order.
    expect(towns!.rowCount).toBe(2 + shown.towns.length);
    shown.towns.forEach((town, i) => {
      const row = towns!.getRow(3 + i);
      expect(row.getCell(1).value).toBe(town.townZh);
      expect(row.getCell(2).value).toBe(town.figures.current.salesFen / 100);
      expect(row.getCell(5).value).toBe(town.figures.current.produceFen / 100);
      expect(row.getCell(9).value).toBe(town.figures.current.orders);
      expect(row.getCell(10).value).toBe(town.figures.current.parcels);
      expect(row.getCell(13).value).toBe(town.figures.current.buyers);
    });

    const events = await unscopedDb().securityEvent.findMany({
      where: { type: "export", userId: coordAId },
      orderBy: { createdAt: "asc" },
    });
    expect(events.length).toBe(1);
    expect(events[0]!.detail).toEqual({
      county: countyA.code,
      report: "statistics",
      format: "xlsx",
      filters: { month: "2026-11" },
      rows: figures.length + shown.towns.length,
    });
  });

  it("answers 404 to another county's coordinator, for the page, the file and the picker", async () => {
    expect((await page(coordB, countyA.code, "2026-11")).status).toBe(404);
    const file = await run(xlsxLoader as never, getAs(coordB, `${pageUrl(countyA.code, "2026-11")}.xlsx`), {
      code: countyA.code,
      month: "2026-11",
    });
    expect(file.status).toBe(404);
    const picker = await run(
      indexLoader as never,
      getAs(coordB, `http://localhost/county/${countyA.code}/statistics`),
      { code: countyA.code },
    );
    expect(picker.status).toBe(404);
  });

  it("answers a bad month with a translated 400 and goes to a month from the picker", async () => {
    const zh = await createI18n("zh-CN");
    for (const month of ["2026-13", "2026-1", "26-11", "2026-11-01", "abcd-ef", "1999-12"]) {
      const res = await page(coordA, countyA.code, month);
      expect(res.status, month).toBe(400);
      expect(res.data.error).toBe(zh.t("statistics.errors.badMonth"));
      expect(res.data.error).not.toBe("statistics.errors.badMonth");
      expect(res.data.stats).toBeNull();
      const file = await run(xlsxLoader as never, getAs(coordA, `${pageUrl(countyA.code, month)}.xlsx`), {
        code: countyA.code,
        month,
      });
      expect(file.status).toBe(400);
    }
    const index = (q: string) =>
      run(indexLoader as never, getAs(coordA, `http://localhost/county/${countyA.code}/statistics${q}`), {
        code: countyA.code,
      });
    expect(await index("")).toMatchObject({
      status: 302,
      location: `/county/${countyA.code}/statistics/${lastFullMonth()}`,
    });
    expect(await index("?month=2026-10")).toMatchObject({
      status: 302,
      location: `/county/${countyA.code}/statistics/2026-10`,
    });
    const bad = await index("?month=2026-99");
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as PageData).error).toBe(zh.t("statistics.errors.badMonth"));
    // Nothing was exported by the refused requests.
    const exports = await unscopedDb().securityEvent.count({ where: { type: "export", userId: coordAId } });
    expect(exports).toBe(1);
  });
});
