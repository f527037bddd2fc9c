// Bulk rows for load tests of the partner feed (issue #10): the bench's 100,000 shipments and
// the feed concurrency test's 1,000 shop orders. Real checkouts are far too slow for that, so
// these copy ONE real order — placed through checkout — many times in single INSERT … SELECT
// statements (every column, read from information_schema, so columns added later are copied
// too), giving each copy fresh ids and numbers. The copies are valid rows: the same
// constraints hold, the same foreign keys point at real shops, variants and products.
// Never used by the app itself.

/** Runs one SQL statement with $n parameters and gives its rows (a pg client or Prisma's $queryRawUnsafe). */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

async function columnsOf(query: Query, table: string): Promise<string[]> {
  const rows = await query(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => String(r.name));
}

/** `INSERT INTO table (every column) SELECT every column of alias, some replaced by expressions`. */
async function copyStatement(
  query: Query,
  table: string,
  alias: string,
  replaced: Record<string, string>,
): Promise<string> {
  const columns = await columnsOf(query, table);
  const list = columns.map((c) => `"${c}"`).join(", ");
  const values = columns.map((c) => replaced[c] ?? `${alias}."${c}"`).join(", ");
  return `INSERT INTO "${table}" (${list}) SELECT ${values}`;
}

/**
 * Copies the shop order `templateShopOrderId` (its Order, the ShopOrder and its lines) `count`
 * times, every column as it is except the ids, numbers and keys that must differ. Copy i
 * (1-based) gets ids `${prefix}o${i}` / `${prefix}so${i}` and numbers suffixed `-${prefix}${i}`.
 * Returns the shop order ids. The copies are the template's shop's; `templateShopId`, when given,
 * saves looking it up (by the shop order's id alone: no index since the key is (shopId, id)).
 */
export async function copyShopOrders(
  query: Query,
  {
    templateShopOrderId,
    templateShopId,
    count,
    prefix,
  }: { templateShopOrderId: string; templateShopId?: string; count: number; prefix: string },
): Promise<string[]> {
  if (!/^[a-z0-9]{1,12}$/.test(prefix)) throw new Error("prefix: 1–12 lower-case letters or digits");
  const shopId =
    templateShopId ??
    String((await query(`SELECT "shopId" FROM "ShopOrder" WHERE id = $1`, [templateShopOrderId]))[0]?.shopId ?? "");
  if (!shopId) throw new Error(`no shop order ${templateShopOrderId}`);
  const order = await copyStatement(query, "Order", "o", {
    id: `$2 || 'o' || g`,
    number: `o.number || '-' || $2 || g`,
    checkoutKey: `o."checkoutKey" || '-' || $2 || g`,
  });
  await query(
    `${order} FROM "Order" o JOIN "ShopOrder" so ON so."orderId" = o.id, generate_series(1, $3::int) g
      WHERE so."shopId" = $4 AND so.id = $1`,
    [templateShopOrderId, prefix, count, shopId],
  );
  const shopOrder = await copyStatement(query, "ShopOrder", "so", {
    id: `$2 || 'so' || g`,
    orderId: `$2 || 'o' || g`,
    number: `so.number || '-' || $2 || g`,
  });
  await query(`${shopOrder} FROM "ShopOrder" so, generate_series(1, $3::int) g WHERE so."shopId" = $4 AND so.id = $1`, [
    templateShopOrderId,
    prefix,
    count,
    shopId,
  ]);
  const line = await copyStatement(query, "ShopOrderLine", "l", {
    id: `$2 || 'l' || g || '_' || l.id`,
    shopOrderId: `$2 || 'so' || g`,
  });
  await query(
    `${line} FROM "ShopOrderLine" l, generate_series(1, $3::int) g WHERE l."shopId" = $4 AND l."shopOrderId" = $1`,
    [templateShopOrderId, prefix, count, shopId],
  );
  return Array.from({ length: count }, (_, i) => `${prefix}so${i + 1}`);
}

/**
 * The bench's bulk path: a shipment ASSIGNED to `partnerId` for each copied shop order
 * `${prefix}so1…count`, with the "created" and "assigned" events createShipment/assignShipment
 * would write, all in one transaction — so they share one feedXid (the feed orders them by id
 * within it), exactly as if one transaction had packed them all. Columns as createShipment sets
 * them (home delivery, the platform's waybill number, cash on delivery when the order is COD).
 * `shopId`: the copies' shop (copyShopOrders keeps the template's), for the (shopId, id) keys.
 */
export async function insertAssignedShipments(
  exec: Query,
  {
    partnerId,
    shopId,
    count,
    prefix,
    manifestId,
  }: { partnerId: string; shopId: string; count: number; prefix: string; manifestId: string | null },
): Promise<void> {
  await exec(
    `INSERT INTO "Shipment" (id, "shopId", "shopOrderId", "countyId", "partnerId", status, delivery, "coldChain",
                             "parcelCount", "weightGrams", "codAmountFen", "waybillNo", "pickupPointId", "feedXid",
                             "manifestId", "createdAt", "updatedAt")
     SELECT $2 || 'sh' || g, so."shopId", so.id, s."countyId", $1, 'ASSIGNED', so.delivery, false,
            1 + g % 3, 500 + (g % 40) * 250,
            CASE WHEN o.provider::text = 'OFFLINE' AND o."offlineMethod"::text = 'COD' THEN so."totalFen" - so."refundedFen" ELSE 0 END,
            'YC' || upper(regexp_replace(so.number, '[^0-9A-Za-z]', '', 'g')), so."pickupPointId",
            pg_current_xact_id()::text::bigint, $4, now(), now()
       FROM generate_series(1, $3::int) g
       JOIN "ShopOrder" so ON so."shopId" = $5 AND so.id = $2 || 'so' || g
       JOIN "Order" o ON o.id = so."orderId"
       JOIN "Shop" s ON s.id = so."shopId"`,
    [partnerId, prefix, count, manifestId, shopId],
  );
  for (const type of ["created", "assigned"] as const) {
    await exec(
      `INSERT INTO "ShipmentEvent" (id, "shopId", "shipmentId", "eventId", type, at, source, "createdAt")
       SELECT $2 || 'ev' || $3 || g, sh."shopId", sh.id, $3 || CASE WHEN $3 = 'assigned' THEN ':' || $1 ELSE '' END,
              $3::"ShipmentEventType", sh."createdAt", 'SYSTEM', clock_timestamp()
         FROM generate_series(1, $4::int) g JOIN "Shipment" sh ON sh."shopId" = $5 AND sh.id = $2 || 'sh' || g`,
      [partnerId, prefix, type, count, shopId],
    );
  }
}
