import { beforeAll, describe, expect, it } from "vitest";
import { connection, db } from "~/db/index.server";
import { parseYuanToFen } from "~/modules/catalog/variant-schema";
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

let a: ShopWithTeam;
let b: ShopWithTeam;
let peach: string;

beforeAll(async () => {
  a = await shopWithTeam();
  b = await shopWithTeam();
  peach = await createProductAs(a.owner.session, a.shop.slug, produceFields({ titleEn: "Peach box" }));
});

const variant = (overrides: Record<string, string> = {}) => ({
  titleZh: "6只装",
  unit: "盒",
  price: "168",
  ...overrides,
});
const variantsOf = (shopId: string, productId: string) =>
  db().variant.findMany({ where: { shopId, productId }, orderBy: { createdAt: "asc" } });

describe("prices in 元", () => {
  it("parses yuan to integer fen without floating point", () => {
    expect(parseYuanToFen("168")).toEqual({ ok: true, fen: 16800 });
    expect(parseYuanToFen("168.5")).toEqual({ ok: true, fen: 16850 });
    expect(parseYuanToFen("168.50")).toEqual({ ok: true, fen: 16850 });
    expect(parseYuanToFen(" 0.07 ")).toEqual({ ok: true, fen: 7 });
    expect(parseYuanToFen("19.99")).toEqual({ ok: true, fen: 1999 }); // 19.99 * 100 is 1998.9999… in floating point
    expect(parseYuanToFen("¥1,0")).toEqual({ ok: false, error: "catalog.errors.priceInvalid" });
    expect(parseYuanToFen("１６８．５")).toEqual({ ok: true, fen: 16850 }); // full-width, from a Chinese IME
    expect(parseYuanToFen("￥88元")).toEqual({ ok: true, fen: 8800 });
    expect(parseYuanToFen("-1")).toEqual({ ok: false, error: "catalog.errors.priceNegative" });
    expect(parseYuanToFen("1.234")).toEqual({ ok: false, error: "catalog.errors.priceDecimals" });
    expect(parseYuanToFen("abc")).toEqual({ ok: false, error: "catalog.errors.priceInvalid" });
    expect(parseYuanToFen("1e3")).toEqual({ ok: false, error: "catalog.errors.priceInvalid" });
    expect(parseYuanToFen("12.")).toEqual({ ok: false, error: "catalog.errors.priceInvalid" });
    expect(parseYuanToFen("")).toEqual({ ok: false, error: "catalog.errors.priceRequired" });
    expect(parseYuanToFen("10000000")).toEqual({ ok: false, error: "catalog.errors.priceTooHigh" });
  });

  it("stores a variant's price and compare-at price in fen", async () => {
    const result = await admin.post(
      a.owner.session,
      a.shop.slug,
      peach,
      "variant-create",
      variant({ sku: "PEACH-6", price: "168.5", compareAt: "198", weightGrams: "1500" }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/${a.shop.slug}/products/${peach}?saved=variantCreated#variants`);
    const row = await db().variant.findUniqueOrThrow({
      where: { shopId_sku: { shopId: a.shop.id, sku: "PEACH-6" }, shopId: a.shop.id },
    });
    expect(row).toMatchObject({
      priceFen: 16850,
      compareAtFen: 19800,
      weightGrams: 1500,
      unit: "盒",
      status: "ACTIVE",
      stock: 0,
    });
  });

  it("refuses bad prices with a field error and writes nothing", async () => {
    const before = (await variantsOf(a.shop.id, peach)).length;
    const cases: [Record<string, string>, string, string][] = [
      [{ price: "-1" }, "price", "catalog.errors.priceNegative"],
      [{ price: "1.234" }, "price", "catalog.errors.priceDecimals"],
      [{ price: "十块" }, "price", "catalog.errors.priceInvalid"],
      [{ price: "0" }, "price", "catalog.errors.priceTooLow"],
      [{ price: "" }, "price", "catalog.errors.priceRequired"],
      [{ price: "168", compareAt: "168" }, "compareAt", "catalog.errors.compareAtNotHigher"],
      [{ unit: "一个很长很长很长很长的单位" }, "unit", 'catalog.errors.tooLong|{"max":10}'],
    ];
    for (const [fields, field, key] of cases) {
      const result = await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", {
        ...variant(fields),
        formId: "variant-new",
      });
      expect(result.status, JSON.stringify(fields)).toBe(400);
      const reply = dataOf<{ form: string; result: { error: Record<string, string[]> } }>(result);
      expect(reply.form).toBe("variant-new");
      expect(reply.result.error[field]).toEqual([key]);
    }
    expect((await variantsOf(a.shop.id, peach)).length).toBe(before);
  });

  it("shows stored prices in the edit form as typed in 元", async () => {
    const page = dataOf<{ variants: { sku: string; price: string; compareAt: string | null }[] }>(
      await admin.page(a.owner.session, a.shop.slug, peach),
    );
    expect(page.variants.find((v) => v.sku === "PEACH-6")).toMatchObject({ price: "168.50", compareAt: "198" });
  });
});

