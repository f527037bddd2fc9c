import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { connection, db } from "~/db/index.server";
import type { AdminProductList } from "~/modules/catalog/admin-products.server";
import {
  admin,
  createProductAs,
  dataOf,
  experienceFields,
  produceFields,
  shopWithTeam,
  specialtyFields,
  type ShopWithTeam,
} from "./catalog-fixtures";

type ListData = { list: AdminProductList; canEdit: boolean };
const list = async (team: ShopWithTeam, query = "") => {
  const result = await admin.list(team.owner.session, team.shop.slug, query);
  expect(result.status).toBe(200);
  return dataOf<ListData>(result).list;
};

/** A product's first image with the stored thumbnail renditions, as the importer would leave them. */
async function addPicture(shopId: string, productId: string, hash: string) {
  const image = await db().image.create({
    data: {
      shopId,
      productId,
      role: "PRODUCT",
      contentHash: hash,
      width: 800,
      height: 600,
      bytes: 1000,
      dominantColor: "#aa3344",
      altZh: "桃",
    },
  });
  await db().imageRendition.createMany({
    data: (["webp", "jpeg"] as const).flatMap((format) =>
      [320, 640].map((preset) => ({
        shopId,
        imageId: image.id,
        preset,
        format,
        width: preset,
        height: (preset * 3) / 4,
        bytes: 100,
        storageKey: `${shopId}/${hash}/${preset}.${format === "jpeg" ? "jpg" : "webp"}`,
      })),
    ),
  });
}

describe("the product list", () => {
  let a: ShopWithTeam;
  let peach: string;

  beforeAll(async () => {
    a = await shopWithTeam();
    peach = await createProductAs(
      a.owner.session,
      a.shop.slug,
      produceFields({ titleZh: "阳山水蜜桃礼盒", titleEn: "Yangshan Honey Peach Box" }),
    );
    await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", {
      titleZh: "6只装",
      unit: "盒",
      price: "168",
      sku: "YS-BOX-6",
      initialStock: "40",
    });
    await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", {
      titleZh: "12只装",
      unit: "盒",
      price: "298.5",
      sku: "YS-BOX-12",
      initialStock: "2",
    });
    await addPicture(a.shop.id, peach, "a".repeat(24));
    await createProductAs(
      a.owner.session,
      a.shop.slug,
      specialtyFields({ titleZh: "洞庭山碧螺春", titleEn: "Dongting Biluochun Tea", status: "ACTIVE" }),
    );
    await createProductAs(
      a.owner.session,
      a.shop.slug,
      experienceFields({ titleZh: "桃园采摘 100%好玩", status: "ARCHIVED" }),
    );
    for (let i = 1; i <= 22; i++) {
      await createProductAs(
        a.owner.session,
        a.shop.slug,
        specialtyFields({ titleZh: `土特产${i}号`, giName: "", giAuthNumber: "" }),
      );
    }
  });

  it("shows each product with its thumbnail, variant count, lowest price and stock", async () => {
    const { items: firstPage, total, pages, page } = await list(a);
    expect({ total, pages, page }).toEqual({ total: 25, pages: 2, page: 1 });
    expect(firstPage).toHaveLength(20);
    const items = [...firstPage, ...(await list(a, "?page=2")).items];
    const box = items.find((i) => i.id === peach)!;
    expect(box).toMatchObject({
      title: "阳山水蜜桃礼盒",
      kind: "PRODUCE",
      status: "ACTIVE",
      variantCount: 2,
      minPriceFen: 16800,
      pricesVary: true,
      available: 42,
      presale: true,
    });
    expect(box.picture?.webpSrcSet).toBe(`/media/${a.shop.id}/${"a".repeat(24)}/320.webp 320w`);
    expect(box.picture?.color).toBe("#aa3344");
    const tea = items.find((i) => i.title === "洞庭山碧螺春")!;
    expect(tea).toMatchObject({ variantCount: 0, minPriceFen: null, pricesVary: false, available: 0, picture: null });
  });

  it("orders drafts first, then products on sale, then archived ones", async () => {
    const statuses = [...(await list(a)).items, ...(await list(a, "?page=2")).items].map((i) => i.status);
    expect(statuses).toEqual(
      [...statuses].sort(
        (x, y) => ["DRAFT", "ACTIVE", "ARCHIVED"].indexOf(x) - ["DRAFT", "ACTIVE", "ARCHIVED"].indexOf(y),
      ),
    );
    expect(statuses.at(-1)).toBe("ARCHIVED");
  });

  it("pages by 20 and keeps the page in range", async () => {
    const second = await list(a, "?page=2");
    expect(second.items).toHaveLength(5);
    const first = await list(a);
    expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(25);
    expect((await list(a, "?page=99")).page).toBe(2);
    expect((await list(a, "?page=abc")).page).toBe(1);
  });

  it("finds products by a Chinese substring, an English word in any case, or a SKU", async () => {
    expect((await list(a, `?q=${encodeURIComponent("水蜜桃")}`)).items.map((i) => i.id)).toEqual([peach]);
    expect((await list(a, "?q=honey%20PEACH")).items.map((i) => i.id)).toEqual([peach]);
    expect((await list(a, "?q=box-12")).items.map((i) => i.id)).toEqual([peach]);
    expect((await list(a, `?q=${encodeURIComponent("土特产1")}`)).total).toBe(11); // 1, 10–19
    expect((await list(a, "?q=nothing-like-this")).total).toBe(0);
  });

  it("takes % and _ in a search literally", async () => {
    expect((await list(a, "?q=100%25")).items.map((i) => i.title)).toEqual(["桃园采摘 100%好玩"]);
    expect((await list(a, "?q=%25")).total).toBe(1);
    expect((await list(a, "?q=_")).total).toBe(0);
  });

  it("filters by kind and status, together with a search", async () => {
    expect((await list(a, "?kind=EXPERIENCE")).items.map((i) => i.kind)).toEqual(["EXPERIENCE"]);
    expect((await list(a, "?status=ACTIVE")).items.map((i) => i.title).sort()).toEqual([
      "洞庭山碧螺春",
      "阳山水蜜桃礼盒",
    ]);
    expect((await list(a, "?kind=SPECIALTY&status=DRAFT")).total).toBe(22);
    expect((await list(a, `?kind=SPECIALTY&status=ACTIVE&q=${encodeURIComponent("碧螺春")}`)).total).toBe(1);
    expect((await list(a, "?kind=PRODUCE&status=ARCHIVED")).total).toBe(0);
    // Unknown filter values are ignored rather than failing.
    expect((await list(a, "?kind=TOY&status=SOLD")).total).toBe(25);
  });

  it("is empty for a new shop, and tells a coordinator they cannot add", async () => {
    const fresh = await shopWithTeam();
    expect((await list(fresh)).total).toBe(0);
    const asCoordinator = dataOf<ListData>(await admin.list(fresh.coordinator.session, fresh.shop.slug));
    expect(asCoordinator.canEdit).toBe(false);
    expect(dataOf<ListData>(await admin.list(fresh.staff.session, fresh.shop.slug)).canEdit).toBe(true);
  });
});

