import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { languageCookie } from "~/lib/i18n.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { loader as shopLoader } from "~/routes/s.$shop._index";
import { callLoader } from "../support/routes";
import { markDomainVerified } from "../support/domains";
import { samplePack, writePacks } from "../support/packs";

// Shop A's pages answer under A's host and path; under B's they are 404, never data.
const A = "shop-alpha";
const B = "shop-beta";
const PRODUCT = "peach-box"; // both shops have one of this slug, with different SKUs

type ProductData = {
  header: { slug: string; basePath: string };
  product: { title: string; variants: { title: string; priceFen: number }[] };
};
type ShopData = { header: { slug: string; name: string; basePath: string }; products: { slug: string }[] };

beforeAll(async () => {
  const a = samplePack(A);
  const b = samplePack(B, "320507");
  b.products[0]!.title.zh = "乙店的桃";
  b.products[0]!.variants[0]!.priceFen = 9900;
  const draft = samplePack("shop-draft", "320282");
  (draft as Record<string, unknown>).status = "DRAFT";
  const custom = samplePack("shop-custom", "320282");
  (custom as Record<string, unknown>).customDomain = "peach.example.cn";
  const results = await syncTenants(writePacks([a, b, draft, custom]), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  // A product only shop A has.
  const shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: A } });
  await unscopedDb().product.update({
    where: { shopId_slug: { shopId: shopA.id, slug: "tea-tin" } },
    data: { slug: "alpha-only-tea" },
  });
});

describe("shop routing by path and by host", () => {
  it("shows the same shop home at /s/:shop and on the shop's host", async () => {
    const byPath = await callLoader<ShopData>(shopLoader, `http://localhost/s/${A}`, { shop: A });
    const byHost = await callLoader<{ kind: string; shop: ShopData }>(homeLoader, `http://${A}.localhost/`);
    expect(byPath.status).toBe(200);
    expect(byHost.status).toBe(200);
    expect(byHost.data!.kind).toBe("shop");
    expect(byPath.data!.header.basePath).toBe(`/s/${A}`);
    expect(byHost.data!.shop.header.basePath).toBe("");
    expect(byHost.data!.shop.header.name).toBe(byPath.data!.header.name);
    expect(byHost.data!.shop.products).toEqual(byPath.data!.products);
  });

  it("shows a product at /s/:shop/p/:product and at /p/:product on the shop's host", async () => {
    const byPath = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/${PRODUCT}`, {
      shop: A,
      product: PRODUCT,
    });
    const byHost = await callLoader<ProductData>(productLoader, `http://${A}.localhost/p/${PRODUCT}`, {
      product: PRODUCT,
    });
    expect(byPath.status).toBe(200);
    expect(byHost.data!.product).toEqual(byPath.data!.product);
    expect(byPath.data!.product.variants.map((v) => v.priceFen)).toEqual([16800, 29800]);
  });

  it("never shows shop A's product under shop B's path or host", async () => {
    const onlyA = "alpha-only-tea";
    expect(
      (await callLoader(productLoader, `http://localhost/s/${A}/p/${onlyA}`, { shop: A, product: onlyA })).status,
    ).toBe(200);
    expect(
      (await callLoader(productLoader, `http://localhost/s/${B}/p/${onlyA}`, { shop: B, product: onlyA })).status,
    ).toBe(404);
    expect((await callLoader(productLoader, `http://${B}.localhost/p/${onlyA}`, { product: onlyA })).status).toBe(404);
    // Same slug in both shops: each host shows its own shop's product, never the other's.
    const underB = await callLoader<ProductData>(productLoader, `http://${B}.localhost/p/${PRODUCT}`, {
      product: PRODUCT,
    });
    expect(underB.data!.header.slug).toBe(B);
    expect(underB.data!.product.title).toBe("乙店的桃");
    expect(underB.data!.product.variants[0]!.priceFen).toBe(9900);
  });

  it("answers 404 when the host and the path name different shops", async () => {
    const mixed = await callLoader(productLoader, `http://${B}.localhost/s/${A}/p/${PRODUCT}`, {
      shop: A,
      product: PRODUCT,
    });
    expect(mixed.status).toBe(404);
    expect((await callLoader(shopLoader, `http://${B}.localhost/s/${A}`, { shop: A })).status).toBe(404);
  });

  it("answers 404 for unknown and unpublished shops, by path and by host", async () => {
    expect((await callLoader(shopLoader, "http://localhost/s/no-such-shop", { shop: "no-such-shop" })).status).toBe(
      404,
    );
    expect((await callLoader(homeLoader, "http://no-such-shop.localhost/")).status).toBe(404);
    expect((await callLoader(shopLoader, "http://localhost/s/shop-draft", { shop: "shop-draft" })).status).toBe(404);
    expect((await callLoader(homeLoader, "http://shop-draft.localhost/")).status).toBe(404);
    expect((await callLoader(productLoader, "http://localhost/p/peach-box", { product: "peach-box" })).status).toBe(
      404,
    );
  });

  it("serves a shop on its custom domain only once the domain is verified", async () => {
    // Asked for (by its pack) but not verified through DNS: nothing of the shop (issue #9).
    expect((await callLoader(homeLoader, "http://peach.example.cn/")).status).toBe(404);
    await markDomainVerified("shop-custom");
    const result = await callLoader<{ kind: string; shop: ShopData }>(homeLoader, "http://peach.example.cn/");
    expect(result.data!.kind).toBe("shop");
    expect(result.data!.shop.header.slug).toBe("shop-custom");
    expect((await callLoader(homeLoader, "http://unknown.example.cn/")).status).toBe(404);
  });

  it("lists only live shops on the platform home, grouped by county", async () => {
    const home = await callLoader<{ kind: string; counties: { shops: { slug: string }[] }[] }>(
      homeLoader,
      "http://localhost/",
    );
    expect(home.data!.kind).toBe("platform");
    const slugs = home.data!.counties.flatMap((c) => c.shops.map((s) => s.slug));
    expect(slugs).toEqual(expect.arrayContaining([A, B, "shop-custom"]));
    expect(slugs).not.toContain("shop-draft");
  });

  it("speaks the visitor's language: ?lng=, then the cookie, then Accept-Language", async () => {
    const url = `http://localhost/s/${A}/p/${PRODUCT}`;
    const params = { shop: A, product: PRODUCT };
    const title = async (u: string, headers: Record<string, string> = {}) =>
      (await callLoader<ProductData>(productLoader, u, params, headers)).data!.product.title;
    expect(await title(url)).toBe("水蜜桃礼盒");
    expect(await title(url, { "Accept-Language": "en-US,en;q=0.9" })).toBe("Honey peach box");
    const cookie = (await languageCookie.serialize("en")).split(";")[0]!;
    expect(await title(url, { Cookie: cookie, "Accept-Language": "zh-CN" })).toBe("Honey peach box");
    expect(await title(`${url}?lng=zh-CN`, { Cookie: cookie })).toBe("水蜜桃礼盒");
  });
});