describe("SKUs", () => {
  it("suggests a free SKU from the product's slug when left blank", async () => {
    const page = dataOf<{ suggestedSku: string }>(await admin.page(a.owner.session, a.shop.slug, peach));
    expect(page.suggestedSku).toBe("PEACH-BOX-1");
    await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", variant({ titleZh: "12只装" }));
    await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", variant({ titleZh: "24只装" }));
    const skus = (await variantsOf(a.shop.id, peach)).map((v) => v.sku);
    expect(skus).toEqual(expect.arrayContaining(["PEACH-BOX-1", "PEACH-BOX-2"]));
    // A long slug gives its initials.
    const presale = await createProductAs(
      a.owner.session,
      a.shop.slug,
      produceFields({ titleEn: "Honey Peach Presale 2027" }),
    );
    expect(dataOf<{ suggestedSku: string }>(await admin.page(a.owner.session, a.shop.slug, presale)).suggestedSku).toBe(
      "HPP2027-1",
    );
  });

  it("are unique within a shop, and the same SKU may live in another shop", async () => {
    const taken = await admin.post(a.owner.session, a.shop.slug, peach, "variant-create", variant({ sku: "PEACH-6" }));
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.data)).toContain("catalog.errors.skuTaken");

    const other = await createProductAs(b.owner.session, b.shop.slug, specialtyFields());
    const elsewhere = await admin.post(
      b.owner.session,
      b.shop.slug,
      other,
      "variant-create",
      variant({ sku: "PEACH-6" }),
    );
    expect(elsewhere.status).toBe(302);
    expect(await db().variant.count({ where: { shopId: b.shop.id, sku: "PEACH-6" } })).toBe(1);
  });

  it("refuses renaming a variant to another variant's SKU", async () => {
    const [first] = await variantsOf(a.shop.id, peach);
    const result = await admin.post(a.owner.session, a.shop.slug, peach, "variant-update", {
      ...variant({ sku: "PEACH-BOX-1" }),
      variantId: first!.id,
    });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.data)).toContain("catalog.errors.skuTaken");
    expect((await db().variant.findFirstOrThrow({ where: { id: first!.id, shopId: a.shop.id } })).sku).toBe("PEACH-6");
  });

  it("edits, archives and restores a variant", async () => {
    const [first] = await variantsOf(a.shop.id, peach);
    const edited = await admin.post(a.staff.session, a.shop.slug, peach, "variant-update", {
      variantId: first!.id,
      titleZh: "6只装礼盒",
      titleEn: "Gift box of 6",
      unit: "盒",
      price: "158",
      sku: "",
    });
    expect(edited.status).toBe(302);
    expect(await db().variant.findFirstOrThrow({ where: { id: first!.id, shopId: a.shop.id } })).toMatchObject({
      titleZh: "6只装礼盒",
      titleEn: "Gift box of 6",
      priceFen: 15800,
      compareAtFen: null,
      sku: "PEACH-6",
    });
    expect(
      (await admin.post(a.staff.session, a.shop.slug, peach, "variant-archive", { variantId: first!.id })).status,
    ).toBe(302);
    expect((await db().variant.findFirstOrThrow({ where: { id: first!.id, shopId: a.shop.id } })).status).toBe(
      "ARCHIVED",
    );
    expect(
      (await admin.post(a.staff.session, a.shop.slug, peach, "variant-restore", { variantId: first!.id })).status,
    ).toBe(302);
    expect((await db().variant.findFirstOrThrow({ where: { id: first!.id, shopId: a.shop.id } })).status).toBe(
      "ACTIVE",
    );
  });
});

