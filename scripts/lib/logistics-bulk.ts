// Bulk rows for load tests of the partner feed (issue #10): the bench's 100,000 shipments and
// the feed concurrency test's 1,000 shop orders. Real checkouts are far too slow for that, so
// these copy ONE real order — placed and paid through checkout — many times in single
// INSERT … SELECT statements (jsonb_populate_record keeps every column, whatever the schema
// adds later), giving each copy fresh ids and numbers. The copies are valid rows: the same
// constraints hold, the same foreign keys point at real shops, variants and products.
// Never used by the app itself.

/** Runs one SQL statement with $n parameters; a pg client and Prisma's $executeRawUnsafe both fit. */
export type Exec = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Copies the shop order `templateShopOrderId` (its Order, the ShopOrder and its lines) `count`
 * times. Copy i (1-based) gets ids `${prefix}o${i}` / `${prefix}so${i}` and numbers suffixed
 * `-${prefix}${i}`. Returns the shop order ids.
 */
export async function copyShopOrders(
  exec: Exec,
  { templateShopOrderId, count, prefix }: { templateShopOrderId: string; count: number; prefix: string },
): Promise<string[]> {
  if (!/^[a-z0-9]{1,12}$/.test(prefix)) throw new Error("prefix: 1–12 lower-case letters or digits");
  await exec(
    `INSERT INTO "Order"
     SELECT (jsonb_populate_record(NULL::"Order", to_jsonb(o) || jsonb_build_object(
              'id', $2 || 'o' || g, 'number', o.number || '-' || $2 || g,
              'checkoutKey', o."checkoutKey" || '-' || $2 || g))).*
       FROM "Order" o JOIN "ShopOrder" so ON so."orderId" = o.id, generate_series(1, $3::int) g
      WHERE so.id = $1`,
    [templateShopOrderId, prefix, count],
  );
  await exec(
    `INSERT INTO "ShopOrder"
     SELECT (jsonb_populate_record(NULL::"ShopOrder", to_jsonb(so) || jsonb_build_object(
              'id', $2 || 'so' || g, 'orderId', $2 || 'o' || g, 'number', so.number || '-' || $2 || g))).*
       FROM "ShopOrder" so, generate_series(1, $3::int) g
      WHERE so.id = $1`,
    [templateShopOrderId, prefix, count],
  );
  await exec(
    `INSERT INTO "ShopOrderLine"
     SELECT (jsonb_populate_record(NULL::"ShopOrderLine", to_jsonb(l) || jsonb_build_object(
              'id', $2 || 'l' || g || '_' || l.id, 'shopOrderId', $2 || 'so' || g))).*
       FROM "ShopOrderLine" l, generate_series(1, $3::int) g
      WHERE l."shopOrderId" = $1`,
    [templateShopOrderId, prefix, count],
  );
  return Array.from({ length: count }, (_, i) => `${prefix}so${i + 1}`);
}

/**
 * The bench's bulk path: a shipment ASSIGNED to `partnerId` for each copied shop order
 * `${prefix}so1…count`, with the "created" and "assigned" events createShipment/assignShipment
 * would write, all in one transaction — so they share one feedXid (the feed orders them by id
 * within it), exactly as if one transaction had packed them all. Columns as createShipment sets
 * them (home delivery, the platform's waybill number, cash on delivery when the order is COD).
 */
export async function insertAssignedShipments(
  exec: Exec,
  {
    partnerId,
    count,
    prefix,
    manifestId,
  }: { partnerId: string; count: number; prefix: string; manifestId: string | null },
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
       JOIN "ShopOrder" so ON so.id = $2 || 'so' || g
       JOIN "Order" o ON o.id = so."orderId"
       JOIN "Shop" s ON s.id = so."shopId"`,
    [partnerId, prefix, count, manifestId],
  );
  for (const type of ["created", "assigned"] as const) {
    await exec(
      `INSERT INTO "ShipmentEvent" (id, "shopId", "shipmentId", "eventId", type, at, source, "createdAt")
       SELECT $2 || 'ev' || $3 || g, sh."shopId", sh.id, $3 || CASE WHEN $3 = 'assigned' THEN ':' || $1 ELSE '' END,
              $3::"ShipmentEventType", sh."createdAt", 'SYSTEM', clock_timestamp()
         FROM generate_series(1, $4::int) g JOIN "Shipment" sh ON sh.id = $2 || 'sh' || g`,
      [partnerId, prefix, type, count],
    );
  }
}
