import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { connection } from "~/db/index.server";
import { env } from "~/env.server";
import { feeFen } from "~/modules/ledger/fee";
import { ledgerSummary, shopBalance } from "~/modules/ledger/statement.server";
import { insertBulkOrders } from "~/modules/demo/bulk-orders.cross-shop.server";
import { loadDemoCatalog } from "~/modules/demo/catalog.cross-shop.server";
import { planOrders } from "~/modules/demo/plan";
import { placeRealOrders } from "~/modules/demo/real-orders.cross-shop.server";
import { insertDemoReviews } from "~/modules/demo/reviews.cross-shop.server";
import { importReviews } from "~/modules/reviews/imported-reviews.cross-shop.server";
import { loader as shopLoader } from "~/routes/s.$shop._index";
import { run } from "../support/auth";
import { syncTenants } from "~/modules/tenants/sync.server";

// `npm run demo:orders` (issue #11): a real run (checkout and the order writer) and a bulk run
// (set-based INSERTs) on the eight demo cooperatives, then what a user relies on, recomputed
// here from the rows: every shop's ledger sums to the balance the ledger module reports and to
// what its orders say it should be (offline money: the shop owes the fee on what it kept);
// stock movements add up to each variant's stock; statuses agree with their times; totals are
// lines plus shipping; every row names the shop of its shop order; one seed, one data set.

const NOW = new Date("2026-11-20T04:00:00Z");
const DAYS = 60;
const sql = () => connection().raw;
/** Per variant, stock minus its movements after the import (the packs' stock is not a movement). */
let baseline: Map<string, number>;

async function stockBeyondMovements() {
  const rows = await sql().query<{ id: string; stock: number; moved: number }>(
    `SELECT v.id, v.stock, COALESCE(sum(m.delta), 0)::int AS moved
       FROM "Variant" v LEFT JOIN "StockMovement" m ON m."variantId" = v.id AND m."shopId" = v."shopId"
      GROUP BY v.id, v.stock`,
  );
  return rows;
}