describe("stock", () => {
  let variantId: string;
  beforeAll(async () => {
    const result = await admin.post(
      a.owner.session,
      a.shop.slug,
      peach,
      "variant-create",
      variant({ sku: "PEACH-STOCK", initialStock: "12" }),
    );
    expect(result.status).toBe(302);
    variantId = (
      await db().variant.findUniqueOrThrow({
        where: { shopId_sku: { shopId: a.shop.id, sku: "PEACH-STOCK" }, shopId: a.shop.id },
      })
    ).id;
  });

  const stockOf = async (id: string) =>
    (await db().variant.findFirstOrThrow({ where: { id, shopId: a.shop.id } })).stock;
  const movementsOf = (id: string) =>
    db().stockMovement.findMany({ where: { shopId: a.shop.id, variantId: id }, orderBy: { createdAt: "asc" } });

  it("records the opening stock as the first movement", async () => {
    expect(await stockOf(variantId)).toBe(12);
    const [initial] = await movementsOf(variantId);
    expect(initial).toMatchObject({ delta: 12, reason: "initial", userId: a.owner.id });
  });

  it("adjusts stock up and down, keeping who, when, how much and why", async () => {
    const up = await admin.post(a.staff.session, a.shop.slug, peach, "stock-adjust", {
      variantId,
      delta: "20",
      reason: "received",
    });
    expect(up.status).toBe(302);
    expect(up.location).toBe(`/admin/${a.shop.slug}/products/${peach}?saved=stock#variants`);
    const down = await admin.post(a.owner.session, a.shop.slug, peach, "stock-adjust", {
      variantId,
      delta: "-3",
      reason: "damaged",
      note: "运输压坏",
    });
    expect(down.status).toBe(302);
    expect(await stockOf(variantId)).toBe(29);

    const page = dataOf<{
      history: { delta: number; code: string; note: string | null; who: string; sku: string; createdAt: string }[];
    }>(await admin.page(a.owner.session, a.shop.slug, peach));
    const mine = page.history.filter((h) => h.sku === "PEACH-STOCK");
    expect(mine.map((h) => [h.delta, h.code, h.note, h.who])).toEqual([
      [-3, "damaged", "运输压坏", "店主"],
      [20, "received", null, "店员小王"],
      [12, "initial", null, "店主"],
    ]);
    expect(new Date(mine[0]!.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(mine[1]!.createdAt).getTime());
  });

  it("refuses to go below zero, with a translated error and no change", async () => {
    const before = await movementsOf(variantId);
    const result = await admin.post(a.owner.session, a.shop.slug, peach, "stock-adjust", {
      variantId,
      delta: "-30",
      reason: "sold_offline",
      formId: `stock-${variantId}`,
    });
    expect(result.status).toBe(400);
    const reply = dataOf<{ form: string; result: { error: Record<string, string[]> } }>(result);
    expect(reply.form).toBe(`stock-${variantId}`);
    expect(reply.result.error.delta).toEqual(['catalog.errors.stockNegative|{"stock":29}']);
    expect(await stockOf(variantId)).toBe(29);
    expect(await movementsOf(variantId)).toHaveLength(before.length);
  });

  it("refuses a zero change, a fraction, and 'other' without a note", async () => {
    for (const [fields, field, key] of [
      [{ delta: "0", reason: "correction" }, "delta", "catalog.errors.deltaZero"],
      [{ delta: "1.5", reason: "correction" }, "delta", "catalog.errors.wholeNumber"],
      [{ delta: "2", reason: "other" }, "note", "catalog.errors.noteRequired"],
      [{ delta: "2", reason: "stolen" }, "reason", "catalog.errors.reasonInvalid"],
    ] as const) {
      const result = await admin.post(a.owner.session, a.shop.slug, peach, "stock-adjust", { variantId, ...fields });
      expect(result.status).toBe(400);
      expect(dataOf<{ result: { error: Record<string, string[]> } }>(result).result.error[field]).toEqual([key]);
    }
    expect(await stockOf(variantId)).toBe(29);
  });

  it("has no stock to adjust on an experience's tickets", async () => {
    const tour = await createProductAs(a.owner.session, a.shop.slug, experienceFields());
    const page = dataOf<{ history: unknown[]; slots: unknown }>(await admin.page(a.owner.session, a.shop.slug, tour));
    expect(page.history).toEqual([]);
    expect(page.slots).toMatchObject({ slots: [], total: 0 });
  });

  it("lets exactly 5 of 10 parallel −1 adjustments through on stock 5 (PostgreSQL server)", async (context) => {
    if (connection().kind !== "server") {
      // PGlite runs one statement at a time, so nothing here would run concurrently.
      console.log("skipped: the concurrency test needs TEST_DATABASE_URL (a PostgreSQL server)");
      context.skip();
    }
    await admin.post(
      a.owner.session,
      a.shop.slug,
      peach,
      "variant-create",
      variant({ sku: "PEACH-RACE", initialStock: "5" }),
    );
    const raceId = (
      await db().variant.findUniqueOrThrow({
        where: { shopId_sku: { shopId: a.shop.id, sku: "PEACH-RACE" }, shopId: a.shop.id },
      })
    ).id;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        admin.post(i % 2 ? a.owner.session : a.staff.session, a.shop.slug, peach, "stock-adjust", {
          variantId: raceId,
          delta: "-1",
          reason: "sold_offline",
        }),
      ),
    );
    expect(results.filter((r) => r.status === 302)).toHaveLength(5);
    expect(results.filter((r) => r.status === 400)).toHaveLength(5);
    expect(await stockOf(raceId)).toBe(0);
    const movements = await movementsOf(raceId);
    expect(movements.map((m) => m.delta).sort()).toEqual([-1, -1, -1, -1, -1, 5]);
  });
});
