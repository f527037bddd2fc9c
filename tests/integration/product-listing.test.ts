import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { searchProducts } from "~/modules/catalog/search.cross-shop.server";
import { importMarket, listedProducts, NOW } from "./market-fixtures";

// The listings and search read one narrow row per product (ProductListing), which only triggers
// write (decision 039). What a buyer relies on: a product is found while it is for sale and not
// after, at its current prices, by its current texts, whichever write changed them.

const db = () => unscopedDb();

async function find(q: string, sort: "relevance" | "price_asc" = "relevance") {
  const found = await searchProducts({ q, sort, page: 1, lng: "zh-CN", now: NOW, pageSize: 100 });
  return { total: found.total, slugs: found.results.map((card) => card.product.slug) };
}

async function peach() {
  const product = await db().product.findFirstOrThrow({
    where: { slug: "honey-peach-presale-2027", shop: { slug: "yangshan-peach" } },
    select: { id: true, shopId: true, variants: { select: { id: true, priceFen: true, status: true } } },
  });
  return product;
}

beforeAll(importMarket);

describe("the listing row of every product", () => {
  it("says listed exactly for the products for sale, with their active variants' price range", async () => {
    const listed = await listedProducts();
    const rows = await db().$queryRaw<{ slug: string; listed: boolean; lo: number | null; hi: number | null }[]>`
      SELECT p.slug, l.listed, l."minPriceFen" AS lo, l."maxPriceFen" AS hi,
             (SELECT min("priceFen") FROM "Variant" v WHERE v."productId" = p.id AND v.status = 'ACTIVE') AS "expectLo",
             (SELECT max("priceFen") FROM "Variant" v WHERE v."productId" = p.id AND v.status = 'ACTIVE') AS "expectHi"
        FROM "Product" p LEFT JOIN "ProductListing" l ON l.id = p.id`;
    expect(rows.length).toBeGreaterThan(listed.length);
    expect(
      rows
        .filter((r) => r.listed)
        .map((r) => r.slug)
        .sort(),
    ).toEqual(listed.map((p) => p.slug).sort());
    for (const row of rows as ((typeof rows)[number] & { expectLo: number | null; expectHi: number | null })[]) {
      expect([row.slug, row.lo, row.hi]).toEqual([row.slug, row.expectLo, row.expectHi]);
    }
  });
});

describe("search follows every write that changes what it reads", () => {
  it("a product taken off sale, and put back", async () => {
    const { id } = await peach();
    expect((await find("水蜜桃")).slugs).toContain("honey-peach-presale-2027");
    await db().product.updateMany({ where: { id }, data: { status: "DRAFT" } });
    expect((await find("水蜜桃")).slugs).not.toContain("honey-peach-presale-2027");
    await db().product.updateMany({ where: { id }, data: { status: "ACTIVE" } });
    expect((await find("水蜜桃")).slugs).toContain("honey-peach-presale-2027");
  });

  it("a product whose every variant is withdrawn, and a shop that stops being live", async () => {
    const { shopId, variants } = await peach();
    const active = variants.filter((v) => v.status === "ACTIVE").map((v) => v.id);
    await db().variant.updateMany({ where: { id: { in: active } }, data: { status: "ARCHIVED" } });
    expect((await find("水蜜桃")).slugs).not.toContain("honey-peach-presale-2027");
    await db().variant.updateMany({ where: { id: { in: active } }, data: { status: "ACTIVE" } });
    expect((await find("水蜜桃")).slugs).toContain("honey-peach-presale-2027");

    const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { status: true } });
    await db().shop.update({ where: { id: shopId }, data: { status: "SUSPENDED" } });
    expect((await find("水蜜桃")).slugs).not.toContain("honey-peach-presale-2027");
    await db().shop.update({ where: { id: shopId }, data: { status: shop.status } });
    expect((await find("水蜜桃")).slugs).toContain("honey-peach-presale-2027");
  });

  it("a new price sorts the product by it", async () => {
    const { id, variants } = await peach();
    const cheapest = await find("桃", "price_asc");
    expect(cheapest.slugs[0]).not.toBe("honey-peach-presale-2027");
    const variant = variants.find((v) => v.status === "ACTIVE")!;
    await db().variant.updateMany({ where: { id: variant.id }, data: { priceFen: 1 } });
    expect((await find("桃", "price_asc")).slugs[0]).toBe("honey-peach-presale-2027");
    await db().variant.updateMany({ where: { id: variant.id }, data: { priceFen: variant.priceFen } });
    expect((await find("桃", "price_asc")).slugs).toEqual(cheapest.slugs);
    const row = await db().productListing.findFirstOrThrow({ where: { id } });
    expect(row.minPriceFen).toBe(Math.min(...variants.filter((v) => v.status === "ACTIVE").map((v) => v.priceFen)));
  });

  it("two writers changing one product's variants at once both count", async () => {
    const { id, shopId, variants } = await peach();
    const first = variants.find((v) => v.status === "ACTIVE")!;
    const second = await db().variant.create({
      data: { shopId, productId: id, sku: "LISTING-SECOND", titleZh: "一箱", unit: "箱", priceFen: 3000, stock: 1 },
    });
    // The first writer's change commits after the second writer has started its own.
    const slow = db().$transaction(async (tx) => {
      await tx.variant.updateMany({ where: { id: first.id }, data: { priceFen: 2 } });
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await db().variant.updateMany({ where: { id: second.id }, data: { priceFen: 90_000 } });
    await slow;
    const row = await db().productListing.findFirstOrThrow({ where: { id } });
    expect([row.minPriceFen, row.maxPriceFen]).toEqual([2, 90_000]);
    await db().variant.deleteMany({ where: { id: second.id } });
    await db().variant.updateMany({ where: { id: first.id }, data: { priceFen: first.priceFen } });
  });

  it("new texts: a product without search words is found by its new title, a shop's by its new name", async () => {
    const { id, shopId } = await peach();
    // A changed title drops the product's search words until the writer or a reindex rebuilds
    // them; meanwhile the listing's texts find it.
    await db().product.updateMany({ where: { id }, data: { titleZh: "榴莲味水蜜桃" } });
    expect(await db().productSearch.count({ where: { productId: id } })).toBe(0);
    expect((await find("榴莲")).slugs).toEqual(["honey-peach-presale-2027"]);

    await db().shop.update({ where: { id: shopId }, data: { nameZh: "山竹合作社" } });
    await db().productSearch.deleteMany({ where: { shopId } });
    expect((await find("山竹")).total).toBeGreaterThan(1);
  });

  it("units sold are the product's roll-up, and a deleted product leaves no row", async () => {
    const { id, shopId } = await peach();
    await db().productStats.upsert({
      where: { shopId_productId: { shopId, productId: id } },
      create: { productId: id, shopId, soldQuantity: 7 },
      update: { soldQuantity: 7 },
    });
    expect((await db().productListing.findFirstOrThrow({ where: { id } })).soldQuantity).toBe(7);

    const extra = await db().product.create({
      data: {
        shopId,
        slug: "listing-extra",
        kind: "PRODUCE",
        status: "ACTIVE",
        titleZh: "临时桃",
        harvestMonths: [7],
        variants: { create: { sku: "LISTING-EXTRA", titleZh: "一盒", unit: "盒", priceFen: 500, stock: 1 } },
      },
    });
    expect((await db().productListing.findFirstOrThrow({ where: { id: extra.id } })).listed).toBe(true);
    await db().product.deleteMany({ where: { id: extra.id } });
    expect(await db().productListing.count({ where: { id: extra.id } })).toBe(0);
  });
});
