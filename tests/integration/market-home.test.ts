import { beforeAll, describe, expect, it } from "vitest";
import { shanghaiMonth } from "~/lib/time";
import { HOME_SECTION_SIZE, marketplaceHome, type MarketCard } from "~/modules/catalog/marketplace.cross-shop.server";
import { liveShopsByCounty } from "~/modules/tenancy/directory.cross-shop.server";
import { loader as homeLoader } from "~/routes/_index";
import { callLoader } from "../support/routes";
import { countStatements, demoPack, HIDDEN_SHOPS, importMarket, listedProducts } from "./market-fixtures";

type HomeData = {
  kind: "platform";
  month: number;
  inSeason: MarketCard[];
  featured: MarketCard[];
  counties: { slug: string; shops: { slug: string }[] }[];
};

const keyOf = (card: MarketCard) => `${card.shop.slug}/${card.product.slug}`;

// One file, one database: the first suite sees it empty, the second after the import.
describe("the marketplace home before any shop is live", () => {
  it("has an empty state for every section before any shop is live", async () => {
    const home = await callLoader<HomeData>(homeLoader, "http://localhost/");
    expect(home.status).toBe(200);
    expect(home.data).toMatchObject({ kind: "platform", inSeason: [], featured: [], counties: [] });
  });
});

describe("the marketplace home", () => {
  beforeAll(importMarket);

  it("shows this month's produce in Shanghai, featured products and shops by county, never hidden ones", async () => {
    const { result: home, statements } = await countStatements(() => callLoader<HomeData>(homeLoader, "http://localhost/"));
    const data = home.data!;
    expect(data.month).toBe(shanghaiMonth());
    const listed = await listedProducts();
    const byKey = new Map(listed.map((p) => [`${p.shop.slug}/${p.slug}`, p]));

    const inSeason = listed.filter((p) => p.harvestMonths.includes(data.month));
    expect(data.inSeason).toHaveLength(Math.min(HOME_SECTION_SIZE, inSeason.length));
    for (const card of data.inSeason) expect(byKey.get(keyOf(card))!.harvestMonths).toContain(data.month);

    const featured = listed.filter((p) => p.featured);
    expect(data.featured).toHaveLength(Math.min(HOME_SECTION_SIZE, featured.length));
    expect(data.featured.every((card) => byKey.get(keyOf(card))!.featured)).toBe(true);

    const shops = data.counties.flatMap((c) => c.shops.map((s) => s.slug));
    expect(shops).toContain("yangshan-peach");
    for (const card of [...data.inSeason, ...data.featured]) expect(HIDDEN_SHOPS).not.toContain(card.shop.slug);
    for (const hidden of HIDDEN_SHOPS) expect(shops).not.toContain(hidden);

    // In-season and featured: one statement each, on top of what the shops-by-county read costs.
    const directory = await countStatements(() => liveShopsByCounty("zh-CN"));
    expect(statements - directory.statements).toBe(2);
  });

  it("in season follows a given date in Shanghai: July brings the peaches, November the crabs", async () => {
    const july = await marketplaceHome({ lng: "zh-CN", now: new Date("2027-06-30T16:00:00Z") }); // 00:00 on 1 July in Shanghai
    expect(july.month).toBe(7);
    expect(july.inSeason.map(keyOf)).toContain("yangshan-peach/honey-peach-presale-2027");
    expect(july.inSeason.map(keyOf)).not.toContain("yangcheng-crab/hairy-crab-live");
    const november = await marketplaceHome({ lng: "en", now: new Date("2026-11-27T02:00:00Z") });
    expect(november.inSeason.map(keyOf)).toContain("yangcheng-crab/hairy-crab-live");
    expect(november.inSeason.map(keyOf)).not.toContain("yangshan-peach/honey-peach-presale-2027");
    const crab = november.inSeason.find((card) => card.shop.slug === "yangcheng-crab")!;
    expect(crab.product.title).toBe(demoPack("yangcheng-crab").products.find((p) => p.slug === crab.product.slug)!.title.en);
    expect(crab.product.minPriceFen).toBeGreaterThan(0);
    expect(crab.product.picture?.src).toMatch(/^\/media\//);
  });

  it("stays the shop's own home on a shop's host", async () => {
    const home = await callLoader<{ kind: string }>(homeLoader, "http://yangshan-peach.localhost/");
    expect(home.data!.kind).toBe("shop");
  });
});
