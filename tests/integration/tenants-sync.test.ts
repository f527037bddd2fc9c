import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePack, writePacks } from "../support/packs";

const NOW = new Date("2026-11-27T02:00:00Z");

async function shopBySlug(slug: string) {
  return unscopedDb().shop.findUnique({ where: { slug } });
}

describe("tenants:sync", () => {
  it("imports the demo cooperatives in tenants/: at least 6 shops in 4 counties, all three kinds", async () => {
    const results = await syncTenants(path.resolve("tenants"), { now: NOW });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(6);

    const prisma = unscopedDb();
    const shops = await prisma.shop.findMany({ where: { slug: { in: results.map((r) => r.slug) } } });
    expect(shops.every((s) => s.status === "LIVE" && s.isDemo && s.logoImageId && s.bannerImageId)).toBe(true);
    expect(new Set(shops.map((s) => s.countyId)).size).toBeGreaterThanOrEqual(4);

    const shopIds = shops.map((s) => s.id);
    const kinds = await prisma.product.groupBy({ by: ["kind"], where: { shopId: { in: shopIds } } });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["EXPERIENCE", "PRODUCE", "SPECIALTY"]);
    const experiences = await prisma.product.findMany({
      where: { shopId: { in: shopIds }, kind: "EXPERIENCE" },
      include: { slots: true },
    });
    expect(experiences.every((p) => p.slots.length > 0)).toBe(true);
    const produceBatches = await prisma.batchProduct.count({
      where: { shopId: { in: shopIds }, product: { kind: "PRODUCE" } },
    });
    expect(produceBatches).toBeGreaterThan(0);
    // Bilingual: every active product has an English title.
    expect(await prisma.product.count({ where: { shopId: { in: shopIds }, titleEn: null } })).toBe(0);

    // Every demo county offers buyers a village pickup point and an electronic locker.
    const counties = await prisma.county.findMany({
      where: { id: { in: shops.map((s) => s.countyId) } },
      include: { pickupPoints: true },
    });
    for (const county of counties) {
      // The county's own (no city); points with a city belong to a partner's network elsewhere (issue #10).
      const own = county.pickupPoints.filter((p) => p.cityZh === null);
      const kinds = own.map((p) => p.kind);
      expect(kinds, county.nameZh).toContain("POINT");
      expect(kinds, county.nameZh).toContain("LOCKER");
      // Made-up but plausible addresses in that county, in both languages.
      for (const p of own) expect(p.addressZh, p.code).toContain(county.nameZh);
      for (const p of county.pickupPoints.filter((p) => p.cityZh !== null))
        expect(p.addressZh, p.code).toContain(p.cityZh);
      expect(county.pickupPoints.every((p) => p.active && p.nameEn && p.addressEn)).toBe(true);
    }
  });

  it("is idempotent: a second run changes nothing", async () => {
    const root = writePacks([samplePack("idem-a"), samplePack("idem-b", "320507")]);
    const first = await syncTenants(root, { now: NOW });
    expect(first.every((r) => r.ok && r.counts!.created > 0)).toBe(true);

    const shop = (await shopBySlug("idem-a"))!;
    const before = await db().product.findMany({ where: { shopId: shop.id }, orderBy: { slug: "asc" } });
    const second = await syncTenants(root, { now: NOW });
    for (const result of second) {
      expect(result.counts).toMatchObject({ created: 0, updated: 0, archived: 0 });
      expect(result.counts!.unchanged).toBeGreaterThan(0);
    }
    const after = await db().product.findMany({ where: { shopId: shop.id }, orderBy: { slug: "asc" } });
    expect(after).toEqual(before); // same ids, same updatedAt
  });

  it("updates an edited price and text, and keeps the shop's stock", async () => {
    const pack = samplePack("edit-me");
    const root = writePacks([pack]);
    await syncTenants(root, { now: NOW });
    const shop = (await shopBySlug("edit-me"))!;
    // Stock moved on since the import (an order was placed).
    await db().variant.update({ where: { shopId_sku: { shopId: shop.id, sku: "edit-me-P6" } }, data: { stock: 33 } });

    pack.products[0]!.variants[0]!.priceFen = 17800;
    pack.products[0]!.title.zh = "阳山水蜜桃礼盒（新）";
    pack.story.en = "Demo data: an edited story.";
    writePack(root, pack);
    const [result] = await syncTenants(root, { now: NOW });
    expect(result!.ok).toBe(true);
    expect(result!.counts!.updated).toBe(3);
    expect(result!.counts!.created).toBe(0);

    const variant = await db().variant.findUnique({ where: { shopId_sku: { shopId: shop.id, sku: "edit-me-P6" } } });
    expect(variant).toMatchObject({ priceFen: 17800, stock: 33 });
    const product = await db().product.findUnique({ where: { shopId_slug: { shopId: shop.id, slug: "peach-box" } } });
    expect(product!.titleZh).toBe("阳山水蜜桃礼盒（新）");
    expect((await shopBySlug("edit-me"))!.storyEn).toBe("Demo data: an edited story.");
  });

  it("archives products and variants a pack no longer lists", async () => {
    const pack = samplePack("shrinking");
    const root = writePacks([pack]);
    await syncTenants(root, { now: NOW });
    pack.products = pack.products.filter((p) => p.slug !== "tea-tin");
    pack.products[0]!.variants.pop();
    writePack(root, pack);
    const [result] = await syncTenants(root, { now: NOW });
    expect(result!.counts!.archived).toBe(2);
    const shop = (await shopBySlug("shrinking"))!;
    const tea = await db().product.findUnique({ where: { shopId_slug: { shopId: shop.id, slug: "tea-tin" } } });
    expect(tea!.status).toBe("ARCHIVED");
  });

  it("refuses an invalid pack with file, field and reason, and writes nothing of it", async () => {
    const good = samplePack("good-one");
    const bad = samplePack("bad-one");
    bad.products[0]!.variants[1]!.priceFen = -5;
    (bad as Record<string, unknown>).creditCode = "933202061234567890";
    const root = writePacks([good, bad]);

    const results = await syncTenants(root, { now: NOW, displayRoot: path.dirname(root) });
    const refused = results.find((r) => r.slug === "bad-one")!;
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: `${path.basename(root)}/bad-one/tenant.json`,
          field: "products[0].variants[1].priceFen",
          key: "zod.tooSmall",
        }),
        expect.objectContaining({ field: "creditCode", key: "pack.creditCode" }),
      ]),
    );
    expect(await shopBySlug("bad-one")).toBeNull();
    expect(await shopBySlug("good-one")).not.toBeNull();
  });

  it("refuses broken JSON, a missing image and an unknown field", async () => {
    const root = writePacks([samplePack("json-broken"), samplePack("image-missing"), samplePack("extra-field")]);
    fs.writeFileSync(path.join(root, "json-broken", "tenant.json"), "{ not json");
    fs.rmSync(path.join(root, "image-missing", "images", "tea.svg"));
    const extra = samplePack("extra-field") as Record<string, unknown>;
    extra.colour = "red";
    writePack(root, extra as never);

    const results = await syncTenants(root, { now: NOW });
    const bySlug = Object.fromEntries(results.map((r) => [r.slug, r]));
    expect(bySlug["json-broken"]!.problems![0]!.key).toBe("pack.invalidJson");
    expect(bySlug["image-missing"]!.problems).toEqual([
      expect.objectContaining({ field: "images/tea.svg", key: "pack.missingAsset" }),
    ]);
    expect(bySlug["extra-field"]!.problems).toEqual([
      expect.objectContaining({ key: "zod.unknownKeys", values: { keys: "colour" } }),
    ]);
    for (const slug of ["json-broken", "image-missing", "extra-field"]) expect(await shopBySlug(slug)).toBeNull();
  });

  it("rolls a pack back whole when the database refuses part of it", async () => {
    // The second shop reuses the first shop's trace code: caught after its shop and
    // products were written inside the transaction, so all of that must roll back.
    const first = samplePack("trace-owner");
    const second = samplePack("trace-thief", "329901");
    second.batches[0]!.traceCode = first.batches[0]!.traceCode;
    const root = writePacks([first, second]);
    const results = await syncTenants(root, { now: NOW });
    expect(results.find((r) => r.slug === "trace-owner")!.ok).toBe(true);
    const thief = results.find((r) => r.slug === "trace-thief")!;
    expect(thief.ok).toBe(false);
    expect(thief.problems![0]!.key).toBe("pack.traceCodeTaken");
    expect(await shopBySlug("trace-thief")).toBeNull();
    expect(await unscopedDb().county.findUnique({ where: { code: "329901" } })).toBeNull();
  });

  it("an edited existing pack that turns invalid leaves the shop as it was", async () => {
    const pack = samplePack("stays-put");
    const root = writePacks([pack]);
    await syncTenants(root, { now: NOW });
    const before = await shopBySlug("stays-put");
    const broken = structuredClone(pack) as Record<string, unknown> & typeof pack;
    broken.name.zh = "改了名字";
    broken.theme.primary = "green";
    writePack(root, broken);
    const [result] = await syncTenants(root, { now: NOW });
    expect(result!.ok).toBe(false);
    expect(result!.problems![0]).toMatchObject({ field: "theme.primary", key: "pack.colour" });
    expect(await shopBySlug("stays-put")).toEqual(before);
  });
});
