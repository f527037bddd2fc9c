import { beforeAll, describe, expect, it } from "vitest";
import { loader as suggestLoader } from "~/routes/search.suggest";
import { countStatements, importMarket } from "./market-fixtures";

// /search/suggest (issue 13 §1): products, shops and villages as the buyer types, at most 8.

type Body = {
  products: { title: string; href: string }[];
  shops: { name: string; href: string }[];
  villages: { name: string; href: string }[];
};

async function suggest(q: string, lng = "zh-CN") {
  const response = await suggestLoader({
    request: new Request(`http://localhost/search/suggest?q=${encodeURIComponent(q)}&lng=${lng}`),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/json/);
  return (await response.json()) as Body;
}

beforeAll(importMarket);

describe("/search/suggest", () => {
  it("offers products by the start of their words and by pinyin, in one statement", async () => {
    const { result, statements } = await countStatements(() => suggest("大闸"));
    expect(statements).toBe(1);
    expect(result.products.map((p) => p.href)).toEqual(
      expect.arrayContaining(["/s/yangcheng-crab/p/hairy-crab-live", "/s/yangcheng-crab/p/crab-gift-box"]),
    );
    const pinyin = await suggest("shuimi");
    expect(pinyin.products.map((p) => p.href)).toContain("/s/yangshan-peach/p/honey-peach-presale-2027");
  });

  it("offers shops and villages by name, in the page's language, at most 8 in all", async () => {
    const zh = await suggest("西望");
    expect(zh.shops.map((s) => s.href)).toEqual(["/s/yixing-zisha"]);
    expect(zh.villages.map((v) => v.name)).toEqual(["西望村"]);
    const en = await suggest("xiwang", "en");
    expect(en.villages.map((v) => v.name)).toEqual(["Xiwang Village"]);
    const many = await suggest("茶");
    expect(many.products.length + many.shops.length + many.villages.length).toBeLessThanOrEqual(8);
  });

  it("offers nothing for an empty query or punctuation, and never a hidden shop's products", async () => {
    expect(await suggest("")).toMatchObject({ products: [], shops: [], villages: [] });
    expect(await suggest("%")).toMatchObject({ products: [], shops: [], villages: [] });
    const hidden = await suggest("水蜜桃礼盒");
    expect(hidden.products.every((p) => !p.href.startsWith("/s/market-"))).toBe(true);
    expect(hidden.shops.every((s) => !s.href.startsWith("/s/market-"))).toBe(true);
  });
});
