import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { recordBankPayout, recordShopPayment } from "~/modules/ledger/payouts.server";
import { periodOf } from "~/modules/ledger/period";
import { shopBalance, statement } from "~/modules/ledger/statement.server";
import { markOrderPaid } from "~/modules/orders/settle.cross-shop.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as payoutLoader } from "~/routes/platform.payouts.$shop";
import { addMember, createUser, getAs, shopIdOf, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B } from "./cart-fixtures";
import { placeTestOrder, type WantedLine } from "./orders-fixtures";

// The county's sales summary and settlement reports (issue #11): every money column of the files
// sums to the database's figure for the same filters, by each grouping; buckets follow Shanghai
// days and Monday weeks; the settlement figures are the ledger's; only the county's coordinator
// gets them; bad parameters are a translated 400; every export is logged.

const SHOP_C = "sales-gamma"; // a second shop of county A
const EVIL = '=HYPERLINK("http://x","y")';
const RANGE = "from=2026-11-01&to=2026-12-31";
const at = (iso: string) => new Date(iso);

let app: (request: Request) => Promise<Response>;
let coordA: Session;
let coordB: Session;
let coordAId: string;
let admin: Session;
let countyA: { id: string; code: string; nameZh: string };
let countyB: { id: string; code: string };
let shopA: string;
let shopC: string;
/** The shop orders of county A by name, as the database holds them. */
const so: Record<string, { id: string; subtotalFen: number; refundedFen: number }> = {};

function get(session: Session, path: string, lang = "zh-CN") {
  const url = new URL(`http://localhost${path}`);
  url.searchParams.set("lng", lang);
  return app(new Request(url, { headers: { Cookie: session.cookie, Accept: "text/html" } }));
}

async function csvOf(res: Response) {
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  return parse(text, { columns: true }) as Record<string, string>[];
}

const fen = (yuan: string | undefined) => Math.round(Number(yuan) * 100);
const sum = (rows: Record<string, string>[], col: string) => rows.reduce((s, r) => s + fen(r[col]), 0);

/** The database's figures for county A's shop orders paid in the range (all lines, no kind filter). */
async function countyFigures(countyId: string, start: Date, end: Date) {
  const orders = await unscopedDb().shopOrder.findMany({
    where: { shop: { countyId }, paidAt: { gte: start, lt: end } },
    select: { refundedFen: true, lines: { select: { lineTotalFen: true, quantity: true } } },
  });
  return {
    salesFen: orders.reduce((s, o) => s + o.lines.reduce((t, l) => t + l.lineTotalFen, 0), 0),
    quantity: orders.reduce((s, o) => s + o.lines.reduce((t, l) => t + l.quantity, 0), 0),
    refundsFen: orders.reduce((s, o) => s + o.refundedFen, 0),
    orders: orders.length,
  };
}

