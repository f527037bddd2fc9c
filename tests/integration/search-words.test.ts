import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { parseSearchParams } from "~/modules/catalog/search-params";
import { searchProducts } from "~/modules/catalog/search.cross-shop.server";
import { indexMissing } from "~/modules/search/reindex.cross-shop.server";
import { action as synonymsAction, loader as synonymsLoader } from "~/routes/platform.search";
import { createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import {
  admin,
  createProductAs,
  produceFields,
  shopWithTeam,
  specialtyFields,
  type ShopWithTeam,
} from "./catalog-fixtures";

// Search words kept by the catalog writers, the triggers that drop stale words, and the platform
// admin's synonyms (docs/decisions/022-search-words.md).

const URL_SYNONYMS = "http://localhost/platform/search";
let team: ShopWithTeam;
let platformAdmin: Session;
let titled: string;
let described: string;

async function found(q: string) {
  const page = await searchProducts({ ...parseSearchParams(new URLSearchParams({ q })), lng: "zh-CN", pageSize: 50 });
  return page.results.filter((card) => card.shop.slug === team.shop.slug).map((card) => card.product.slug);
}

async function listed(productId: string, sku: string) {
  await db().variant.create({
    data: { shopId: team.shop.id, productId, sku, titleZh: "一箱", unit: "箱", priceFen: 3900, stock: 5 },
  });
  return (await db().product.findFirstOrThrow({ where: { id: productId, shopId: team.shop.id } })).slug;
}

beforeAll(async () => {
  team = await shopWithTeam();
  platformAdmin = await signedIn((await createUser({ name: "平台管理员", isPlatformAdmin: true })).id);
  // One product says 紫薯 in its title, a newer featured one only in its description.
  titled = await listed(
    await createProductAs(
      team.owner.session,
      team.shop.slug,
      produceFields({ titleZh: "高山紫薯礼盒", titleEn: "Purple sweet potato box", presale: [] }),
    ),
    "ZS-1",
  );
  described = await listed(
    await createProductAs(
      team.owner.session,
      team.shop.slug,
      specialtyFields({
        status: "ACTIVE",
        titleZh: "农家粗粮组合",
        descriptionZh: "含高山紫薯、玉米和小米。",
        featured: "on",
      }),
    ),
    "ZS-2",
  );
});

describe("words kept by the catalog writers", () => {
  it("finds a product created through the form by its words, in any order, by pinyin and in English", async () => {
    expect(await found("紫薯")).toEqual([titled, described]); // the title's word ranks above the description's
    expect(await found("礼盒 高山")).toEqual([titled]);
    expect(await found("gaoshan zishu")).toEqual([titled]);
    expect(await found("sweet potatoes")).toEqual([titled]);
  });

  it("follows an edit through the form: the old word no longer finds it, the new one does", async () => {
    const product = await db().product.findFirstOrThrow({ where: { shopId: team.shop.id, slug: titled } });
    const saved = await admin.post(team.owner.session, team.shop.slug, product.id, "product", {
      ...produceFields({ titleZh: "高山紫薯礼箱", titleEn: "Purple sweet potato crate", presale: [] }),
      slug: titled,
    });
    expect(saved.status).toBe(302);
    expect(await found("礼盒")).toEqual([]);
    expect(await found("礼箱")).toEqual([titled]);
  });

  it("drops the words of text changed behind the writers' back; the product is still found by its title until reindexed", async () => {
    const product = await db().product.findFirstOrThrow({ where: { shopId: team.shop.id, slug: described } });
    await db().product.update({
      where: { shopId_id: { shopId: team.shop.id, id: product.id } },
      data: { titleZh: "农家杂粮组合" },
    });
    expect(await unscopedDb().productSearch.count({ where: { productId: product.id } })).toBe(0);
    expect(await found("杂粮")).toEqual([described]);
    expect(await indexMissing()).toBeGreaterThanOrEqual(1);
    expect(await unscopedDb().productSearch.count({ where: { productId: product.id } })).toBe(1);
    expect(await found("杂粮 组合")).toEqual([described]);
  });

  it("a renamed shop's products are found by its new name once indexed", async () => {
    await unscopedDb().shop.update({ where: { id: team.shop.id }, data: { villageZh: "云雾村" } });
    await indexMissing();
    expect(new Set(await found("云雾村"))).toEqual(new Set([titled, described]));
  });
});

describe("synonyms on /platform/search", () => {
  const post = (session: Session | null, fields: Record<string, string>, opts: { csrf?: boolean } = {}) =>
    run(synonymsAction, postAs(session, URL_SYNONYMS, fields, opts));
  const count = () => unscopedDb().searchSynonym.count();

  it("lists the seeded groups to the platform admin only", async () => {
    const page = await run(synonymsLoader, getAs(platformAdmin, URL_SYNONYMS));
    expect(page.status).toBe(200);
    const { synonyms } = page.data as unknown as { synonyms: { term: string; words: string[] }[] };
    expect(synonyms.find((s) => s.term === "螃蟹" && s.words.includes("大闸蟹"))).toBeTruthy();
    expect((await run(synonymsLoader, getAs(team.owner.session, URL_SYNONYMS))).status).toBe(403);
  });

  it("refuses bad words with a translated error, a missing CSRF token and a non-admin, changing nothing", async () => {
    const before = await count();
    const one = await post(platformAdmin, { intent: "add", words: "地瓜" });
    expect(one.status).toBe(400);
    const { t } = await createI18n("zh-CN");
    const errors = (one.data as unknown as { error: Record<string, string[]> }).error.words!;
    expect(errors).toEqual(["search.errors.twoWords"]);
    expect(t(errors[0]!)).toBe("至少填写两个词。");
    expect((await post(platformAdmin, { intent: "add", words: "地瓜 sweet-potato" })).status).toBe(400);
    expect((await post(platformAdmin, { intent: "add", words: "地瓜 红薯" }, { csrf: false })).status).toBe(403);
    expect((await post(team.owner.session, { intent: "add", words: "地瓜 红薯" })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it("adds a group that search uses at once, and deletes it again", async () => {
    expect(await found("地瓜")).toEqual([]);
    const added = await post(platformAdmin, { intent: "add", words: "紫薯  地瓜，番薯" });
    expect(added).toMatchObject({ status: 302, location: "/platform/search?added=1" });
    expect(await found("地瓜")).toEqual([titled, described]);
    const row = await unscopedDb().searchSynonym.findFirstOrThrow({ where: { term: "紫薯" } });
    expect(row).toMatchObject({ words: ["地瓜", "番薯"], oneWay: false });

    expect(await post(platformAdmin, { intent: "delete", id: row.id })).toMatchObject({ status: 302 });
    expect(await found("地瓜")).toEqual([]);
    expect((await post(platformAdmin, { intent: "delete", id: row.id })).status).toBe(404);
  });

  it("a one-way group lets only its first word find the others", async () => {
    expect(await found("组合")).toEqual([described]);
    expect(await post(platformAdmin, { intent: "add", words: "组合 礼箱", oneWay: "on" })).toMatchObject({
      status: 302,
    });
    expect(new Set(await found("组合"))).toEqual(new Set([titled, described]));
    expect(await found("礼箱")).toEqual([titled]);
  });
});
