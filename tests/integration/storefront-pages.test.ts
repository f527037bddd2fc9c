import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { listShopProducts } from "~/modules/catalog/storefront.server";
import { createUser, signedIn } from "../support/auth";
import { formHtml } from "../support/html-form";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops } from "./cart-fixtures";

// What the storefront's pages show (issue #13): the way back in on every page, the same for
// everyone so cached anonymous pages stay shareable (decision 019); the footer's pages; dense
// tiles (划线价, tags); the product page's buy bar and its promise. The whole app in-process.

let app: (request: Request) => Promise<Response>;
let shopId: string;

beforeAll(async () => {
  await twoShops();
  shopId = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A } })).id;
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

const get = (url: string, headers: Record<string, string> = {}) => app(new Request(url, { headers }));

/** The page's <header> and <footer>, where the way back in lives. */
function frame(html: string) {
  const header = html.slice(html.indexOf("<header"), html.indexOf("</header>"));
  const footer = html.slice(html.indexOf("<footer"), html.indexOf("</footer>"));
  return { header, footer };
}

describe("the way back in on every storefront page", () => {
  const pages = [
    "http://localhost/",
    `http://localhost/search?q=${encodeURIComponent("桃")}`,
    `http://localhost/s/${SHOP_A}`,
    `http://localhost/s/${SHOP_A}/p/peach-box`,
    `http://${SHOP_A}.localhost/p/peach-box`,
    "http://localhost/pages/help",
  ];

  it("links 我的, 订单查询, 开店入驻 and the platform's pages, and stays a public page for anonymous visitors", async () => {
    for (const url of pages) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("Cache-Control"), url).toMatch(/^public, max-age=\d+/);
      expect(response.headers.get("Set-Cookie"), url).toBeNull();
      const { header, footer } = frame(await response.text());
      const link = /<a[^>]*data-testid="account-link"[^>]*>([^<]*)<\/a>/.exec(header);
      expect(link?.[0], url).toContain('href="/account"');
      expect(link?.[1], url).toBe("我的");
      for (const href of [
        "/account",
        "/orders",
        "/admin/new",
        "/pages/about",
        "/pages/help",
        "/pages/privacy",
        "/pages/terms",
      ]) {
        expect(footer, `${url} ${href}`).toContain(`href="${href}"`);
      }
    }
  });

  it("shows a signed-in buyer the same neutral header: nothing in it depends on who looks", async () => {
    const user = await createUser({ name: "郑买家" });
    const session = await signedIn(user.id);
    const url = `http://localhost/s/${SHOP_A}/p/peach-box`;
    const anonymous = frame(await (await get(url)).text()).header;
    const signed = await get(url, { Cookie: session.cookie });
    expect(signed.headers.get("Cache-Control")).toBe("private, no-store");
    const mine = frame(await signed.text()).header;
    expect(mine).not.toContain("郑买家");
    expect(mine.match(/<a[^>]*data-testid="account-link"[^>]*>[^<]*<\/a>/)?.[0]).toBe(
      anonymous.match(/<a[^>]*data-testid="account-link"[^>]*>[^<]*<\/a>/)?.[0],
    );
  });

  it("serves about, help, privacy and terms in both languages, and nothing else under /pages", async () => {
    for (const [page, zh, en] of [
      ["about", "关于我们", "About us"],
      ["help", "帮助中心", "Help"],
      ["privacy", "隐私政策", "Privacy"],
      ["terms", "服务条款", "Terms of service"],
    ] as const) {
      const zhHtml = await (await get(`http://localhost/pages/${page}`)).text();
      expect(zhHtml).toMatch(new RegExp(`<h1[^>]*>${zh}</h1>`));
      const enHtml = await (await get(`http://localhost/pages/${page}?lng=en`)).text();
      expect(enHtml).toMatch(new RegExp(`<h1[^>]*>${en}</h1>`));
      expect(enHtml).toMatch(/<h2[^>]*>[A-Z][^<]+<\/h2>/);
    }
    expect((await get("http://localhost/pages/secret")).status).toBe(404);
  });
});