beforeAll(async () => {
  const results = await syncTenants(path.resolve("tenants"), { now: new Date("2026-08-01T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  baseline = new Map((await stockBeyondMovements()).map((v) => [v.id, v.stock - v.moved]));
}, 480_000); // the eight real packs, images and all: slow on a busy machine

async function checkInvariants() {
  const q = sql().query;
  const feeBps = Math.round(env().PLATFORM_FEE_PERCENT * 100);

  // Ledger: per shop, the entries' sum is the module's balance and what the orders imply.
  const shops = await q<{ id: string }>(`SELECT id FROM "Shop" WHERE "isDemo"`);
  for (const { id } of shops) {
    const [sum] = await q<{ total: number }>(
      `SELECT COALESCE(sum("amountFen"), 0)::int AS total FROM "LedgerEntry" WHERE "shopId" = $1`,
      [id],
    );
    expect(await shopBalance(id)).toBe(sum!.total);
    expect((await ledgerSummary(id)).balanceFen).toBe(sum!.total);
    const paid = await q<{ totalFen: number }>(
      `SELECT "totalFen" FROM "ShopOrder" WHERE "shopId" = $1 AND "paidAt" IS NOT NULL`,
      [id],
    );
    const refunds = await q<{ amountFen: number }>(
      `SELECT "amountFen" FROM "Refund" WHERE "shopId" = $1 AND status = 'SUCCEEDED'`,
      [id],
    );
    // Offline: SALE + OFFLINE_COLLECTED cancel out; the shop owes the fee, less the fee given back on refunds.
    const expected =
      -paid.reduce((n, r) => n + feeFen(r.totalFen, feeBps), 0) +
      refunds.reduce((n, r) => n + feeFen(r.amountFen, feeBps), 0);
    expect(sum!.total, `shop ${id}`).toBe(expected);
  }

  // Stock: every variant's stock moved by exactly the sum of its movements since the import.
  const stock = await stockBeyondMovements();
  for (const v of stock) expect(v.stock - v.moved, `variant ${v.id}`).toBe(baseline.get(v.id));
  expect(stock.every((v) => v.stock >= 0)).toBe(true);

  // Statuses and their times.
  const wrong = await q<{ number: string; status: string }>(
    `SELECT so.number, so.status::text AS status FROM "ShopOrder" so JOIN "Order" o ON o.id = so."orderId"
      WHERE NOT CASE so.status
        WHEN 'AWAITING_PAYMENT' THEN so."paidAt" IS NULL AND so."packedAt" IS NULL AND so."cancelledAt" IS NULL
        WHEN 'ACCEPTED' THEN so."paidAt" IS NULL AND so."packedAt" IS NULL AND o."offlineMethod" = 'COD'
        WHEN 'PAID' THEN so."paidAt" IS NOT NULL AND so."packedAt" IS NULL
        WHEN 'PACKED' THEN so."packedAt" IS NOT NULL AND so."handedOverAt" IS NULL
             AND (so."paidAt" <= so."packedAt" OR (so."paidAt" IS NULL AND o."offlineMethod" = 'COD'))
        WHEN 'HANDED_OVER' THEN so."packedAt" <= so."handedOverAt" AND so."deliveredAt" IS NULL
        WHEN 'DELIVERED' THEN so."packedAt" <= so."handedOverAt" AND so."handedOverAt" <= so."deliveredAt"
             -- Cash on delivery is paid at the door.
             AND CASE WHEN o."offlineMethod" = 'COD' THEN so."paidAt" = so."deliveredAt" ELSE so."paidAt" <= so."packedAt" END
             AND so."cancelledAt" IS NULL
        WHEN 'CANCELLED' THEN so."cancelledAt" IS NOT NULL AND so."deliveredAt" IS NULL AND so."paidAt" IS NULL
        WHEN 'REFUNDED' THEN so."refundedFen" = so."totalFen" AND so."paidAt" IS NOT NULL
      END
      OR so."createdAt" > COALESCE(so."paidAt", so."createdAt")
      OR so."createdAt" > $1`,
    [NOW],
  );
  expect(wrong).toEqual([]);
  // The events tell the same story: the last one is the status.
  const lastEvent = await q<{ number: string }>(
    `SELECT so.number FROM "ShopOrder" so
       JOIN LATERAL (SELECT "toStatus" FROM "ShopOrderEvent" e WHERE e."shopOrderId" = so.id
                      ORDER BY e."createdAt" DESC, e.id DESC LIMIT 1) last ON true
      WHERE last."toStatus" <> so.status`,
  );
  expect(lastEvent).toEqual([]);

  // Money: refundedFen is the sum of refunds; totals are lines plus shipping; the order's total is its shop orders'.
  const money = await q<{ number: string }>(
    `SELECT so.number FROM "ShopOrder" so
      WHERE so."refundedFen" <> (SELECT COALESCE(sum("amountFen"), 0) FROM "Refund" r
                                  WHERE r."shopOrderId" = so.id AND r.status = 'SUCCEEDED')
         OR so."subtotalFen" <> (SELECT sum("lineTotalFen") FROM "ShopOrderLine" l WHERE l."shopOrderId" = so.id)
         OR so."totalFen" <> so."subtotalFen" + so."shippingFen"
         OR EXISTS (SELECT 1 FROM "ShopOrderLine" l WHERE l."shopOrderId" = so.id
                     AND l."lineTotalFen" <> l."unitPriceFen" * l.quantity)`,
  );
  expect(money).toEqual([]);
  const orders = await q<{ number: string }>(
    `SELECT o.number FROM "Order" o
      WHERE o."totalFen" <> (SELECT sum("totalFen") FROM "ShopOrder" so WHERE so."orderId" = o.id)
         OR o."totalFen" <> (SELECT sum("amountFen") FROM "Payment" p WHERE p."orderId" = o.id)`,
  );
  expect(orders).toEqual([]);

  // Tenancy: every row names the shop of its shop order (and of its variant).
  const foreign = await q<{ n: number }>(
    `SELECT ((SELECT count(*) FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId" WHERE l."shopId" <> so."shopId")
           + (SELECT count(*) FROM "ShopOrderLine" l JOIN "Variant" v ON v.id = l."variantId" WHERE l."shopId" <> v."shopId")
           + (SELECT count(*) FROM "ShopOrderEvent" e JOIN "ShopOrder" so ON so.id = e."shopOrderId" WHERE e."shopId" <> so."shopId")
           + (SELECT count(*) FROM "Reservation" r JOIN "ShopOrder" so ON so.id = r."shopOrderId" WHERE r."shopId" <> so."shopId")
           + (SELECT count(*) FROM "Refund" r JOIN "ShopOrder" so ON so.id = r."shopOrderId" WHERE r."shopId" <> so."shopId")
           + (SELECT count(*) FROM "LedgerEntry" e JOIN "ShopOrder" so ON so.id = e."shopOrderId" WHERE e."shopId" <> so."shopId")
           + (SELECT count(*) FROM "StockMovement" m JOIN "Variant" v ON v.id = m."variantId" WHERE m."shopId" <> v."shopId")
           )::int AS n`,
  );
  expect(foreign[0]!.n).toBe(0);
}

/** What run `run` made in its first `upTo` orders, without ids or numbers (they differ between runs by design). */
async function fingerprint(run: string, upTo: number) {
  return sql().query(
    `SELECT s.slug, so.status::text AS status, so.delivery::text AS delivery, so."totalFen", so."refundedFen",
            so."createdAt", so."paidAt", so."deliveredAt", o."contactName", o."contactPhone",
            (SELECT string_agg(l.sku || 'x' || l.quantity, ',' ORDER BY l.id) FROM "ShopOrderLine" l
              WHERE l."shopOrderId" = so.id) AS lines
       FROM "ShopOrder" so JOIN "Order" o ON o.id = so."orderId" JOIN "Shop" s ON s.id = so."shopId"
      WHERE o.id LIKE $1 AND substring(o.id from 'o([0-9]+)$')::int <= $2
      ORDER BY so."createdAt", so.number`,
    [`dm${run}o%`, upTo],
  );
}

describe("npm run demo:orders", () => {
  it("plans the same orders from the same seed, and other ones from another", async () => {
    const catalog = await loadDemoCatalog(sql().query);
    expect(catalog.shops.length).toBe(8);
    const options = { days: DAYS, now: NOW, holdHours: 72 };
    const a = [...planOrders(catalog, 200, { ...options, seed: 1 })];
    const b = [...planOrders(catalog, 200, { ...options, seed: 1 })];
    const c = [...planOrders(catalog, 200, { ...options, seed: 2 })];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    // Believable: 1–3 shops and 1–4 lines an order, over the whole period, some in each state.
    for (const o of a) {
      expect(o.shopOrders.length).toBeGreaterThanOrEqual(1);
      expect(o.shopOrders.length).toBeLessThanOrEqual(3);
      const lines = o.shopOrders.reduce((n, so) => n + so.lines.length, 0);
      expect(lines).toBeLessThanOrEqual(4);
      expect(o.placedAt.getTime()).toBeLessThan(NOW.getTime());
      expect(o.placedAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - DAYS * 86_400_000);
      expect(o.buyer.phone).toMatch(/^1390000\d{4}$/);
    }
    const deliveries = new Set(a.flatMap((o) => o.shopOrders.map((so) => so.delivery)));
    expect([...deliveries].sort()).toEqual(["HOME", "LOCKER", "PICKUP_POINT"]);
    expect(new Set(a.map((o) => o.method))).toEqual(new Set(["COD", "BANK_TRANSFER"]));
  });

  it("places orders through checkout and moves them through the order writer, back-dated", async () => {
    const result = await placeRealOrders({ orders: 30, days: DAYS, seed: 11, now: NOW });
    expect(result.orders).toBe(30);
    await checkInvariants();
    const events = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "ShopOrderEvent" WHERE "createdAt" > $1`,
      [NOW],
    );
    expect(events[0]!.n).toBe(0);
    const moves = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "StockMovement" WHERE "createdAt" > $1 AND reason NOT LIKE 'initial%'`,
      [NOW],
    );
    expect(moves[0]!.n).toBe(0);
  }, 300_000);

  it("writes thousands of lines in batches with the same invariants, and the same seed gives the same data", async () => {
    const progress: number[] = [];
    const first = await insertBulkOrders(sql(), {
      orders: 2_400,
      days: DAYS,
      seed: 7,
      now: NOW,
      batchLines: 1_500,
      onProgress: (p) => progress.push(p.lines),
    });
    expect(first.orders).toBe(2_400);
    expect(first.lines).toBeGreaterThan(4_000);
    expect(progress.length).toBeGreaterThan(2);
    await checkInvariants();

    // The same seed and count again (in one batch): the same orders. Orders come in time order,
    // so a plan of another length is another plan.
    const again = await insertBulkOrders(sql(), { orders: 2_400, days: DAYS, seed: 7, now: NOW });
    expect(again.orders).toBe(2_400);
    await checkInvariants();
    const runs = await sql().query<{ run: string; n: number }>(
      `SELECT substring(id from '^dm([A-Z]+)o') AS run, count(*)::int AS n FROM "Order" WHERE id LIKE 'dm%'
        GROUP BY 1 ORDER BY 2 DESC`,
    );
    expect(runs.map((r) => r.n)).toEqual([2_400, 2_400]);
    const before = await fingerprint(runs[0]!.run, 2_400);
    expect(before.length).toBeGreaterThan(2_400);
    expect(await fingerprint(runs[1]!.run, 2_400)).toEqual(before);
    // Placed in time order, as checkout writes them: the table's rows follow the clock.
    const order = await sql().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT "createdAt" < lag("createdAt") OVER (ORDER BY substring(id from 'o([0-9]+)$')::int) AS back
           FROM "Order" WHERE id LIKE 'dm' || $1 || 'o%') x WHERE back`,
      [runs[0]!.run],
    );
    expect(order[0]!.n).toBe(0);
  }, 300_000);

  it("gives the embedded demo's delivered lines believable reviews, rolled up on cards", async () => {
    const written = await insertDemoReviews(sql().query, { seed: 1, now: NOW });
    expect(written).toBeGreaterThan(100);
    const reviews = await sql().query<{
      authorName: string;
      anonymous: boolean;
      text: string;
      stars: number;
      reply: string | null;
      status: string;
      delivered: boolean;
      demo: boolean;
      sameShop: boolean;
      createdAt: Date;
      deliveredAt: Date;
    }>(
      `SELECT r."authorName", r.anonymous, r.text, r.stars, r.reply, r.status::text AS status,
              so.status = 'DELIVERED' AS delivered, s."isDemo" AS demo,
              r."shopId" = l."shopId" AND r."productId" = l."productId" AS "sameShop",
              r."createdAt", so."deliveredAt"
         FROM "Review" r JOIN "ShopOrderLine" l ON l.id = r."shopOrderLineId"
         JOIN "ShopOrder" so ON so.id = l."shopOrderId" JOIN "Shop" s ON s.id = r."shopId"`,
    );
    expect(reviews).toHaveLength(written);
    for (const r of reviews) {
      expect(r).toMatchObject({ delivered: true, demo: true, sameShop: true, status: "PUBLISHED" });
      expect(r.text).toMatch(/[\u4e00-\u9fff]/);
      expect(r.stars).toBeGreaterThanOrEqual(1);
      expect(r.stars).toBeLessThanOrEqual(5);
      expect(r.createdAt.getTime()).toBeGreaterThanOrEqual(r.deliveredAt.getTime());
      expect(r.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (r.anonymous) expect(r.authorName).toMatch(/^.\*\*$/u);
      else expect(r.authorName).not.toContain("**");
    }
    // Some anonymous and some answered by the cooperative, but not all; mostly good ratings.
    const share = (p: (r: (typeof reviews)[number]) => boolean) => reviews.filter(p).length / reviews.length;
    expect(share((r) => r.anonymous)).toBeGreaterThan(0.1);
    expect(share((r) => r.anonymous)).toBeLessThan(0.6);
    expect(share((r) => r.reply !== null)).toBeGreaterThan(0.1);
    expect(share((r) => r.reply !== null)).toBeLessThan(0.7);
    expect(share((r) => r.stars >= 4)).toBeGreaterThan(0.7);

    // The roll-up the cards read is the reviews' own sum and count, product by product.
    const off = await sql().query<{ productId: string }>(
      `SELECT p.id AS "productId" FROM "Product" p
         LEFT JOIN "ProductStats" ps ON ps."productId" = p.id AND ps."shopId" = p."shopId"
        WHERE coalesce(ps."ratingSum", 0) <> (SELECT coalesce(sum(stars), 0) FROM "Review" r
                                                WHERE r."productId" = p.id AND r.status = 'PUBLISHED')
           OR coalesce(ps."ratingCount", 0) <> (SELECT count(*) FROM "Review" r
                                                  WHERE r."productId" = p.id AND r.status = 'PUBLISHED')`,
    );
    expect(off).toEqual([]);
    const [shop] = await sql().query<{ slug: string }>(
      `SELECT s.slug FROM "Shop" s JOIN "Review" r ON r."shopId" = s.id GROUP BY s.slug ORDER BY count(*) DESC LIMIT 1`,
    );
    const page = await run(shopLoader as never, new Request(`http://localhost/s/${shop!.slug}`), { shop: shop!.slug });
    expect(page.status).toBe(200);
    const cards = (page.data as unknown as { products: { rating: { average: number | null; count: number } }[] })
      .products;
    const rated = cards.filter((c) => c.rating.count > 0);
    expect(rated.length).toBeGreaterThan(0);
    for (const c of rated) expect(c.rating.average).toBeGreaterThanOrEqual(1);

    // Through the reviews module's rules: a line not delivered or already reviewed is skipped,
    // and a blocklisted word holds the review (not counted).
    const [open] = await sql().query<{ id: string }>(
      `SELECT l.id FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId"
        WHERE so.status <> 'DELIVERED' AND l."productId" IS NOT NULL LIMIT 1`,
    );
    const [reviewed] = await sql().query<{ id: string }>(`SELECT "shopOrderLineId" AS id FROM "Review" LIMIT 1`);
    const [fresh] = await sql().query<{ id: string; productId: string }>(
      `SELECT l.id, l."productId" FROM "ShopOrderLine" l JOIN "ShopOrder" so ON so.id = l."shopOrderId"
        WHERE so.status = 'DELIVERED' AND l."productId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."shopOrderLineId" = l.id) LIMIT 1`,
    );
    const one = (lineId: string, text: string) => ({
      lineId,
      stars: 1,
      text,
      anonymous: false,
      reply: "谢谢",
      createdAt: NOW,
      repliedAt: NOW,
    });
    expect(await importReviews(sql().query, [one(open!.id, "还没到"), one(reviewed!.id, "再评一次")])).toBe(0);
    expect(await importReviews(sql().query, [one(fresh!.id, "有事 加 微信 聊")])).toBe(1);
    const [held] = await sql().query<{ status: string; reply: string | null }>(
      `SELECT status::text AS status, reply FROM "Review" WHERE "shopOrderLineId" = $1`,
      [fresh!.id],
    );
    expect(held).toEqual({ status: "HELD", reply: null });
    expect(await sql().query(`SELECT 1 FROM "Review" WHERE "shopOrderLineId" = $1`, [reviewed!.id])).toHaveLength(1);
  });
});
