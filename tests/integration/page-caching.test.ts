import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createUser, signedIn } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops } from "./cart-fixtures";

// Pages nobody-in-particular may see are cacheable (Cache-Control public, a weak ETag, 304
// on If-None-Match), for the HTML document and for Remix's `.data` requests alike. A browser
// with a session or a cart gets private, no-store pages that show its own cart; nothing
// shareable ever sets a cookie (docs/decisions/012-page-caching.md). The whole app runs
// in-process: root loader, route `headers` exports and entry.server together.
// The price check below changes shop A's 6-box price; tests after it see ¥179.

let app: (request: Request) => Promise<Response>;
let variantId: string;
let traceCode: string;

beforeAll(async () => {
  const f = await twoShops();
  variantId = f.a.p6.id;
  const batch = await unscopedDb().batch.findFirstOrThrow({
    where: { shop: { slug: SHOP_A } },
    select: { traceCode: true },
  });
  traceCode = batch.traceCode;
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

const get = (url: string, headers: Record<string, string> = {}) => app(new Request(url, { headers }));

const pages = () => [
  { name: "marketplace", url: "http://localhost/" },
  { name: "search", url: `http://localhost/search?q=${encodeURIComponent("桃")}` },
  { name: "shop home by path", url: `http://localhost/s/${SHOP_A}` },
  { name: "shop home on its host", url: `http://${SHOP_A}.localhost/` },
  { name: "product by path", url: `http://localhost/s/${SHOP_A}/p/peach-box` },
  { name: "product on the shop's host", url: `http://${SHOP_A}.localhost/p/peach-box` },
  // (read when the test runs: the code is known after beforeAll)
  {
    name: "trace record",
    get url() {
      return `http://localhost/t/${traceCode}`;
    },
  },
  { name: "product data (single fetch)", url: `http://localhost/s/${SHOP_A}/p/peach-box.data` },
  { name: "root data (single fetch)", url: "http://localhost/_root.data" },
  { name: "search data (single fetch)", url: `http://localhost/search.data?q=${encodeURIComponent("桃")}` },
];

const withoutNonces = (text: string) => text.replaceAll(/nonce="[^"]*"/g, 'nonce=""');

function expectPublic(response: Response) {
  expect(response.headers.get("Cache-Control")).toMatch(/^public, max-age=\d+(, stale-while-revalidate=\d+)?$/);
  expect(response.headers.get("ETag")).toMatch(/^W\/"[\w-]+"$/);
  expect(response.headers.get("Set-Cookie")).toBeNull();
}

function expectPrivate(response: Response) {
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  expect(response.headers.get("ETag")).toBeNull();
}

/** A guest who added one box to the cart, through the app, the way a browser without JavaScript does. */
async function guestWithCart() {
  const form = new URLSearchParams({ variantId, quantity: "1", redirectTo: `/s/${SHOP_A}/p/peach-box` });
  const response = await app(
    new Request("http://localhost/cart/add", {
      method: "POST",
      body: form,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        "Sec-Fetch-Site": "same-origin",
      },
    }),
  );
  expect(response.status).toBe(302);
  expectPrivate(response);
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  expect(setCookie).toMatch(/^cart=/);
  return setCookie.split(";")[0]!;
}

describe("anonymous visitors get shareable pages", () => {
  for (const page of pages()) {
    it(`${page.name}: public, with a weak ETag; the same ETag gets a 304 without body`, async () => {
      const first = await get(page.url);
      expect(first.status).toBe(200);
      expectPublic(first);
      expect(first.headers.get("Vary")).toBe("Cookie, Accept-Language");
      const body = await first.text();
      expect(body.length).toBeGreaterThan(100);
      const etag = first.headers.get("ETag")!;

      // The same page again is the same page, hence the same validator; only a document's
      // per-response CSP nonce differs (a weak ETag: the same content, not the same bytes).
      const again = await get(page.url);
      expect(again.headers.get("ETag")).toBe(etag);
      expect(withoutNonces(await again.text())).toBe(withoutNonces(body));

      const revalidated = await get(page.url, { "If-None-Match": etag });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe("");
      expect(revalidated.headers.get("ETag")).toBe(etag);
      expect(revalidated.headers.get("Cache-Control")).toBe(first.headers.get("Cache-Control"));
      expect(revalidated.headers.get("Set-Cookie")).toBeNull();

      // A stale validator (or a list of them, weak or strong) is answered in full.
      const stale = await get(page.url, { "If-None-Match": 'W/"something-else", "other"' });
      expect(stale.status).toBe(200);
      expect(withoutNonces(await stale.text())).toBe(withoutNonces(body));
      const listed = await get(page.url, { "If-None-Match": `"x", ${etag.replace(/^W\//, "")}` });
      expect(listed.status).toBe(304);
    });
  }

  it("a page whose content changed gets a new ETag, and the old one a full answer", async () => {
    const url = `http://localhost/s/${SHOP_A}/p/peach-box`;
    const before = await get(url);
    const etag = before.headers.get("ETag")!;
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { priceFen: 17_900 } });
    const after = await get(url, { "If-None-Match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("ETag")).not.toBe(etag);
    expect(await after.text()).toContain("179.00");
    // The shop home lists the new price too; the trace page does not show prices and keeps its tag.
    expect(
      (
        await get(`http://localhost/t/${traceCode}`, {
          "If-None-Match": (await get(`http://localhost/t/${traceCode}`)).headers.get("ETag")!,
        })
      ).status,
    ).toBe(304);
  });

  it("tells the browser's developer tools what the page cost the database", async () => {
    const response = await get(`http://localhost/s/${SHOP_A}/p/peach-box`);
    expect(response.headers.get("Server-Timing")).toMatch(/^sql;dur=[\d.]+;desc="\d+ statements"$/);
  });

  it("an anonymous page carries no CSRF token and the header shows an empty cart", async () => {
    const html = await (await get(`http://localhost/s/${SHOP_A}/p/peach-box`)).text();
    expect(html).toContain('name="csrf" value=""');
    expect(html).toContain("购物车 (0)");
  });

  it("sitemap.xml and robots.txt are shareable for everyone, with ETag and 304", async () => {
    for (const url of [
      "http://localhost/sitemap.xml",
      `http://${SHOP_A}.localhost/sitemap.xml`,
      "http://localhost/robots.txt",
    ]) {
      const first = await get(url);
      expect(first.status).toBe(200);
      expectPublic(first);
      const revalidated = await get(url, { "If-None-Match": first.headers.get("ETag")! });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe("");
    }
  });
});

describe("a browser that acts for someone gets private pages", () => {
  it("with a cart cookie: private, no-store, and the page shows that buyer's cart", async () => {
    const cart = await guestWithCart();
    const anonymous = await get(`http://localhost/s/${SHOP_A}/p/peach-box`);
    const etag = anonymous.headers.get("ETag")!;
    for (const page of pages()) {
      const response = await get(page.url, { Cookie: cart, "If-None-Match": etag });
      expect(response.status, page.name).toBe(200);
      expectPrivate(response);
      expect(response.headers.get("Vary")).toContain("Cookie");
    }
    const response = await get(`http://localhost/s/${SHOP_A}/p/peach-box`, { Cookie: cart });
    const html = await response.text();
    expect(html).toContain("购物车 (1)");
    // It now gets a CSRF token of its own, in a cookie set on this private page.
    const csrf = /csrf=([^;]+)/.exec(response.headers.get("Set-Cookie") ?? "")?.[1];
    expect(csrf).toBeTruthy();
    expect(html).not.toContain('name="csrf" value=""');
    const data = await (await get(`http://localhost/_root.data`, { Cookie: cart })).text();
    expect(data).toMatch(/"cartCount",1\b/);
  });

  it("with a session: private, no-store, and never another buyer's cart", async () => {
    const user = await createUser();
    const session = await signedIn(user.id);
    const response = await get(`http://localhost/s/${SHOP_A}/p/peach-box`, { Cookie: session.cookie });
    expectPrivate(response);
    const html = await response.text();
    expect(html).toContain("购物车 (0)");
    expect(html).toContain(`name="csrf" value="${session.csrf}"`);
  });

  it("a response that sets a cookie (?lng=en) is never shareable", async () => {
    const response = await get("http://localhost/?lng=en");
    expect(response.status).toBe(200);
    expect(response.headers.get("Set-Cookie")).toMatch(/^lng=/);
    expectPrivate(response);
  });

  it("a language cookie alone keeps pages shareable, varied by Cookie", async () => {
    const response = await get("http://localhost/", { Cookie: "lng=ImVuIg%3D%3D" });
    expectPublic(response);
    expect(await response.text()).toContain('lang="en"');
  });

  it("errors, pages that are not public, and the cart are private", async () => {
    expectPrivate(await get(`http://localhost/s/${SHOP_A}/p/no-such-product`));
    expectPrivate(await get("http://localhost/login"));
    expectPrivate(await get("http://localhost/cart"));
    expectPrivate(await get(`http://localhost/s/${SHOP_A}/p/no-such-product.data`));
  });
});

describe("forms on shareable pages", () => {
  const post = (headers: Record<string, string>) =>
    app(
      new Request("http://localhost/cart/add", {
        method: "POST",
        body: new URLSearchParams({ variantId, quantity: "1", csrf: "" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      }),
    );

  it("are accepted without a token when the browser vouches for the origin", async () => {
    expect((await post({ Origin: "http://localhost" })).status).toBe(302);
    expect((await post({ "Sec-Fetch-Site": "same-origin" })).status).toBe(302);
  });

  it("are refused from another site, another shop's host, or with no proof at all", async () => {
    expect((await post({ Origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ Origin: "http://localhost", "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post({ Origin: `http://${SHOP_A}.localhost`, "Sec-Fetch-Site": "same-site" })).status).toBe(403);
    expect((await post({ Origin: "null" })).status).toBe(403);
    expect((await post({})).status).toBe(403);
  });
});