beforeAll(async () => {
  app = await startApp();
  const synced = await syncTenants(writePacks([samplePack(SHOP_A), samplePack(SHOP_C), samplePack(SHOP_B, "320507")]), {
    now: at("2026-11-27T00:00:00Z"),
  });
  expect(synced.every((r) => r.ok)).toBe(true);
  const variants = await unscopedDb().variant.findMany({ select: { id: true, sku: true, productId: true } });
  const v = (sku: string) => variants.find((x) => x.sku === sku)!;
  shopA = await shopIdOf(SHOP_A);
  shopC = await shopIdOf(SHOP_C);
  const shopB = await shopIdOf(SHOP_B);
  const shop = (id: string) =>
    unscopedDb()
      .shop.findUniqueOrThrow({ where: { id }, select: { county: true } })
      .then((s) => s.county);
  countyA = await shop(shopA);
  countyB = await shop(shopB);
  await unscopedDb().product.updateMany({ where: { id: v(`${SHOP_A}-P6`).productId }, data: { titleZh: EVIL } });

  const owner = await createUser();
  await addMember(shopA, owner.id, "OWNER");
  await addMember(shopC, owner.id, "OWNER");
  const platform = await createUser({ isPlatformAdmin: true });
  admin = await signedIn(platform.id);

  const stripe = async (name: string, shopId: string, lines: WantedLine[], paid: string) => {
    const placed = await placeTestOrder({ lines, provider: "STRIPE", now: at(paid) });
    expect(
      await markOrderPaid({
        orderId: placed.orderId,
        paymentId: placed.paymentId,
        providerPaymentRef: `pi_${name}`,
        now: at(paid),
      }),
    ).toBe("paid");
    so[name] = { id: placed.shopOrders.get(shopId)!.id, subtotalFen: 0, refundedFen: 0 };
  };
  const offline = async (name: string, shopId: string, lines: WantedLine[], paid: string) => {
    const placed = await placeTestOrder({ lines, now: at(paid) });
    const id = placed.shopOrders.get(shopId)!.id;
    expect(
      await actOnShopOrder({ shopId, shopOrderId: id, action: "confirmPayment", userId: owner.id, now: at(paid) }),
    ).toEqual({ ok: true });
    so[name] = { id, subtotalFen: 0, refundedFen: 0 };
  };
  // Sunday 22 November 23:59 in Shanghai, then Monday 23 November 00:00 (another day and week).
  await stripe("o1", shopA, [{ variantId: v(`${SHOP_A}-P6`).id, quantity: 2 }], "2026-11-22T15:59:00Z");
  await stripe(
    "o2",
    shopA,
    [
      { variantId: v(`${SHOP_A}-P6`).id, quantity: 1 },
      { variantId: v(`${SHOP_A}-P12`).id, quantity: 1 },
    ],
    "2026-11-22T16:00:00Z",
  );
  // The cooperative collects the cash itself (it owes the fee); 00:30 on 1 December in Shanghai.
  await offline("o3", shopA, [{ variantId: v(`${SHOP_A}-P6`).id, quantity: 1 }], "2026-11-30T16:30:00Z");
  await offline("o4", shopC, [{ variantId: v(`${SHOP_C}-P12`).id, quantity: 1 }], "2026-11-25T04:00:00Z");
  // County B's sale never shows in county A.
  const placedB = await placeTestOrder({
    lines: [{ variantId: v(`${SHOP_B}-P6`).id, quantity: 3 }],
    provider: "STRIPE",
  });
  await markOrderPaid({
    orderId: placedB.orderId,
    paymentId: placedB.paymentId,
    providerPaymentRef: "pi_b",
    now: at("2026-11-25T04:00:00Z"),
  });

  const refund = await refundShopOrder({
    shopId: shopA,
    shopOrderId: so.o3!.id,
    amountFen: 1_000,
    lines: [],
    reason: null,
    userId: owner.id,
    now: at("2026-12-01T04:00:00Z"),
  });
  expect(refund).toMatchObject({ ok: true });
  expect(
    await recordBankPayout({
      shopId: shopA,
      amountFen: 5_000,
      reference: "ICBC-1202",
      period: periodOf("2026-11-01", "2026-12-01"),
      userId: platform.id,
      key: "0a1b2c3d4e5f60718293a4b5",
      now: at("2026-12-02T02:00:00Z"),
    }),
  ).toMatchObject({ ok: true });
  const owedByC = -(await shopBalance(shopC));
  expect(owedByC).toBeGreaterThan(1);
  expect(
    await recordShopPayment({
      shopId: shopC,
      amountFen: Math.floor(owedByC / 2),
      reference: "C-PAY",
      key: "1a1b2c3d4e5f60718293a4b5",
      now: at("2026-11-28T02:00:00Z"),
    }),
  ).toMatchObject({ ok: true });

  // Goods and a visit in one shop order, partly refunded: the refund is shared over both lines.
  const slot = await unscopedDb().experienceSlot.findFirstOrThrow({ where: { shopId: shopC }, select: { id: true } });
  await offline(
    "o5",
    shopC,
    [
      { variantId: v(`${SHOP_C}-P6`).id, quantity: 1 },
      { variantId: v(`${SHOP_C}-E1`).id, quantity: 1, slotId: slot.id },
    ],
    "2026-12-03T02:00:00Z",
  );
  expect(
    await refundShopOrder({
      shopId: shopC,
      shopOrderId: so.o5!.id,
      amountFen: 999,
      lines: [],
      reason: null,
      userId: owner.id,
      now: at("2026-12-04T02:00:00Z"),
    }),
  ).toMatchObject({ ok: true });

  for (const [name, entry] of Object.entries(so)) {
    const row = await unscopedDb().shopOrder.findFirstOrThrow({ where: { id: entry.id } });
    so[name] = { id: entry.id, subtotalFen: row.subtotalFen, refundedFen: row.refundedFen };
  }
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

const BASE = () => `/county/${countyA.code}/reports`;

describe("the sales summary as CSV", () => {
  it("sums to the database's figures by each grouping, with a BOM and the formula guard", async () => {
    const db = await countyFigures(countyA.id, at("2026-10-31T16:00:00Z"), at("2026-12-31T16:00:00Z"));
    expect(db.orders).toBe(5);
    expect(db.refundsFen).toBe(1_999);
    for (const by of ["shop", "product", "village", "kind"]) {
      const rows = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&by=${by}`));
      expect(sum(rows, "销售额（元）"), by).toBe(db.salesFen);
      expect(sum(rows, "退款（元）"), by).toBe(db.refundsFen);
      expect(sum(rows, "净额（元）"), by).toBe(db.salesFen - db.refundsFen);
      expect(
        rows.reduce((s, r) => s + Number(r["数量"]), 0),
        by,
      ).toBe(db.quantity);
      expect(
        rows.every((r) => /^\d{4}-\d{2}$/.test(r["周期"]!)),
        by,
      ).toBe(true);
    }
    const byShop = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&by=shop`));
    expect(byShop.reduce((s, r) => s + Number(r["订单数"]), 0)).toBe(5);
    const byProduct = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&by=product`));
    expect(byProduct.map((r) => r["商品"])).toContain(`'${EVIL}`);
    expect(byProduct.some((r) => r["商品"] === EVIL)).toBe(false);
    // The refund of o3 (one line) lies on its product in December.
    const refunded = byProduct.filter((r) => fen(r["退款（元）"]) > 0 && r["商品"] === `'${EVIL}`);
    expect(refunded).toEqual([expect.objectContaining({ 周期: "2026-12", "退款（元）": "10.00" })]);
    const byKind = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&by=kind`));
    expect(byKind.map((r) => r["品类"])).toContain("生鲜农产品");

    // o5's 9.99 refund, shared by hand: each line floor(999 × its total / the subtotal), the rest on its first line.
    const lines = await unscopedDb().shopOrderLine.findMany({
      where: { shopOrderId: so.o5!.id },
      orderBy: { id: "asc" },
      select: { kind: true, lineTotalFen: true },
    });
    const subtotal = lines.reduce((t, l) => t + l.lineTotalFen, 0);
    const shares = lines.map((l) => Math.floor((999 * l.lineTotalFen) / subtotal));
    shares[0]! += 999 - shares.reduce((t, x) => t + x, 0);
    const visit = lines.findIndex((l) => l.kind === "EXPERIENCE");
    const experience = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&kind=EXPERIENCE&by=kind`));
    expect(experience).toEqual([
      expect.objectContaining({
        周期: "2026-12",
        品类: "体验",
        "销售额（元）": (lines[visit]!.lineTotalFen / 100).toFixed(2),
        "退款（元）": (shares[visit]! / 100).toFixed(2),
        订单数: "1",
      }),
    ]);
    const produce = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&kind=PRODUCE&by=kind&shop=${SHOP_C}`));
    expect(sum(produce, "退款（元）")).toBe(999 - shares[visit]!);

    // One shop, one status: the filters narrow the sums as they narrow the database's.
    const onlyC = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&shop=${SHOP_C}`));
    expect(sum(onlyC, "销售额（元）")).toBe(so.o4!.subtotalFen + so.o5!.subtotalFen);
    const specialty = await csvOf(await get(coordA, `${BASE()}/sales.csv?${RANGE}&kind=SPECIALTY`));
    expect(specialty).toEqual([]);
  });

  it("puts sales in Shanghai days, Monday weeks and months", async () => {
    const q = `${RANGE}&shop=${SHOP_A}&by=shop`;
    const bucketed = async (period: string) =>
      Object.fromEntries(
        (await csvOf(await get(coordA, `${BASE()}/sales.csv?${q}&period=${period}`))).map((r) => [
          r["周期"],
          fen(r["销售额（元）"]),
        ]),
      );
    const { o1, o2, o3 } = { o1: so.o1!.subtotalFen, o2: so.o2!.subtotalFen, o3: so.o3!.subtotalFen };
    expect(await bucketed("day")).toEqual({ "2026-11-22": o1, "2026-11-23": o2, "2026-12-01": o3 });
    expect(await bucketed("week")).toEqual({ "2026-11-16": o1, "2026-11-23": o2, "2026-11-30": o3 });
    expect(await bucketed("month")).toEqual({ "2026-11": o1 + o2, "2026-12": o3 });
  });
});

