// Citus (docs/decisions/028-citus.md) distributes the shop-owned tables by "shopId" and refuses a
// primary key or unique index of a distributed table that does not include it. This test reads the
// unique keys of the migrated database (what Citus would see, hand-written unique indexes included;
// schema-drift.test.ts holds schema.prisma to the same migrations) and fails on one without "shopId"
// that is not listed below with its reason. Prisma 7's `prisma-client` generator has no Prisma.dmmf
// (its runtime data model carries no unique keys), hence the catalog.
import { describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { SHOP_OWNED_MODELS } from "~/db/shop-scope.server";

export type UniqueKey = { table: string; name: string; primary: boolean; columns: string[] };

const PRIMARY_KEY_FOLLOW_UP =
  "primary key to (shopId, …) is 028's follow-up 1, not done: ids are cuids, unique on their own";
const CROSS_SHOP_FOLLOW_UP = "unique across shops, found without a shop: a lookup table is 028's follow-up 4";

/** Keys allowed without "shopId", by index name, each with why. Remove an entry when its follow-up is done. */
export const ALLOWED_WITHOUT_SHOP: Record<string, string> = {
  ShopCertification_pkey: PRIMARY_KEY_FOLLOW_UP,
  Membership_pkey: PRIMARY_KEY_FOLLOW_UP,
  Product_pkey: PRIMARY_KEY_FOLLOW_UP,
  Variant_pkey: PRIMARY_KEY_FOLLOW_UP,
  StockMovement_pkey: PRIMARY_KEY_FOLLOW_UP,
  ExperienceSlot_pkey: PRIMARY_KEY_FOLLOW_UP,
  Image_pkey: PRIMARY_KEY_FOLLOW_UP,
  ImageRendition_pkey: PRIMARY_KEY_FOLLOW_UP,
  Batch_pkey: PRIMARY_KEY_FOLLOW_UP,
  BatchProduct_pkey: PRIMARY_KEY_FOLLOW_UP,
  BatchInput_pkey: PRIMARY_KEY_FOLLOW_UP,
  Invitation_pkey: PRIMARY_KEY_FOLLOW_UP,
  ShopOrder_pkey: PRIMARY_KEY_FOLLOW_UP,
  ShopOrderLine_pkey: PRIMARY_KEY_FOLLOW_UP,
  Reservation_pkey: PRIMARY_KEY_FOLLOW_UP,
  ShopOrderEvent_pkey: PRIMARY_KEY_FOLLOW_UP,
  Refund_pkey: PRIMARY_KEY_FOLLOW_UP,
  LedgerEntry_pkey: PRIMARY_KEY_FOLLOW_UP,
  Payout_pkey: PRIMARY_KEY_FOLLOW_UP,
  Shipment_pkey: PRIMARY_KEY_FOLLOW_UP,
  ShipmentEvent_pkey: PRIMARY_KEY_FOLLOW_UP,
  CodRemittance_pkey: PRIMARY_KEY_FOLLOW_UP,
  SalesRollupDirty_pkey: PRIMARY_KEY_FOLLOW_UP,
  BatchScanDaily_pkey: PRIMARY_KEY_FOLLOW_UP,
  Review_pkey: PRIMARY_KEY_FOLLOW_UP,
  ReviewPhoto_pkey: PRIMARY_KEY_FOLLOW_UP,
  ProductStats_pkey: PRIMARY_KEY_FOLLOW_UP,
  ProductSearch_pkey: PRIMARY_KEY_FOLLOW_UP,
  ProductListing_pkey: PRIMARY_KEY_FOLLOW_UP,
  // The trace page /t/<code> finds a batch by its printed code alone.
  Batch_traceCode_key: CROSS_SHOP_FOLLOW_UP,
  // A shop order's number is the buyer's order number and a suffix, shown and searched on its own.
  ShopOrder_number_key: CROSS_SHOP_FOLLOW_UP,
  // Stripe's webhooks name a refund by Stripe's id only.
  Refund_providerRef_key: CROSS_SHOP_FOLLOW_UP,
  // A cart's lines span shops: CartLine is distributed by cartId with its cart (028's follow-up 5).
  CartLine_pkey: "distributed by cartId (follow-up 5); its primary key becomes (cartId, id) then",
  CartLine_cartId_variantId_slotId_key: "distributed by cartId (follow-up 5): the key leads with cartId",
};

/** The keys of shop-owned tables that Citus would refuse and that the allow-list does not excuse. */
export function keysWithoutShop(
  keys: UniqueKey[],
  shopOwned: ReadonlySet<string>,
  allowed: Record<string, string> = ALLOWED_WITHOUT_SHOP,
): string[] {
  return keys
    .filter((k) => shopOwned.has(k.table) && !k.columns.includes("shopId") && !(k.name in allowed))
    .map((k) => `${k.table}.${k.name} (${k.columns.join(", ")})`)
    .sort();
}

async function uniqueKeysOfDatabase(): Promise<UniqueKey[]> {
  const rows = await unscopedDb().$queryRaw<{ table: string; name: string; primary: boolean; columns: string[] }[]>`
    SELECT t.relname AS "table", i.relname AS name, x.indisprimary AS "primary",
           array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
      FROM pg_index x
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace s ON s.oid = t.relnamespace
     WHERE x.indisunique AND s.nspname = current_schema()`;
  return rows;
}

describe("Citus-ready keys of shop-owned tables (028)", () => {
  it("every primary key and unique index of a shop-owned table includes shopId, or is listed with its reason", async () => {
    const keys = await uniqueKeysOfDatabase();
    // The catalog query itself works: the tables are there and keys with shopId are seen as such.
    expect(keys).toContainEqual({
      table: "LedgerEntry",
      name: "LedgerEntry_shopId_dedupeKey_key",
      primary: false,
      columns: ["shopId", "dedupeKey"],
    });
    expect(keysWithoutShop(keys, SHOP_OWNED_MODELS)).toEqual([]);
  });

  it("lists no key that no longer exists (an allow-list entry goes when its key goes)", async () => {
    const names = new Set((await uniqueKeysOfDatabase()).map((k) => k.name));
    expect(Object.keys(ALLOWED_WITHOUT_SHOP).filter((name) => !names.has(name))).toEqual([]);
  });

  it("fails on a unique index without shopId added to a shop-owned table", async () => {
    await unscopedDb().$executeRawUnsafe(`CREATE UNIQUE INDEX "Variant_probe_sku_key" ON "Variant" (sku)`);
    try {
      expect(keysWithoutShop(await uniqueKeysOfDatabase(), SHOP_OWNED_MODELS)).toEqual([
        "Variant.Variant_probe_sku_key (sku)",
      ]);
    } finally {
      await unscopedDb().$executeRawUnsafe(`DROP INDEX "Variant_probe_sku_key"`);
    }
  });

  it("the checker reports a shop-owned table's key without shopId, and only that", () => {
    const shopOwned = new Set(["Widget", "Gadget"]);
    const keys: UniqueKey[] = [
      { table: "Widget", name: "Widget_pkey", primary: true, columns: ["id"] },
      { table: "Widget", name: "Widget_code_key", primary: false, columns: ["code"] },
      { table: "Widget", name: "Widget_shopId_slug_key", primary: false, columns: ["shopId", "slug"] },
      { table: "Gadget", name: "Gadget_pkey", primary: true, columns: ["shopId", "id"] },
      { table: "Gadget", name: "Gadget_serial_shopId_key", primary: false, columns: ["serial", "shopId"] },
      { table: "County", name: "County_slug_key", primary: false, columns: ["slug"] },
    ];
    expect(keysWithoutShop(keys, shopOwned, {})).toEqual(["Widget.Widget_code_key (code)", "Widget.Widget_pkey (id)"]);
    expect(keysWithoutShop(keys, shopOwned, { Widget_pkey: "follow-up 1" })).toEqual(["Widget.Widget_code_key (code)"]);
  });
});
