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

/** Keys allowed without "shopId", by index name, each with why. Remove an entry when its follow-up is done. */
export const ALLOWED_WITHOUT_SHOP: Record<string, string> = {
  // A cart's lines span shops: CartLine is distributed by cartId with its cart (028's follow-up 5).
  CartLine_pkey: "distributed by cartId with its cart (follow-up 5): the primary key is (cartId, id)",
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

  it("lists no key that no longer exists or already has shopId (an allow-list entry goes when its key is fixed)", async () => {
    const withoutShop = new Set(
      (await uniqueKeysOfDatabase()).filter((k) => !k.columns.includes("shopId")).map((k) => k.name),
    );
    expect(Object.keys(ALLOWED_WITHOUT_SHOP).filter((name) => !withoutShop.has(name))).toEqual([]);
  });

  it("gives every shop-owned table but CartLine a primary key that leads with shopId (028, follow-up 1)", async () => {
    const primaries = (await uniqueKeysOfDatabase()).filter((k) => k.primary && SHOP_OWNED_MODELS.has(k.table));
    expect(primaries.map((k) => k.table).sort()).toEqual([...SHOP_OWNED_MODELS].sort());
    expect(primaries.filter((k) => k.columns[0] !== (k.table === "CartLine" ? "cartId" : "shopId"))).toEqual([]);
  });

  it("keys every reference between shop-owned tables by shopId on both sides (028, follow-up 3)", async () => {
    const refs = await unscopedDb().$queryRaw<{ name: string; from: string; to: string; pairs: string[] }[]>`
      SELECT c.conname AS name, f.relname AS "from", t.relname AS "to",
             array(SELECT fa.attname || '=' || ta.attname
                     FROM unnest(c.conkey, c.confkey) AS k(fk, pk)
                     JOIN pg_attribute fa ON fa.attrelid = c.conrelid AND fa.attnum = k.fk
                     JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = k.pk) AS pairs
        FROM pg_constraint c
        JOIN pg_class f ON f.oid = c.conrelid
        JOIN pg_class t ON t.oid = c.confrelid
        JOIN pg_namespace s ON s.oid = f.relnamespace
       WHERE c.contype = 'f' AND s.nspname = current_schema()`;
    const between = refs.filter((r) => SHOP_OWNED_MODELS.has(r.from) && SHOP_OWNED_MODELS.has(r.to));
    // The catalog query works: the line's key to its shop order is among them.
    expect(between.map((r) => r.name)).toContain("ShopOrderLine_shopId_shopOrderId_fkey");
    expect(
      between.filter((r) => !r.pairs.includes("shopId=shopId")).map((r) => `${r.name} (${r.pairs.join(", ")})`),
    ).toEqual([]);
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