describe("the sales summary as XLSX", () => {
  it("reads back with the same sums, a title with the county and range, a bold frozen header and money cells", async () => {
    const res = await get(coordA, `${BASE()}/sales.xlsx?${RANGE}&by=product&period=week`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(`sales-${countyA.code}-2026-11-01-2026-12-31.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    const title = String(sheet.getRow(1).getCell(1).value);
    expect(title).toContain(countyA.nameZh);
    expect(title).toContain("2026-11-01");
    expect(title).toContain("销售汇总");
    const header = sheet.getRow(2);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    const headers = (header.values as unknown[]).map(String);
    const salesCol = headers.indexOf("销售额（元）");
    const refundCol = headers.indexOf("退款（元）");
    let sales = 0;
    let refunds = 0;
    for (let r = 3; r <= sheet.rowCount; r++) {
      const cell = sheet.getRow(r).getCell(salesCol);
      if (cell.value === null) continue;
      expect(typeof cell.value).toBe("number");
      expect(cell.numFmt).toBe('"¥"#,##0.00');
      sales += Math.round((cell.value as number) * 100);
      refunds += Math.round((sheet.getRow(r).getCell(refundCol).value as number) * 100);
    }
    const db = await countyFigures(countyA.id, at("2026-10-31T16:00:00Z"), at("2026-12-31T16:00:00Z"));
    expect(sales).toBe(db.salesFen);
    expect(refunds).toBe(db.refundsFen);
    const events = await unscopedDb().securityEvent.findMany({ where: { type: "export", userId: coordAId } });
    expect(events.map((e) => e.detail)).toContainEqual(
      expect.objectContaining({
        county: countyA.code,
        report: "sales",
        format: "xlsx",
        filters: expect.objectContaining({ by: "product", period: "week", from: "2026-11-01" }),
      }),
    );
  });
});

describe("the settlement report", () => {
  const PERIOD = "from=2026-11-23&to=2026-12-31";
  const signed = (r: Record<string, string>, amount: string, words: string) =>
    r[words]!.startsWith("合作社应付平台") ? -fen(r[amount]) : fen(r[amount]);

  it("has the ledger's figures per shop: closing = opening + movements = the platform's statement", async () => {
    const rows = await csvOf(await get(coordA, `${BASE()}/settlement.csv?${PERIOD}`));
    expect(rows.map((r) => r["合作社"])).toHaveLength(2);
    const period = periodOf("2026-11-23", "2026-12-31");
    for (const [slug, id, name] of [
      [SHOP_A, shopA, "A"],
      [SHOP_C, shopC, "C"],
    ] as const) {
      const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { id } });
      const row = rows.find((r) => r["合作社"] === shop.nameZh)!;
      expect(row, name).toBeTruthy();
      const s = await statement(id, period);
      const opening = signed(row, "期初余额（元）", "期初");
      const closing = signed(row, "期末余额（元）", "期末");
      expect(opening, name).toBe(s.openingFen);
      expect(opening, name).toBe(await shopBalance(id, period.start));
      const movements = [
        "销售额（元）",
        "平台服务费（元）",
        "退款（元）",
        "合作社自收款（元）",
        "物流代收货款（元）",
        "平台打款（元）",
        "收到合作社付款（元）",
      ];
      expect(closing, name).toBe(opening + movements.reduce((t, c) => t + fen(row[c]), 0));
      expect(closing, name).toBe(await shopBalance(id, period.end));
      expect(fen(row["销售额（元）"]), name).toBe(s.totals.SALE);
      expect(fen(row["平台打款（元）"]), name).toBe(s.totals.PAYOUT);
      expect(fen(row["收到合作社付款（元）"]), name).toBe(s.totals.SHOP_PAYMENT);
      // The platform admin's page for the shop shows the same closing balance.
      const page = (await payoutLoader({
        request: getAs(admin, `http://localhost/platform/payouts/${slug}?${PERIOD}`),
        params: { shop: slug },
        context: {},
      } as never)) as { statement: { closingFen: number; openingFen: number } };
      expect(page.statement.closingFen, name).toBe(closing);
      expect(page.statement.openingFen, name).toBe(opening);
    }
    const a = rows.find((r) => r["平台打款（元）"] !== "0.00")!;
    expect(a["平台打款（元）"]).toBe("-50.00");
    expect(fen(a["退款（元）"])).toBe(-1_000);
    // Shop A's opening is o1 (Sunday 22 November, 23:59 in Shanghai) only: the platform owes it.
    expect(a["期初"]).toMatch(/^平台应付合作社/);
    const c = rows.find((r) => r !== a)!;
    expect(fen(c["收到合作社付款（元）"])).toBeGreaterThan(0);
    expect(c["期末"]).toMatch(/^合作社应付平台/);
    const events = await unscopedDb().securityEvent.findMany({ where: { type: "export", userId: coordAId } });
    expect(events.map((e) => e.detail)).toContainEqual(
      expect.objectContaining({ report: "settlement", format: "csv", rows: 2 }),
    );
  });

  it("as XLSX and on screen shows the same balances in words", async () => {
    const res = await get(coordA, `${BASE()}/settlement.xlsx?${PERIOD}&shop=${SHOP_C}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain("结算");
    expect(sheet.rowCount).toBe(3);
    const s = await statement(shopC, periodOf("2026-11-23", "2026-12-31"));
    const headers = (sheet.getRow(2).values as unknown[]).map(String);
    expect(sheet.getRow(3).getCell(headers.indexOf("期末余额（元）")).value).toBe(Math.abs(s.closingFen) / 100);

    const html = await (await get(coordA, `${BASE()}/settlement?${PERIOD}`)).text();
    expect(html).toContain("合作社应付平台");
    expect(html).toContain("平台应付合作社");
    expect(html).toContain(`settlement.csv?from=2026-11-23&amp;to=2026-12-31`);
  });
});

describe("the pages", () => {
  it("the sales page shows tabs, totals, the rows and links to both files with the same filters", async () => {
    const res = await get(coordA, `${BASE()}/sales?${RANGE}&by=village&period=day`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("销售汇总");
    expect(html).toContain('data-testid="report-tabs"');
    expect(html).toContain(`href="${BASE()}/settlement"`);
    expect(html).toContain(`sales.csv?from=2026-11-01&amp;to=2026-12-31&amp;by=village&amp;period=day`);
    expect(html).toContain("sales.xlsx?");
    expect(html).toContain('data-testid="sales-totals"');
    expect(html).not.toContain("cart-beta");
    const empty = await (await get(coordA, `${BASE()}/sales?from=2020-01-01&to=2020-01-31`)).text();
    expect(empty).toContain("没有已支付的订单");
    const orders = await (await get(coordA, BASE())).text();
    expect(orders).toContain(`href="${BASE()}/sales"`);
  });
});

describe("bad parameters and access", () => {
  it("bad parameters are a translated 400", async () => {
    for (const [path, zh, en] of [
      [`sales.csv?by=buyer`, "汇总维度无效", "Group by must"],
      [`sales.xlsx?period=year`, "时间粒度无效", "Period must be"],
      [`settlement.csv?from=2026-02-30`, "日期", "YYYY-MM-DD"],
      [`sales?by=buyer`, "汇总维度无效", "Group by must"],
      [`sales?page=0`, "页码无效", "page number"],
      [`settlement?from=2026-12-05&to=2026-12-01`, "开始日期", "start date"],
    ]) {
      const res = await get(coordA, `${BASE()}/${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain(zh);
      const english = await get(coordA, `${BASE()}/${path}`, "en");
      expect(await english.text(), path).toContain(en);
    }
  });

  it("county B's coordinator gets a 404 on every new page and file; a shop of county B is a 404 in county A", async () => {
    for (const path of ["sales", "sales.csv", "sales.xlsx", "settlement", "settlement.csv", "settlement.xlsx"]) {
      expect((await get(coordB, `${BASE()}/${path}`)).status, path).toBe(404);
      expect((await get(coordA, `${BASE()}/${path}?shop=${SHOP_B}`)).status, path).toBe(404);
    }
  });
});
