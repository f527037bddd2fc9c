// A stand-in filler for the reports bench until the demo bulk path (insertBulkOrders) is merged:
// delivered orders of one shop order with LINES_PER_ORDER lines each, for the live shops of one
// county, spread evenly over `days` Shanghai days before `now`, written set-based (INSERT … SELECT
// over generate_series) in batches. It writes only Order, ShopOrder and ShopOrderLine: enough for
// the orders report and the dashboard, not the ledger or stock invariants the demo path keeps.
import type pg from "pg";

const LINES_PER_ORDER = 2;
const BATCH_ORDERS = 25_000;

export async function fillOrderLines(
  client: pg.Client,
  {
    countyId,
    lines,
    days,
    now,
    onProgress,
  }: { countyId: string; lines: number; days: number; now: Date; onProgress?: (lines: number) => void },
): Promise<number> {
  const orders = Math.ceil(lines / LINES_PER_ORDER);
  const spanMs = days * 86_400_000;
  for (let from = 0; from < orders; from += BATCH_ORDERS) {
    const to = Math.min(orders, from + BATCH_ORDERS);
    await client.query("BEGIN");
    // One row per order: its shop (round robin) and one of that shop's variants, its times.
    await client.query(
      `CREATE TEMP TABLE fill ON COMMIT DROP AS
       WITH shops AS (
         SELECT s.id, s."shippingHomeFen", row_number() OVER (ORDER BY s.id) - 1 AS k, count(*) OVER () AS n
           FROM "Shop" s WHERE s."countyId" = $1 AND EXISTS (SELECT 1 FROM "Variant" v WHERE v."shopId" = s.id)
       ), variants AS (
         SELECT v.id, v."shopId", v."productId", v.sku, v."titleZh", v."titleEn", v.unit, v."priceFen",
                p.kind, p."titleZh" AS "pTitleZh", p."titleEn" AS "pTitleEn",
                row_number() OVER (PARTITION BY v."shopId" ORDER BY v.id) - 1 AS k,
                count(*) OVER (PARTITION BY v."shopId") AS n
           FROM "Variant" v JOIN "Product" p ON p.id = v."productId"
       )
       SELECT g AS i, 'bo' || g AS "orderId", 'bso' || g AS "shopOrderId", s.id AS "shopId", s."shippingHomeFen",
              v.id AS "variantId", v."productId", v.sku, v."titleZh", v."titleEn", v.unit, v."priceFen", v.kind,
              v."pTitleZh", v."pTitleEn",
              $2::timestamptz - make_interval(secs => ($3::bigint * (g + 1) / $4::bigint) / 1000.0) AS at
         FROM generate_series($5::int, $6::int - 1) AS g
         JOIN shops s ON s.k = g % s.n
         JOIN variants v ON v."shopId" = s.id AND v.k = (g / s.n) % v.n`,
      [countyId, now, spanMs, orders + 1, from, to],
    );
    await client.query(
      `INSERT INTO "Order" (id, number, "contactName", "contactPhone", status, provider, "offlineMethod", "totalFen",
                            "checkoutKey", "expiresAt", "paidAt", "createdAt", "updatedAt")
       SELECT "orderId", 'B' || lpad(i::text, 10, '0'), '压测买家' || (i % 997), '139' || lpad((i % 100000000)::text, 8, '0'),
              'PAID', 'OFFLINE', 'COD', ${LINES_PER_ORDER} * "priceFen" + "shippingHomeFen", 'bench-' || i,
              at + interval '1 day', at, at, at
         FROM fill`,
    );
    await client.query(
      `INSERT INTO "ShopOrder" (id, "shopId", "orderId", number, status, delivery, "recipientName", "recipientPhone",
                                "addressRegion", "addressLine", "subtotalFen", "shippingFen", "totalFen", "feeBps",
                                "paidAt", "packedAt", "handedOverAt", "deliveredAt", "createdAt", "updatedAt")
       SELECT "shopOrderId", "shopId", "orderId", 'B' || lpad(i::text, 10, '0') || '-1', 'DELIVERED', 'HOME',
              '压测买家', '13900000000', '江苏省 南京市 玄武区', '北京东路 1 号',
              ${LINES_PER_ORDER} * "priceFen", "shippingHomeFen", ${LINES_PER_ORDER} * "priceFen" + "shippingHomeFen", 500,
              at, at + interval '5 hours', at + interval '1 day', at + interval '3 days', at, at
         FROM fill`,
    );
    await client.query(
      `INSERT INTO "ShopOrderLine" (id, "shopId", "shopOrderId", "productId", "variantId", kind, "titleZh", "titleEn",
                                    "variantTitleZh", "variantTitleEn", sku, unit, "unitPriceFen", quantity, "lineTotalFen")
       SELECT 'bl' || i || '_' || n, "shopId", "shopOrderId", "productId", "variantId", kind, "pTitleZh", "pTitleEn",
              "titleZh", "titleEn", sku, unit, "priceFen", 1, "priceFen"
         FROM fill, generate_series(1, ${LINES_PER_ORDER}) AS n`,
    );
    await client.query("COMMIT");
    onProgress?.(Math.min(lines, to * LINES_PER_ORDER));
  }
  return orders * LINES_PER_ORDER;
}
