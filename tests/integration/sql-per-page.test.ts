import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { countingSql } from "~/lib/request-context.server";
import { loader as rootLoader } from "~/root";
import { loader as homeLoader } from "~/routes/_index";
import { loader as shopLoader } from "~/routes/s.$shop._index";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { loader as searchLoader } from "~/routes/search";
import { loader as traceLoader } from "~/routes/t.$code";
import { run } from "../support/auth";
import { SHOP_A, twoShops } from "./cart-fixtures";

// A storefront page runs a fixed number of SQL statements, however many products the shops
// list: no query per product (docs/perf.md). Counted from Prisma's query events for the
// root loader and the page's loader together, i.e. what a request for the page costs.

type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<unknown>;

let traceCode = "";
const pages = (): { name: string; url: string; loader: unknown; params: Record<string, string> }[] => [
  { name: "marketplace /", url: "http://localhost/", loader: homeLoader, params: {} },
  {
    name: "search /search?q=桃",
    url: `http://localhost/search?q=${encodeURIComponent("桃")}`,
    loader: searchLoader,
    params: {},
  },
  { name: "shop home", url: `http://localhost/s/${SHOP_A}`, loader: shopLoader, params: { shop: SHOP_A } },
  { name: "shop home on its host", url: `http://${SHOP_A}.localhost/`, loader: homeLoader, params: {} },
  {
    name: "product",
    url: `http://localhost/s/${SHOP_A}/p/peach-box`,
    loader: productLoader,
    params: { shop: SHOP_A, product: "peach-box" },
  },
  { name: "trace record", url: `http://localhost/t/${traceCode}`, loader: traceLoader, params: { code: traceCode } },
];

async function statements(page: ReturnType<typeof pages>[number]) {
  const request = new Request(page.url);
  const { result, statements } = await countingSql(async () => {
    await rootLoader({ request, params: {}, context: {} });
    return run(page.loader as Loader, request, page.params);
  });
  expect(result.status, page.name).toBe(200);
  return { statements, data: result.data as unknown };
}

async function addProducts(count: number) {
  const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A } });
  const products = Array.from({ length: count }, (_, i) => ({
    id: `extra-product-${i}`,
    shopId: shop.id,
    slug: `extra-peach-${i}`,
    kind: "PRODUCE" as const,
    status: "ACTIVE" as const,
    titleZh: `加量水蜜桃 ${i}`,
    titleEn: `Extra peach ${i}`,
    summaryZh: "桃",
    harvestMonths: [7, 8],
    position: 100 + i,
    featured: i % 50 === 0,
  }));
  await unscopedDb().product.createMany({ data: products });
  await unscopedDb().variant.createMany({
    data: products.map((p, i) => ({
      shopId: shop.id,
      productId: p.id,
      sku: `EXTRA-${i}`,
      titleZh: "一盒",
      unit: "盒",
      priceFen: 1000 + i,
      stock: 10,
    })),
  });
}

beforeAll(async () => {
  await twoShops();
  traceCode = (await unscopedDb().batch.findFirstOrThrow({ where: { shop: { slug: SHOP_A } } })).traceCode;
});

describe("SQL statements per page", () => {
  it("stay the same with 500 more products listed", async () => {
    const before: Record<string, number> = {};
    for (const page of pages()) before[page.name] = (await statements(page)).statements;

    const searchBefore = (await statements(pages()[1]!)).data as { results: { total: number } };
    await addProducts(500);
    const searchAfter = (await statements(pages()[1]!)).data as { results: { total: number } };
    expect(searchAfter.results.total).toBe(searchBefore.results.total + 500);

    const after: Record<string, number> = {};
    for (const page of pages()) after[page.name] = (await statements(page)).statements;
    console.info(`SQL statements per page (demo data → +500 products): ${JSON.stringify({ before, after })}`);
    expect(after).toEqual(before);
    for (const [name, count] of Object.entries(before)) {
      expect(count, name).toBeGreaterThan(0);
      expect(count, name).toBeLessThanOrEqual(20);
    }
  });

  it("an anonymous visitor's root loader runs none (no cart or session cookie to look up)", async () => {
    const { statements: count } = await countingSql(() =>
      rootLoader({ request: new Request("http://localhost/"), params: {}, context: {} }),
    );
    expect(count).toBe(0);
  });
});
