import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { countingSql } from "~/lib/request-context.server";
import { shanghaiLocalToUtc } from "~/lib/time";
import {
  countyRollupVersion,
  DASHBOARD_REFRESH_PAIRS,
  loadDashboard,
  rebuildSalesRollups,
  refreshSalesRollups,
  refreshSalesRollupsInBackground,
} from "~/modules/reports/dashboard.cross-shop.server";
import { parseRange } from "~/modules/reports/range";
import { loader as dashboardLoader } from "~/routes/county.$code._index";
import { loader as traceLoader } from "~/routes/t.$code";
import { createUser, getAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { pickupPoint } from "./orders-fixtures";

// The county dashboard's further figures (issue #11), each computed by hand from the fixtures
// below, and the roll-ups: after every kind of write they equal an aggregate from scratch.

let fx: Fixture;
let shopA: string;
let shopB: string;
let countyA: string;
let countyB: string;
let countyCodeA: string;
let pointA: string;
let lockerA: string;
let pointB: string;
let coordA: Session;
const numbers: Record<string, string> = {};
const NOW = new Date("2026-11-10T04:00:00Z"); // 2026-11-10 12:00 in Shanghai
const H = 3_600_000;

type Line = {
  variant: { id: string; productId: string };
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  priceFen: number;
  quantity: number;
  presaleShipBy?: string;
};

/** One order with one shop order; times in Shanghai local ("2026-11-01T10:00"), steps in hours after. */
async function shopOrder(
  key: string,
  shopId: string,
  o: {
    lines: Line[];
    shippingFen?: number;
    refundedFen?: number;
    paidAt: string | null;
    phone: string;
    status?: "PAID" | "PACKED" | "HANDED_OVER" | "DELIVERED" | "REFUNDED" | "AWAITING_PAYMENT";
    delivery?: "HOME" | "PICKUP_POINT" | "LOCKER";
    pickupPointId?: string;
    packedAfter?: number;
    handedAfter?: number;
    deliveredAfter?: number;
  },
) {
  const number = `D${randomBytes(5).toString("hex")}`;
  numbers[key] = `${number}-1`;
  const paidAt = o.paidAt ? shanghaiLocalToUtc(o.paidAt) : null;
  const subtotalFen = o.lines.reduce((s, l) => s + l.priceFen * l.quantity, 0);
  const totalFen = subtotalFen + (o.shippingFen ?? 0);
  const at = (h: number | undefined) => (paidAt && h !== undefined ? new Date(paidAt.getTime() + h * H) : null);
  const packedAt = at(o.packedAfter);
  const handedOverAt = o.handedAfter !== undefined ? at((o.packedAfter ?? 0) + o.handedAfter) : null;
  const deliveredAt =
    o.deliveredAfter !== undefined ? at((o.packedAfter ?? 0) + (o.handedAfter ?? 0) + o.deliveredAfter) : null;
  const order = await unscopedDb().order.create({
    data: {
      number,
      contactName: "买家",
      contactPhone: o.phone,
      provider: "OFFLINE",
      status: paidAt ? "PAID" : "AWAITING_PAYMENT",
      totalFen,
      checkoutKey: randomBytes(8).toString("hex"),
      expiresAt: new Date("2026-12-31T00:00:00Z"),
      paidAt,
    },
  });
  return unscopedDb().shopOrder.create({
    data: {
      shopId,
      orderId: order.id,
      number: `${number}-1`,
      status: o.status ?? (paidAt ? "PAID" : "AWAITING_PAYMENT"),
      delivery: o.delivery ?? "HOME",
      pickupPointId: o.pickupPointId ?? null,
      subtotalFen,
      shippingFen: o.shippingFen ?? 0,
      totalFen,
      feeBps: 500,
      refundedFen: o.refundedFen ?? 0,
      paidAt,
      packedAt,
      handedOverAt,
      deliveredAt,
      createdAt: paidAt ?? new Date("2026-11-20T00:00:00Z"),
      lines: {
        create: o.lines.map((l) => ({
          productId: l.variant.productId,
          variantId: l.variant.id,
          kind: l.kind,
          titleZh: "商品",
          variantTitleZh: "规格",
          sku: "X",
          unit: "盒",
          unitPriceFen: l.priceFen,
          quantity: l.quantity,
          lineTotalFen: l.priceFen * l.quantity,
          presale: l.presaleShipBy !== undefined,
          presaleShipBy: l.presaleShipBy ? new Date(`${l.presaleShipBy}T00:00:00Z`) : null,
        })),
      },
    },
    include: { lines: true },
  });
}

const range = (q: string, now = NOW) => {
  const p = parseRange(new URLSearchParams(q), now);
  if (!p.ok) throw new Error(p.error);
  return p.range;
};

beforeAll(async () => {
  fx = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  const shops = await unscopedDb().shop.findMany({
    where: { id: { in: [shopA, shopB] } },
    select: { id: true, countyId: true, county: { select: { code: true } } },
  });
  countyA = shops.find((s) => s.id === shopA)!.countyId;
  countyB = shops.find((s) => s.id === shopB)!.countyId;
  countyCodeA = shops.find((s) => s.id === shopA)!.county.code;
  pointA = (await pickupPoint(SHOP_A, "POINT")).id;
  lockerA = (await pickupPoint(SHOP_A, "LOCKER")).id;
  pointB = (await pickupPoint(SHOP_B, "POINT")).id;
  const user = await createUser({ name: "A 县协调员" });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyA, userId: user.id } });
  coordA = await signedIn(user.id);

  const peach = (quantity: number, presaleShipBy?: string): Line => ({
    variant: fx.a.p6,
    kind: "PRODUCE",
    priceFen: 4000,
    quantity,
    presaleShipBy,
  });
  const tea = (quantity: number): Line => ({ variant: fx.a.tea, kind: "SPECIALTY", priceFen: 3000, quantity });
  const ticket: Line = { variant: fx.a.ticket, kind: "EXPERIENCE", priceFen: 5000, quantity: 1 };

  // Range 2026-11-01 … 07 (Shanghai). Five shop orders of county A in it:
  await shopOrder("o1", shopA, {
    lines: [tea(2), peach(1)],
    shippingFen: 1000,
    paidAt: "2026-11-01T10:00",
    phone: "13900000001",
    status: "DELIVERED",
    packedAfter: 2,
    handedAfter: 4,
    deliveredAfter: 24,
  });
  await shopOrder("o2", shopA, {
    lines: [peach(2)],
    refundedFen: 2000,
    paidAt: "2026-11-02T09:00",
    phone: "13900000001",
    status: "DELIVERED",
    delivery: "PICKUP_POINT",
    pickupPointId: pointA,
    packedAfter: 4,
    handedAfter: 2,
    deliveredAfter: 48,
  });
  await shopOrder("o3", shopA, {
    lines: [ticket],
    paidAt: "2026-11-03T12:00",
    phone: "13900000003",
    status: "PACKED",
    delivery: "LOCKER",
    pickupPointId: lockerA,
    packedAfter: 10,
  });
  await shopOrder("o4", shopA, {
    lines: [tea(1)],
    refundedFen: 3000,
    paidAt: "2026-11-04T08:00",
    phone: "13900000004",
    status: "REFUNDED",
    delivery: "PICKUP_POINT",
    pickupPointId: pointA,
  });
  await shopOrder("o7", shopA, { lines: [peach(1)], paidAt: "2026-11-07T20:00", phone: "13900000007" });
  // Pre-sales paid long before, unpacked: one whose ship-by day has passed, one not yet.
  await shopOrder("presaleLater", shopA, {
    lines: [peach(1, "2026-11-30")],
    paidAt: "2026-10-20T10:00",
    phone: "13900000005",
  });
  await shopOrder("presaleLate", shopA, {
    lines: [peach(1, "2026-11-05")],
    paidAt: "2026-10-21T10:00",
    phone: "13900000006",
  });
  // County B: never counted in A.
  await shopOrder("b1", shopB, {
    lines: [{ variant: fx.b.p6, kind: "PRODUCE", priceFen: 100000, quantity: 1 }],
    paidAt: "2026-11-03T12:00",
    phone: "13900000009",
    delivery: "PICKUP_POINT",
    pickupPointId: pointB,
    status: "PAID",
  });
});

