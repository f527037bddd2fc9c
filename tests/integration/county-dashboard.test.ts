import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { shanghaiLocalToUtc } from "~/lib/time";
import { parseRange } from "~/modules/reports/range";
import { loader } from "~/routes/county.$code._index";
import { createUser, getAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";

// The county coordinator's overview (issue #11): the figures for a range equal what the
// fixtures give by hand, in Shanghai days; another county's orders never count; the charts are
// SVG in the page with shop names escaped; only the county's coordinator sees it.

let countyA: string;
let countyB: string;
let coordA: Session;
let coordB: Session;
let shopA: string;
let shopB: string;
const numbers: Record<string, string> = {};
const EVIL = "<script>alert(1)</script>";

async function paidOrder(
  key: string,
  shopId: string,
  o: {
    totalFen: number;
    refundedFen?: number;
    paidAt: string | null;
    phone: string;
    status?: "PAID" | "DELIVERED";
    kind?: "PRODUCE" | "SPECIALTY";
  },
) {
  const number = `T${randomBytes(5).toString("hex")}`;
  numbers[key] = `${number}-1`;
  const paidAt = o.paidAt ? shanghaiLocalToUtc(o.paidAt) : null;
  const order = await unscopedDb().order.create({
    data: {
      number,
      contactName: "买家",
      contactPhone: o.phone,
      provider: "OFFLINE",
      status: paidAt ? "PAID" : "AWAITING_PAYMENT",
      totalFen: o.totalFen,
      checkoutKey: randomBytes(8).toString("hex"),
      expiresAt: new Date("2026-11-01T00:00:00Z"),
      paidAt,
      createdAt: paidAt ?? new Date("2026-11-02T00:00:00Z"),
    },
  });
  await unscopedDb().shopOrder.create({
    data: {
      shopId,
      orderId: order.id,
      number: `${number}-1`,
      status: paidAt ? (o.status ?? "DELIVERED") : "AWAITING_PAYMENT",
      delivery: "HOME",
      subtotalFen: o.totalFen,
      shippingFen: 0,
      totalFen: o.totalFen,
      feeBps: 500,
      refundedFen: o.refundedFen ?? 0,
      paidAt,
      packedAt: o.status === "PAID" ? null : paidAt,
      createdAt: paidAt ?? new Date("2026-11-02T00:00:00Z"),
      lines: {
        create: {
          kind: o.kind ?? "PRODUCE",
          titleZh: "水蜜桃",
          variantTitleZh: "6 只装",
          sku: "X",
          unit: "盒",
          unitPriceFen: o.totalFen,
          quantity: 1,
          lineTotalFen: o.totalFen,
        },
      },
    },
  });
}

beforeAll(async () => {
  await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  await unscopedDb().shop.update({ where: { id: shopA }, data: { nameZh: EVIL, nameEn: EVIL } });
  const shops = await unscopedDb().shop.findMany({
    where: { id: { in: [shopA, shopB] } },
    select: { id: true, county: { select: { id: true, code: true } } },
  });
  const a = shops.find((s) => s.id === shopA)!.county;
  const b = shops.find((s) => s.id === shopB)!.county;
  expect(a.id).not.toBe(b.id);
  countyA = a.code;
  countyB = b.code;
  const ua = await createUser({ name: "A 县协调员" });
  const ub = await createUser({ name: "B 县协调员" });
  await unscopedDb().countyCoordinator.create({ data: { countyId: a.id, userId: ua.id } });
  await unscopedDb().countyCoordinator.create({ data: { countyId: b.id, userId: ub.id } });
  coordA = await signedIn(ua.id);
  coordB = await signedIn(ub.id);

  // The range below is 2026-11-01 … 2026-11-07 (Shanghai); the previous period 10-25 … 10-31.
  await paidOrder("first", shopA, {
    totalFen: 10000,
    refundedFen: 2000,
    paidAt: "2026-11-01T00:30",
    phone: "13900000001",
  });
  await paidOrder("late", shopA, {
    totalFen: 5000,
    paidAt: "2026-11-07T23:30",
    phone: "13900000001",
    status: "PAID",
    kind: "SPECIALTY",
  });
  await paidOrder("nextDay", shopA, { totalFen: 7000, paidAt: "2026-11-08T00:10", phone: "13900000002" });
  await paidOrder("before", shopA, { totalFen: 3000, paidAt: "2026-10-31T23:59", phone: "13900000003" });
  await paidOrder("unpaid", shopA, { totalFen: 9999, paidAt: null, phone: "13900000004" });
  await paidOrder("otherCounty", shopB, {
    totalFen: 100000,
    paidAt: "2026-11-03T12:00",
    phone: "13900000005",
    status: "PAID",
  });
});

afterAll(async () => {
  await stopApp();
});

const url = (code: string, q: string) => `http://localhost/county/${code}?${q}`;
type View = {
  error: string | null;
  view: {
    figures: {
      current: Record<string, number | null>;
      previous: Record<string, number | null>;
      series: { bucket: string; gmvFen: number; orders: number }[];
      byShop: { slug: string; gmvFen: number }[];
      byKind: { kind: string; salesFen: number }[];
      late: { number: string }[];
      anyPaid: boolean;
    };
    charts: { sales: string; shops: string | null };
  } | null;
};

describe("the county dashboard's figures", () => {
  it("equal the fixtures by hand for a range and its previous period; county B never counts", async () => {
    const res = await run(loader as never, getAs(coordA, url(countyA, "from=2026-11-01&to=2026-11-07")), {
      code: countyA,
    });
    expect(res.status).toBe(200);
    const { view } = res.data as unknown as View;
    expect(view!.figures.current).toEqual({
      gmvFen: 15000,
      refundsFen: 2000,
      netFen: 13000,
      orders: 2,
      buyers: 1,
      aovFen: 7500,
    });
    expect(view!.figures.previous).toEqual({
      gmvFen: 3000,
      refundsFen: 0,
      netFen: 3000,
      orders: 1,
      buyers: 1,
      aovFen: 3000,
    });
    expect(view!.figures.series.map((s) => [s.bucket, s.gmvFen, s.orders])).toEqual([
      ["2026-11-01", 10000, 1],
      ["2026-11-07", 5000, 1],
    ]);
    expect(view!.figures.byShop.map((s) => [s.slug, s.gmvFen])).toEqual([[SHOP_A, 15000]]);
    expect(view!.figures.byKind.map((k) => [k.kind, k.salesFen])).toEqual([
      ["PRODUCE", 10000],
      ["SPECIALTY", 5000],
    ]);
    // Paid and not packed for over two days: county A's only, never county B's.
    expect(view!.figures.late.map((l) => l.number)).toEqual([numbers.late]);
  });

  it("county B sees only its own order", async () => {
    const res = await run(loader as never, getAs(coordB, url(countyB, "from=2026-11-01&to=2026-11-07")), {
      code: countyB,
    });
    const { view } = res.data as unknown as View;
    expect(view!.figures.current).toMatchObject({ gmvFen: 100000, orders: 1, buyers: 1 });
    expect(view!.figures.previous).toMatchObject({ gmvFen: 0, orders: 0, aovFen: null });
  });

  it("presets are whole Shanghai days ending today, with a previous period of equal length", () => {
    const now = new Date("2026-12-05T17:00:00Z"); // 2026-12-06 01:00 in Shanghai
    const r = (q: string) => {
      const p = parseRange(new URLSearchParams(q), now);
      if (!p.ok) throw new Error(p.error);
      return p.range;
    };
    expect(r("")).toMatchObject({
      preset: "30d",
      from: "2026-11-07",
      to: "2026-12-06",
      prevFrom: "2026-10-08",
      prevTo: "2026-11-06",
      by: "day",
    });
    expect(r("range=today")).toMatchObject({ from: "2026-12-06", to: "2026-12-06", prevFrom: "2026-12-05" });
    expect(r("range=today").start).toEqual(new Date("2026-12-05T16:00:00Z"));
    expect(r("range=7d")).toMatchObject({ from: "2026-11-30", to: "2026-12-06" });
    expect(r("range=month")).toMatchObject({ from: "2026-12-01", to: "2026-12-06", prevFrom: "2026-11-25" });
    expect(r("from=2026-01-01&to=2026-12-31")).toMatchObject({ by: "month" });
    expect(r("from=2026-01-01&to=2026-12-31&by=week")).toMatchObject({ by: "week" });
  });
});

describe("the dashboard page", () => {
  it("has the charts as SVG and the shop's name only escaped", async () => {
    const app = await startApp();
    const res = await app(getAs(coordA, url(countyA, "from=2026-11-01&to=2026-11-07")));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<figure");
    expect(html).toMatch(/<svg width="100%"[^>]*viewBox="0 0 640 \d+"/);
    expect(html).not.toContain(EVIL);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain(`/admin/${SHOP_A}/orders/${numbers.late}`);
    expect(html).toContain("概览");
  });

  it("answers 404 to another county's coordinator", async () => {
    const res = await run(loader as never, getAs(coordB, url(countyA, "")), { code: countyA });
    expect(res.status).toBe(404);
  });

  it("answers 400 with a translated message to a bad from/to", async () => {
    const zh = await createI18n("zh-CN");
    for (const [q, key] of [
      ["from=2026-13-01&to=2026-11-07", "dashboard.errors.badDate"],
      ["from=2026-11-07&to=2026-11-01", "dashboard.errors.fromAfterTo"],
      ["from=yesterday&to=2026-11-01", "dashboard.errors.badDate"],
    ] as const) {
      const res = await run(loader as never, getAs(coordA, url(countyA, q)), { code: countyA });
      expect(res.status).toBe(400);
      const body = res.data as unknown as View;
      expect(body.error).toBe(zh.t(key));
      expect(body.error).not.toBe(key);
      expect(body.view).toBeNull();
    }
  });
});
