import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import type { MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import type { ProductCardData } from "~/modules/catalog/types";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { loader as shopLoader } from "~/routes/s.$shop._index";
import { loader as searchLoader } from "~/routes/search";
import { samplePack, writePacks } from "../support/packs";
import { callLoader } from "../support/routes";

// A price reads "from ¥…" (起) only when a product's options cost different amounts: a
// single option, or several at one price, show just the price. Archived options do not count.
const SHOP = "price-words";

type Variant = { sku: string; title: { zh: string; en: string }; unit: string; priceFen: number; stock: number };
const variant = (sku: string, priceFen: number): Variant => ({
  sku: `${SHOP}-${sku}`,
  title: { zh: sku, en: sku },
  unit: "盒",
  priceFen,
  stock: 10,
});

/** What each test product is, and whether its price should say "from". */
const EXPECTED: Record<string, { minPriceFen: number; pricesVary: boolean }> = {
  "peach-box": { minPriceFen: 16_800, pricesVary: true }, // 168 and 298 (the sample pack's)
  "tea-tin": { minPriceFen: 38_800, pricesVary: false }, // one option
  "same-price": { minPriceFen: 5_800, pricesVary: false }, // two options, one price
  "cheaper-archived": { minPriceFen: 9_800, pricesVary: false }, // the cheaper option is archived
};

beforeAll(async () => {
  const pack = samplePack(SHOP);
  const [peach, tea] = pack.products;
  pack.products.push(
    {
      ...tea!,
      slug: "same-price",
      title: { zh: "同价两规格", en: "Two options, one price" },
      variants: [variant("S1", 5_800), variant("S2", 5_800)],
    },
    {
      ...tea!,
      slug: "cheaper-archived",
      title: { zh: "便宜的停用了", en: "Cheaper one archived" },
      variants: [variant("A1", 4_800), variant("A2", 9_800)],
    },
  );
  expect(peach!.variants.map((v) => v.priceFen)).toEqual([16_800, 29_800]);
  const results = await syncTenants(writePacks([pack]), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP }, select: { id: true } });
  await unscopedDb().variant.update({
    where: { shopId_sku: { shopId: shop.id, sku: `${SHOP}-A1` } },
    data: { status: "ARCHIVED" },
  });
});

const pricing = (card: ProductCardData) => ({ minPriceFen: card.minPriceFen, pricesVary: card.pricesVary });

describe("when a price says from", () => {
  it("on the shop's own page", async () => {
    const home = await callLoader<{ products: ProductCardData[] }>(shopLoader, `http://localhost/s/${SHOP}`, {
      shop: SHOP,
    });
    const cards = Object.fromEntries(home.data!.products.map((card) => [card.slug, pricing(card)]));
    expect(cards).toMatchObject(EXPECTED);
  });

  it("in marketplace search results", async () => {
    const search = await callLoader<{ results: { results: MarketCard[] } }>(
      searchLoader,
      `http://localhost/search?q=${SHOP}`,
    );
    const cards = Object.fromEntries(
      search.data!.results.results.map((card) => [card.product.slug, pricing(card.product)]),
    );
    expect(cards).toMatchObject(EXPECTED);
  });

  it.each(Object.entries(EXPECTED))("on the product page of %s", async (slug, expected) => {
    const page = await callLoader<{ product: { pricesVary: boolean; variants: { priceFen: number }[] } }>(
      productLoader,
      `http://localhost/s/${SHOP}/p/${slug}`,
      { shop: SHOP, product: slug },
    );
    expect(page.data!.product.pricesVary).toBe(expected.pricesVary);
    expect(Math.min(...page.data!.product.variants.map((v) => v.priceFen))).toBe(expected.minPriceFen);
  });
});