afterAll(async () => {
  await stopApp();
});

describe("the dashboard's further figures, by hand", () => {
  it("top products, GI share, kinds, refund rate, delivery and pickups, fulfilment times, late orders", async () => {
    const d = await loadDashboard(countyA, range("from=2026-11-01&to=2026-11-07"), NOW);
    // GMV 11000 + 8000 + 5000 + 3000 + 4000; refunds 2000 + 3000.
    expect(d.current).toEqual({ gmvFen: 31000, refundsFen: 5000, netFen: 26000, orders: 5, buyers: 4, aovFen: 6200 });
    // Goods (no shipping): peach 4000 + 8000 + 4000, tea 6000 + 3000, the ticket 5000.
    expect(d.byProduct.map((p) => [p.productId, p.kind, p.gi, p.salesFen, p.quantity, p.orders])).toEqual([
      [fx.a.p6.productId, "PRODUCE", false, 16000, 4, 3],
      [fx.a.tea.productId, "SPECIALTY", true, 9000, 3, 2],
      [fx.a.ticket.productId, "EXPERIENCE", false, 5000, 1, 1],
    ]);
    expect(d.gi).toEqual({ giSalesFen: 9000, salesFen: 30000, pct: 30 });
    expect(d.byKind).toEqual([
      { kind: "PRODUCE", salesFen: 16000, orders: 3 },
      { kind: "SPECIALTY", salesFen: 9000, orders: 2 },
      { kind: "EXPERIENCE", salesFen: 5000, orders: 1 },
    ]);
    // 5000 / 31000 = 16.13 %; 2 of 5 shop orders had a refund.
    expect(d.refunds).toEqual({
      refundsFen: 5000,
      gmvFen: 31000,
      amountPct: 16.1,
      refundedOrders: 2,
      orders: 5,
      ordersPct: 40,
    });
    expect(d.byDelivery).toEqual([
      { delivery: "HOME", orders: 2, gmvFen: 15000 },
      { delivery: "PICKUP_POINT", orders: 2, gmvFen: 11000 },
      { delivery: "LOCKER", orders: 1, gmvFen: 5000 },
    ]);
    expect(d.pickupKinds).toEqual([
      { kind: "LOCKER", orders: 1 },
      { kind: "POINT", orders: 2 },
    ]);
    expect(d.pickupPoints.map((p) => [p.kind, p.orders])).toEqual([
      ["POINT", 2],
      ["LOCKER", 1],
    ]);
    // Paid → packed 2, 4, 10 h: p50 4, p90 4 + 0.8 × 6 = 8.8. Packed → handed over 4, 2 h:
    // p50 3, p90 2 + 0.9 × 2 = 3.8. Handed over → delivered 24, 48 h: p50 36, p90 45.6.
    expect(d.fulfilment).toEqual([
      { stage: "paidToPacked", count: 3, p50: 4, p90: 8.8 },
      { stage: "packedToHandedOver", count: 2, p50: 3, p90: 3.8 },
      { stage: "handedOverToDelivered", count: 2, p50: 36, p90: 45.6 },
    ]);
    // The pre-sale past its ship-by day (2026-11-05), and o7 unpacked for over 2 days; not the
    // pre-sale due on 11-30 (paid three weeks ago), nor the refunded o4, nor county B's.
    expect(d.late.map((l) => [l.number, l.shipBy])).toEqual([
      [numbers.presaleLate, "2026-11-05"],
      [numbers.o7, null],
    ]);
  });

  it("GI also counts a product with a GI name sold by a shop holding a GI certification", async () => {
    await unscopedDb().product.updateMany({ where: { id: fx.a.p6.productId }, data: { giName: "阳山水蜜桃" } });
    let d = await loadDashboard(countyA, range("from=2026-11-01&to=2026-11-07"), NOW);
    expect(d.gi).toEqual({ giSalesFen: 9000, salesFen: 30000, pct: 30 });
    await unscopedDb().shopCertification.create({
      data: { shopId: shopA, kind: "GEOGRAPHIC_INDICATION", nameZh: "地理标志", nameEn: "GI" },
    });
    d = await loadDashboard(countyA, range("from=2026-11-01&to=2026-11-07"), NOW);
    // (16000 + 9000) / 30000 = 83.3 %
    expect(d.gi).toEqual({ giSalesFen: 25000, salesFen: 30000, pct: 83.3 });
    await unscopedDb().shopCertification.deleteMany({ where: { shopId: shopA, kind: "GEOGRAPHIC_INDICATION" } });
    await unscopedDb().product.updateMany({ where: { id: fx.a.p6.productId }, data: { giName: null } });
  });

  it("county B sees its own pickup order only (and it is late in B, never in A)", async () => {
    const d = await loadDashboard(countyB, range("from=2026-11-01&to=2026-11-07"), NOW);
    expect(d.current).toMatchObject({ gmvFen: 100000, orders: 1 });
    expect(d.pickupKinds).toEqual([{ kind: "POINT", orders: 1 }]);
    expect(d.byProduct.map((p) => p.salesFen)).toEqual([100000]);
    expect(d.late.map((l) => l.number)).toEqual([numbers.b1]);
  });

  it("trace-page scans per batch: once per page request, bots not counted, county B's apart", async () => {
    const batchOf = async (shopId: string) =>
      (await unscopedDb().batch.findFirstOrThrow({ where: { shopId } })).traceCode;
    const codeA = await batchOf(shopA);
    const codeB = await batchOf(shopB);
    const scan = (code: string, ua: string) =>
      run(traceLoader as never, new Request(`http://localhost/t/${code}`, { headers: { "user-agent": ua } }), {
        code,
      });
    const phone =
      "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 MicroMessenger/8.0";
    for (const res of [await scan(codeA, phone), await scan(codeA, phone), await scan(codeB, phone)])
      expect(res.status).toBe(200);
    expect((await scan(codeA, "Googlebot/2.1 (+http://www.google.com/bot.html)")).status).toBe(200);
    const now = new Date();
    const a = await loadDashboard(countyA, range("range=today", now), now);
    expect(a.scans.map((s) => [s.traceCode, s.scans])).toEqual([[codeA, 2]]);
    const b = await loadDashboard(countyB, range("range=today", now), now);
    expect(b.scans.map((s) => [s.traceCode, s.scans])).toEqual([[codeB, 1]]);
    // Another range: none.
    expect((await loadDashboard(countyA, range("from=2026-11-01&to=2026-11-07"), NOW)).scans).toEqual([]);
  });

  it("the page shows every table, through FigureTable, to the county's coordinator", async () => {
    const app = await startApp();
    const res = await app(getAs(coordA, `http://localhost/county/${countyCodeA}?from=2026-11-01&to=2026-11-07`));
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of [
      "销量前 20 的商品",
      "地理标志产品",
      "履约时长",
      "退款率",
      "智能提货柜",
      "溯源页扫码次数",
      "预售发货日 2026-11-05 已过",
    ])
      expect(html).toContain(text);
    expect(html).toContain("30%");
    expect(html).toContain("8.8 小时");
    // Every table scrolls within its own box on a narrow phone.
    const tables = html.match(/<table/g)?.length ?? 0;
    expect(tables).toBeGreaterThanOrEqual(9);
    expect(html.match(/<div class="overflow-x-auto"><table/g)?.length).toBe(tables);
  });
});

