import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { MissingShopScopeError, SHOP_LOOKUP_MODELS, SHOP_OWNED_MODELS } from "~/db/shop-scope.server";

describe("shop scope guard", () => {
  it("knows every model that has a shopId (shop-owned, or a lookup that finds the shop)", () => {
    const schema = fs.readFileSync("prisma/schema.prisma", "utf8");
    const withShopId = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)]
      .filter(([, , body]) => /^\s+shopId\s+String\b/m.test(body!))
      .map(([, name]) => name);
    expect(new Set(withShopId)).toEqual(new Set([...SHOP_OWNED_MODELS, ...SHOP_LOOKUP_MODELS]));
    expect([...SHOP_LOOKUP_MODELS].filter((m) => SHOP_OWNED_MODELS.has(m))).toEqual([]);
  });

  it("refuses reads, writes and deletes that do not name their shop", async () => {
    await expect(db().product.findMany({})).rejects.toThrow(MissingShopScopeError);
    await expect(db().product.findFirst({ where: { slug: "x" } })).rejects.toThrow(MissingShopScopeError);
    await expect(db().variant.updateMany({ where: { sku: "x" }, data: { stock: 0 } })).rejects.toThrow(
      MissingShopScopeError,
    );
    await expect(db().image.deleteMany({})).rejects.toThrow(MissingShopScopeError);
    await expect(db().batch.count()).rejects.toThrow(MissingShopScopeError);
    await expect(
      db().product.create({ data: { slug: "x", kind: "PRODUCE", titleZh: "x", shop: undefined as never } as never }),
    ).rejects.toThrow(MissingShopScopeError);
  });

  it("allows queries that name their shop, including compound keys and transactions", async () => {
    await expect(db().product.findMany({ where: { shopId: "none" } })).resolves.toEqual([]);
    await expect(
      db().product.findUnique({ where: { shopId_slug: { shopId: "none", slug: "x" } } }),
    ).resolves.toBeNull();
    await expect(
      db().$transaction(async (tx) => {
        await expect(tx.variant.findMany({})).rejects.toThrow(MissingShopScopeError);
        return tx.variant.count({ where: { shopId: "none" } });
      }),
    ).resolves.toBe(0);
  });
});