describe("dense product tiles", () => {
  it("carry 划线价 when above the price, and the tags 包邮, 冷链, 预售, 地理标志 from the product and its shop", async () => {
    const db = unscopedDb();
    const before = await listShopProducts({ shopId, lng: "zh-CN", limit: 10 });
    const peach = () => before.products.find((p) => p.slug === "peach-box")!;
    // The sample peach is cold-chain; the shop charges ¥12 and never ships free.
    expect(peach().tags).toEqual(["coldChain"]);
    expect(peach().compareAtFen).toBeNull();
    expect(before.products.find((p) => p.slug === "tea-tin")!.tags).toContain("gi");

    await db.variant.updateMany({ where: { shopId, sku: `${SHOP_A}-P6` }, data: { compareAtFen: 19800 } });
    await db.variant.updateMany({ where: { shopId, sku: `${SHOP_A}-P12` }, data: { compareAtFen: 10000 } });
    await db.shop.update({ where: { id: shopId }, data: { freeShippingFromFen: 16800 } });
    await db.product.updateMany({ where: { shopId, slug: "peach-box" }, data: { presale: true } });
    try {
      const after = await listShopProducts({ shopId, lng: "zh-CN", limit: 10 });
      const tile = after.products.find((p) => p.slug === "peach-box")!;
      expect(tile.minPriceFen).toBe(16800);
      expect(tile.compareAtFen).toBe(19800);
      expect(tile.tags).toEqual(["freeShipping", "coldChain", "presale"]);
      // An experience is visited, never shipped: no 包邮.
      expect(after.products.find((p) => p.kind === "EXPERIENCE")!.tags).not.toContain("freeShipping");

      const html = await (await get(`http://localhost/s/${SHOP_A}?lng=zh-CN`)).text();
      const card = html.slice(html.indexOf('href="/s/cart-alpha/p/peach-box"'));
      expect(card.slice(0, 3000)).toMatch(/data-testid="card-price">(<span>)?¥168/);
      expect(card.slice(0, 3000)).toMatch(/<s [^>]*data-testid="compare-at"/);
      expect(card.slice(0, 3000)).toContain("包邮");
    } finally {
      await db.variant.updateMany({ where: { shopId }, data: { compareAtFen: null } });
      await db.shop.update({ where: { id: shopId }, data: { freeShippingFromFen: null } });
      await db.product.updateMany({ where: { shopId, slug: "peach-box" }, data: { presale: false } });
    }
  });
});

describe("the product page on a phone", () => {
  it("has a buy bar whose 加入购物车 and 立即购买 submit the page's add-to-cart form, and a shipping and after-sales promise", async () => {
    const html = await (await get(`http://localhost/s/${SHOP_A}/p/peach-box`)).text();
    const form = formHtml(html, 'id="add-to-cart-form"');
    expect(form.action).toBe("/cart/add");
    const bar = html.slice(html.indexOf('data-testid="buy-bar"'));
    const buttons = [...bar.matchAll(/<button[^>]*>/g)].map((m) => m[0]).slice(0, 2);
    expect(buttons).toHaveLength(2);
    for (const [button, value] of [
      [buttons[0]!, "add"],
      [buttons[1]!, "buyNow"],
    ] as const) {
      expect(button).toContain('type="submit"');
      expect(button).toContain('form="add-to-cart-form"');
      expect(button).toContain(`value="${value}"`);
      expect(button).not.toMatch(/\sdisabled(=|\s|>)/);
    }
    expect(bar).toMatch(/href="\/s\/cart-alpha"/);
    expect(bar).toMatch(/href="\/cart"/);
    const promise = html.slice(html.indexOf('data-testid="promise"'), html.indexOf('data-testid="promise"') + 3000);
    expect(promise).toContain("配送与售后");
    expect(promise).toContain("冷链");
    expect(promise).toContain("送货上门 ¥12");
    expect(promise).toContain("到货损坏");
  });

  it("disables the bar's buttons when nothing can be bought", async () => {
    const html = await (await get(`http://localhost/s/${SHOP_A}/p/tea-tin`)).text();
    const bar = html.slice(html.indexOf('data-testid="buy-bar"'));
    const buttons = [...bar.matchAll(/<button[^>]*>/g)].map((m) => m[0]).slice(0, 2);
    expect(buttons).toHaveLength(2);
    for (const button of buttons) expect(button).toMatch(/\sdisabled(=|\s|>)/);
  });
});