/** How many SQL statements `fn` sends, through either driver (pg for a server, PGlite embedded). */
async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const spies = [vi.spyOn(pg.Client.prototype, "query"), vi.spyOn(PGlite.prototype, "query")];
  try {
    const result = await fn();
    return { result, statements: spies.reduce((n, spy) => n + spy.mock.calls.length, 0) };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

describe("the product list at 5,000 products", () => {
  let big: ShopWithTeam;

  beforeAll(async () => {
    big = await shopWithTeam();
    // One INSERT … SELECT per table: Prisma's createMany takes about a millisecond a row here
    // (5,000 products ≈ 5 s, 10,000 variants ≈ 8 s), generate_series a few milliseconds in all.
    const sql = connection().raw;
    await sql.query(
      `INSERT INTO "Product" (id, "shopId", slug, kind, status, "titleZh", "titleEn", position, "harvestMonths", "updatedAt")
       SELECT 'bulkproduct' || i, $1, 'product-' || i,
              (ARRAY['PRODUCE','SPECIALTY','EXPERIENCE'])[i % 3 + 1]::"ProductKind",
              (ARRAY['ACTIVE','ACTIVE','DRAFT','ARCHIVED'])[i % 4 + 1]::"ProductStatus",
              '批量商品' || i, 'Bulk product ' || i, i, '{}', now()
         FROM generate_series(0, 4999) AS i`,
      [big.shop.id],
    );
    await sql.query(
      `INSERT INTO "Variant" (id, "shopId", "productId", sku, "titleZh", unit, "priceFen", stock, "updatedAt")
       SELECT 'bulkvariant' || i || size, $1, 'bulkproduct' || i, 'BULK-' || i || '-' || size,
              '份' || size, '份', CASE size WHEN 'A' THEN 1000 + i ELSE 2000 + i END, CASE size WHEN 'A' THEN i % 7 ELSE 3 END, now()
         FROM generate_series(0, 4999) AS i, unnest(ARRAY['A', 'B']) AS size`,
      [big.shop.id],
    );
    await sql.query(
      `INSERT INTO "Image" (id, "shopId", "productId", role, "contentHash", width, height, bytes, "dominantColor")
       SELECT 'bulkimage' || i, $1, 'bulkproduct' || i, 'PRODUCT', lpad(to_hex(i), 24, '0'), 800, 600, 1000, '#336633'
         FROM generate_series(0, 4999) AS i`,
      [big.shop.id],
    );
    await sql.query(
      `INSERT INTO "ImageRendition" (id, "shopId", "imageId", preset, format, width, height, bytes, "storageKey")
       SELECT 'bulkrendition' || i || format, $1, 'bulkimage' || i, 320, format, 320, 240, 100,
              $1 || '/' || lpad(to_hex(i), 24, '0') || '/320.' || CASE format WHEN 'jpeg' THEN 'jpg' ELSE 'webp' END
         FROM generate_series(0, 4999) AS i, unnest(ARRAY['webp', 'jpeg']) AS format`,
      [big.shop.id],
    );
    expect(await db().product.count({ where: { shopId: big.shop.id } })).toBe(5000);
  });

  it("issues the same few statements whatever the page holds, and records its time", async () => {
    const session = big.owner.session;
    const slug = big.shop.slug;
    await admin.list(session, slug); // warm up (first connection, prepared plans)

    const runs: Record<string, { statements: number; ms: number; items: number; total: number }> = {};
    for (const [name, query] of [
      ["first page", ""],
      ["last page", "?page=250"],
      ["kind + status", "?kind=SPECIALTY&status=ACTIVE&page=3"],
      ["Chinese search", `?q=${encodeURIComponent("批量商品4999")}`],
      ["SKU search", "?q=BULK-4321-B"],
      ["nothing found", "?q=zzz"],
    ] as const) {
      const started = performance.now();
      const { result, statements } = await countStatements(() => admin.list(session, slug, query));
      const ms = performance.now() - started;
      expect(result.status).toBe(200);
      const data = dataOf<ListData>(result).list;
      runs[name] = { statements, ms: Math.round(ms * 10) / 10, items: data.items.length, total: data.total };
    }
    console.log(
      `catalog list loader at 5,000 products (${connection().kind} database):`,
      JSON.stringify(runs, null, 1),
    );

    expect(runs["first page"]).toMatchObject({ items: 20, total: 5000 });
    expect(runs["last page"]).toMatchObject({ items: 20, total: 5000 });
    expect(runs["Chinese search"]).toMatchObject({ items: 1, total: 1 });
    expect(runs["SKU search"]).toMatchObject({ items: 1, total: 1 });
    // A full page of 20 products with pictures and variants costs no more statements than a page of one.
    expect(runs["first page"]!.statements).toBe(runs["Chinese search"]!.statements);
    expect(runs["last page"]!.statements).toBe(runs["first page"]!.statements);
    expect(runs["kind + status"]!.statements).toBe(runs["first page"]!.statements);
    // Sign-in and membership checks, then one count and one page query.
    expect(runs["first page"]!.statements).toBeGreaterThan(0);
    expect(runs["first page"]!.statements).toBeLessThanOrEqual(8);
    // An empty result skips the page query.
    expect(runs["nothing found"]!.statements).toBe(runs["first page"]!.statements - 1);
  });

  it("plans the filtered page on the (shopId, status, kind, position) index", async (context) => {
    if (connection().kind !== "server") context.skip();
    await connection().raw.exec(`ANALYZE "Product"`);
    const plan = await connection().raw.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT id FROM "Product" p WHERE p."shopId" = $1 AND p.status = 'ACTIVE' AND p.kind = 'SPECIALTY'
        ORDER BY p.status, p.kind, p.position, p.id LIMIT 20 OFFSET 40`,
      [big.shop.id],
    );
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("Product_shopId_status_kind_position_idx");
  });
});