// ─── The roll-ups ──────────────────────────────────────────────────────────────────────

type RollupRow = Record<string, string | number | null>;

/** The roll-ups' content, and the same figures aggregated from scratch, as comparable rows. */
async function rollups() {
  const sales = await unscopedDb().$queryRaw<RollupRow[]>`
    SELECT "shopId", to_char(day, 'YYYY-MM-DD') AS day, delivery::text, "pickupPointId",
           "gmvFen"::int AS gmv, "refundsFen"::int AS refunds, orders, "refundedOrders",
           "produceOrders", "specialtyOrders", "experienceOrders"
      FROM "SalesDaily" ORDER BY 1, 2, 3, 4`;
  const products = await unscopedDb().$queryRaw<RollupRow[]>`
    SELECT "shopId", to_char(day, 'YYYY-MM-DD') AS day, "productKey", kind::text,
           "salesFen"::int AS sales, quantity::int, orders
      FROM "ProductSalesDaily" ORDER BY 1, 2, 3, 4`;
  return { sales, products };
}

async function fromScratch() {
  const sales = await unscopedDb().$queryRaw<RollupRow[]>`
    SELECT so."shopId", to_char((so."paidAt" AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day,
           so.delivery::text, COALESCE(so."pickupPointId", '') AS "pickupPointId",
           SUM(so."totalFen")::int AS gmv, SUM(so."refundedFen")::int AS refunds, COUNT(*)::int AS orders,
           (COUNT(*) FILTER (WHERE so."refundedFen" > 0))::int AS "refundedOrders",
           (COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "ShopOrderLine" l WHERE l."shopOrderId" = so.id AND l.kind = 'PRODUCE')))::int AS "produceOrders",
           (COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "ShopOrderLine" l WHERE l."shopOrderId" = so.id AND l.kind = 'SPECIALTY')))::int AS "specialtyOrders",
           (COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "ShopOrderLine" l WHERE l."shopOrderId" = so.id AND l.kind = 'EXPERIENCE')))::int AS "experienceOrders"
      FROM "ShopOrder" so WHERE so."paidAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
  const products = await unscopedDb().$queryRaw<RollupRow[]>`
    SELECT so."shopId", to_char((so."paidAt" AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day,
           COALESCE(l."productId", '') AS "productKey", l.kind::text,
           SUM(l."lineTotalFen")::int AS sales, SUM(l.quantity)::int AS quantity, COUNT(DISTINCT so.id)::int AS orders
      FROM "ShopOrder" so JOIN "ShopOrderLine" l ON l."shopOrderId" = so.id
     WHERE so."paidAt" IS NOT NULL
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
  return { sales, products };
}

describe("the roll-ups, kept by the writers", () => {
  it("equal an aggregate from scratch after every kind of write, and so does a rebuild", async () => {
    const db = unscopedDb();
    const peach: Line = { variant: fx.a.p6, kind: "PRODUCE", priceFen: 1000, quantity: 1 };
    const tea: Line = { variant: fx.a.tea, kind: "SPECIALTY", priceFen: 700, quantity: 2 };
    const peachB: Line = { variant: fx.b.p6, kind: "PRODUCE", priceFen: 900, quantity: 3 };

    // Payment of an order placed unpaid (its lines were written before it was paid).
    const unpaid = await shopOrder("w1", shopA, { lines: [peach, tea], paidAt: null, phone: "13900000011" });
    await db.shopOrder.update({
      where: { shopId_id: { shopId: unpaid.shopId, id: unpaid.id } },
      data: { status: "PAID", paidAt: shanghaiLocalToUtc("2026-12-01T10:00") },
    });
    const w2 = await shopOrder("w2", shopA, { lines: [peach], paidAt: "2026-12-01T11:00", phone: "13900000012" });
    const w3 = await shopOrder("w3", shopA, { lines: [tea], paidAt: "2026-12-03T09:00", phone: "13900000013" });
    const w4 = await shopOrder("w4", shopB, { lines: [peachB], paidAt: "2026-12-02T23:59", phone: "13900000014" });
    const w5 = await shopOrder("w5", shopA, { lines: [peach, tea], paidAt: "2026-12-04T08:00", phone: "13900000015" });
    // A refund, packing and delivery, a cancellation.
    await db.shopOrder.update({
      where: { shopId_id: { shopId: unpaid.shopId, id: unpaid.id } },
      data: { refundedFen: 500 },
    });
    await db.shopOrder.update({
      where: { shopId_id: { shopId: w2.shopId, id: w2.id } },
      data: { status: "PACKED", packedAt: new Date() },
    });
    await db.shopOrder.update({
      where: { shopId_id: { shopId: w2.shopId, id: w2.id } },
      data: { status: "DELIVERED", deliveredAt: new Date() },
    });
    await db.shopOrder.update({
      where: { shopId_id: { shopId: w4.shopId, id: w4.id } },
      data: { status: "CANCELLED", cancelledAt: new Date(), refundedFen: 2700 },
    });
    // A paid moment backfilled to the day before (both days change), and to pickup.
    await db.shopOrder.update({
      where: { shopId_id: { shopId: w3.shopId, id: w3.id } },
      data: { paidAt: shanghaiLocalToUtc("2026-12-02T09:00"), delivery: "PICKUP_POINT", pickupPointId: pointA },
    });
    // A line removed, a line's amount corrected, a whole shop order deleted.
    await db.shopOrderLine.deleteMany({ where: { id: w5.lines.find((l) => l.kind === "SPECIALTY")!.id } });
    await db.shopOrderLine.update({
      where: { shopId_id: { shopId: w5.lines[0]!.shopId, id: w5.lines[0]!.id } },
      data: { lineTotalFen: 800 },
    });
    const gone = await shopOrder("w6", shopA, { lines: [peach], paidAt: "2026-12-05T10:00", phone: "13900000016" });
    await db.shopOrder.delete({ where: { shopId_id: { shopId: gone.shopId, id: gone.id } } });

    await refreshSalesRollups();
    expect(await db.salesRollupDirty.count()).toBe(0);
    let [have, want] = [await rollups(), await fromScratch()];
    expect(have.sales.length).toBeGreaterThan(5);
    expect(have).toEqual(want);

    // The page's SQL statements do not grow with the orders (docs/perf.md; sql-per-page covers the storefront).
    const statements = async () => {
      const url = `http://localhost/county/${countyCodeA}?from=2026-11-01&to=2026-12-31`;
      const { result, statements } = await countingSql(() =>
        run(dashboardLoader as never, getAs(coordA, url), { code: countyCodeA }),
      );
      expect(result.status).toBe(200);
      return statements;
    };
    const statementsBefore = await statements();

    // The bulk path: one statement inserts 600 orders, one their shop orders over 3 days and
    // both shops, one their lines. Each statement marks the (shop, day) pairs, not the rows.
    await db.$executeRaw`
      INSERT INTO "Order" (id, number, "contactName", "contactPhone", provider, status, "totalFen",
                           "checkoutKey", "expiresAt", "paidAt", "updatedAt")
      SELECT 'bulk-o-' || g, 'BULK' || g, '买家', '1390000' || lpad(g::text, 4, '0'), 'OFFLINE', 'PAID', 1000 + g,
             'bulk-k-' || g, now(), timestamptz '2026-12-10 02:00Z' + (g % 3) * interval '1 day', now()
        FROM generate_series(1, 600) g`;
    await db.$executeRaw`
      INSERT INTO "ShopOrder" (id, "shopId", "orderId", number, status, delivery, "pickupPointId",
                               "subtotalFen", "shippingFen", "totalFen", "feeBps", "refundedFen", "paidAt", "updatedAt")
      SELECT 'bulk-so-' || g, CASE WHEN g % 2 = 0 THEN ${shopA} ELSE ${shopB} END, 'bulk-o-' || g, 'BULK' || g || '-1',
             'PAID', CASE WHEN g % 5 = 0 THEN 'LOCKER' ELSE 'HOME' END::"DeliveryMethod",
             CASE WHEN g % 5 = 0 THEN CASE WHEN g % 2 = 0 THEN ${lockerA} ELSE ${pointB} END END,
             1000 + g, 0, 1000 + g, 500, CASE WHEN g % 7 = 0 THEN 100 ELSE 0 END,
             timestamptz '2026-12-10 02:00Z' + (g % 3) * interval '1 day', now()
        FROM generate_series(1, 600) g`;
    const marked = await db.salesRollupDirty.count();
    expect(marked).toBeLessThanOrEqual(6);
    await db.$executeRaw`
      INSERT INTO "ShopOrderLine" (id, "shopId", "shopOrderId", "productId", kind, "titleZh", "variantTitleZh",
                                   sku, unit, "unitPriceFen", quantity, "lineTotalFen", "visitorNames")
      SELECT 'bulk-l-' || g, so."shopId", so.id,
             CASE WHEN so."shopId" = ${shopA} THEN ${fx.a.p6.productId} ELSE ${fx.b.p6.productId} END,
             'PRODUCE', '桃', '盒', 'BULK', '盒', so."subtotalFen", 1, so."subtotalFen", ARRAY[]::text[]
        FROM generate_series(1, 600) g JOIN "ShopOrder" so ON so.id = 'bulk-so-' || g`;
    expect(await db.salesRollupDirty.count()).toBeLessThanOrEqual(12);
    // A bulk refund in one statement.
    await db.$executeRaw`UPDATE "ShopOrder" SET "refundedFen" = 50 WHERE id LIKE 'bulk-so-%' AND "shopId" = ${shopA}`;

    await refreshSalesRollups();
    [have, want] = [await rollups(), await fromScratch()];
    expect(have).toEqual(want);

    expect(await statements()).toBe(statementsBefore);

    // A rebuild from scratch gives the same rows, and the dashboard the same figures.
    const before = await loadDashboard(countyA, range("from=2026-11-01&to=2026-12-31"), NOW);
    await db.$executeRaw`DELETE FROM "SalesDaily" WHERE "shopId" = ${shopA}`;
    await rebuildSalesRollups();
    expect(await rollups()).toEqual(want);
    expect(await loadDashboard(countyA, range("from=2026-11-01&to=2026-12-31"), NOW)).toEqual(before);
  });

  it("a bulk load's backlog: a view refreshes its share, newest days first, and says what is left; the worker does the rest", async () => {
    const db = unscopedDb();
    await refreshSalesRollups();
    const days = DASHBOARD_REFRESH_PAIRS + 50;
    // One paid shop order a day for 150 days in shop A, in one statement each: 150 marked pairs.
    await db.$executeRaw`
      INSERT INTO "Order" (id, number, "contactName", "contactPhone", provider, status, "totalFen",
                           "checkoutKey", "expiresAt", "paidAt", "updatedAt")
      SELECT 'backlog-o-' || g, 'BACKLOG' || g, '买家', '1391000' || lpad(g::text, 4, '0'), 'OFFLINE', 'PAID', 2000,
             'backlog-k-' || g, now(), timestamptz '2026-11-09 02:00Z' - g * interval '1 day', now()
        FROM generate_series(0, ${days - 1}) g`;
    await db.$executeRaw`
      INSERT INTO "ShopOrder" (id, "shopId", "orderId", number, status, delivery, "subtotalFen", "shippingFen",
                               "totalFen", "feeBps", "refundedFen", "paidAt", "updatedAt")
      SELECT 'backlog-so-' || g, ${shopA}, 'backlog-o-' || g, 'BACKLOG' || g || '-1', 'PAID', 'HOME', 2000, 0, 2000,
             500, 0, timestamptz '2026-11-09 02:00Z' - g * interval '1 day', now()
        FROM generate_series(0, ${days - 1}) g`;

    const first = await loadDashboard(countyA, range("range=30d"), NOW);
    expect(first.pendingDays).toBe(days - DASHBOARD_REFRESH_PAIRS);
    // The newest 100 days were refreshed: the last 30 days' figures are already whole.
    const want30 = await db.$queryRaw<{ gmv: number }[]>`
      SELECT SUM(so."totalFen")::int AS gmv FROM "ShopOrder" so JOIN "Shop" s ON s.id = so."shopId"
       WHERE s."countyId" = ${countyA} AND so."paidAt" >= ${range("range=30d").start} AND so."paidAt" < ${range("range=30d").end}`;
    expect(first.current.gmvFen).toBe(want30[0]!.gmv);
    expect(first.current.gmvFen).toBeGreaterThanOrEqual(30 * 2000);

    expect(await refreshSalesRollupsInBackground()).toEqual({ rollupPairs: days - DASHBOARD_REFRESH_PAIRS });
    expect(await db.salesRollupDirty.count()).toBe(0);
    expect(await rollups()).toEqual(await fromScratch());
    expect((await loadDashboard(countyA, range("range=30d"), NOW)).pendingDays).toBe(0);
  });

  it("the buyer of each shop order is kept by the database: a guest's order attached to an account counts as that account", async () => {
    const db = unscopedDb();
    const orders = await db.shopOrder.findMany({
      where: { shopId: shopA, paidAt: { not: null } },
      select: { id: true, buyerKey: true, order: { select: { id: true, userId: true, contactPhone: true } } },
    });
    expect(orders.length).toBeGreaterThan(3);
    for (const so of orders)
      expect(so.buyerKey).toBe(so.order.userId ? `u:${so.order.userId}` : `p:${so.order.contactPhone}`);
    const guest = orders.find((so) => !so.order.userId)!;
    const user = await createUser();
    await db.order.update({ where: { id: guest.order.id }, data: { userId: user.id } });
    expect((await db.shopOrder.findFirstOrThrow({ where: { id: guest.id } })).buyerKey).toBe(`u:${user.id}`);
  });

  it("buyers and fulfilment times are remembered while nothing they read changes, and follow every change that does", async () => {
    const db = unscopedDb();
    const parsed = parseRange(new URLSearchParams({ from: "2026-12-01", to: "2026-12-31" }), NOW);
    if (!parsed.ok) throw new Error(parsed.error);
    const view = () => countingSql(() => loadDashboard(countyA, parsed.range, NOW));
    const first = await view();
    const again = await view();
    // Unchanged data: the same figures, without the scan of the range's shop orders.
    expect(again.result.current.buyers).toBe(first.result.current.buyers);
    expect(again.result.fulfilment).toEqual(first.result.fulfilment);
    expect(again.statements).toBe(first.statements - 1);

    // Packing (not a sum the roll-ups keep) must still show at once.
    const packable = await db.shopOrder.findFirstOrThrow({
      where: { shopId: shopA, paidAt: { gte: shanghaiLocalToUtc("2026-12-01T00:00") }, packedAt: null },
      select: { id: true, paidAt: true },
    });
    await db.shopOrder.update({
      where: { shopId_id: { shopId: shopA, id: packable.id } },
      data: { status: "PACKED", packedAt: new Date(packable.paidAt!.getTime() + 5 * H) },
    });
    const packed = (await view()).result;
    const stage = (d: typeof packed) => d.fulfilment.find((f) => f.stage === "paidToPacked")!.count;
    expect(stage(packed)).toBe(stage(first.result) + 1);

    // A new buyer's paid order: one more buyer.
    await shopOrder("r1", shopA, {
      lines: [{ variant: fx.a.p6, kind: "PRODUCE", priceFen: 1000, quantity: 1 }],
      paidAt: "2026-12-05T10:00",
      phone: "13900000099",
    });
    expect((await view()).result.current.buyers).toBe(first.result.current.buyers + 1);
  });

  it("a refresh in one county raises that county's roll-up version only: another county keeps its remembered figures", async () => {
    const db = unscopedDb();
    await refreshSalesRollups();
    // A range no view has used yet, so county A's first view scans and remembers.
    const parsed = parseRange(new URLSearchParams({ from: "2026-12-02", to: "2026-12-31" }), NOW);
    if (!parsed.ok) throw new Error(parsed.error);
    const viewA = () => countingSql(() => loadDashboard(countyA, parsed.range, NOW));
    const firstA = await viewA();
    const firstB = await loadDashboard(countyB, parsed.range, NOW);
    const [versionA, versionB] = [await countyRollupVersion(db, countyA), await countyRollupVersion(db, countyB)];
    const shopVersion = async (shopId: string) =>
      (await db.salesRollupShopVersion.findUnique({ where: { shopId } }))?.version ?? null;
    const [shopVersionA, shopVersionB] = [await shopVersion(shopA), await shopVersion(shopB)];
    expect(shopVersionA).not.toBeNull();
    expect(shopVersionB).not.toBeNull();

    // A new buyer's paid order in county B's shop, brought into the roll-ups by county B's view.
    await shopOrder("x1", shopB, {
      lines: [{ variant: fx.b.p6, kind: "PRODUCE", priceFen: 2500, quantity: 2 }],
      paidAt: "2026-12-06T10:00",
      phone: "13900000088",
      status: "PACKED",
      packedAfter: 3,
    });
    const freshB = await loadDashboard(countyB, parsed.range, NOW);
    expect(await db.salesRollupDirty.count()).toBe(0);
    // County B's dashboard shows the order at once: its sums, its buyer, its packing time.
    expect(freshB.current.gmvFen).toBe(firstB.current.gmvFen + 5000);
    expect(freshB.current.orders).toBe(firstB.current.orders + 1);
    expect(freshB.current.buyers).toBe(firstB.current.buyers + 1);
    const packedB = (d: typeof freshB) => d.fulfilment.find((f) => f.stage === "paidToPacked")!.count;
    expect(packedB(freshB)).toBe(packedB(firstB) + 1);

    // Shop B's number was raised, shop A's was not; so county B's version moved and county A's did not.
    expect(await shopVersion(shopB)).toBeGreaterThan(shopVersionB!);
    expect(await shopVersion(shopA)).toBe(shopVersionA);
    expect(await countyRollupVersion(db, countyB)).not.toBe(versionB);
    expect(await countyRollupVersion(db, countyA)).toBe(versionA);

    // County A's next view reuses its remembered buyers and fulfilment times (no scan), with the same figures.
    const againA = await viewA();
    expect(againA.statements).toBe(firstA.statements - 1);
    expect(againA.result).toEqual(firstA.result);

    // A statement deleting roll-up rows of a shop that no longer exists (SalesDaily has no foreign
    // key) still succeeds, and writes no version for it.
    await db.$executeRaw`
      INSERT INTO "SalesDaily" ("shopId", day, delivery, "gmvFen", "refundsFen", orders, "refundedOrders",
                                "produceOrders", "specialtyOrders", "experienceOrders")
      VALUES ('no-such-shop', '2026-12-06', 'HOME', 1, 0, 1, 0, 1, 0, 0)`;
    await db.$executeRaw`DELETE FROM "SalesDaily" WHERE "shopId" = 'no-such-shop'`;
    expect(await shopVersion("no-such-shop")).toBeNull();
  });
});
