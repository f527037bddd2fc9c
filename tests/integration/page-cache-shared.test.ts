import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connection, unscopedDb } from "~/db/index.server";
import { languageCookie } from "~/lib/i18n.server";
import { PAGE_CACHE_HEADER } from "~/modules/caching/compression.server";
import { ServerListener } from "~/modules/caching/page-changes.server";
import type { SharedPageCache } from "~/modules/caching/shared-page-cache.server";
import { startCachedApp, type CachedApp } from "../support/cached-app";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";

// The shared page cache (docs/decisions/019-shared-page-cache.md) in front of the whole app,
// as server.ts mounts it: two "processes" (two caches, each with its own LISTEN connection)
// serve the same database. Whatever one visitor's private page holds never reaches another;
// a committed change reaches both caches through PostgreSQL's NOTIFY; without the bus the
// pages are rendered; concurrent misses render once.

/** One "process": the app behind a cache of its own (always present here). */
type Instance = CachedApp & { cache: SharedPageCache };

async function startInstance(cacheBytes?: number): Promise<Instance> {
  const instance = await startCachedApp({ cacheBytes });
  return { ...instance, cache: instance.cache! };
}

let one: Instance;
let two: Instance;
let variantId: string;
const PRODUCT = `/s/${SHOP_A}/p/peach-box`;

beforeAll(async () => {
  const f = await twoShops();
  variantId = f.a.p6.id;
  await startApp();
  one = await startInstance();
  two = await startInstance();
});

afterAll(async () => {
  await one?.close();
  await two?.close();
  await stopApp();
});

const get = (instance: Instance, path: string, headers: Record<string, string> = {}) =>
  fetch(instance.base + path, { headers: { "accept-encoding": "br, gzip", ...headers } });

async function page(instance: Instance, path: string, headers: Record<string, string> = {}) {
  const response = await get(instance, path, headers);
  return { response, cache: response.headers.get(PAGE_CACHE_HEADER), html: await response.text() };
}

async function guestWithCart(instance: Instance) {
  const response = await fetch(`${instance.base}/cart/add`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ variantId, quantity: "1", redirectTo: PRODUCT }),
    headers: { Origin: instance.base, "Sec-Fetch-Site": "same-origin" },
  });
  expect(response.status).toBe(302);
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0]!;
}

/** Until both caches have heard every change committed so far (the NOTIFY path, not a clock). */
const heard = () => Promise.all([one.cache.listener.sync(), two.cache.listener.sync()]);

describe("the shared page cache", () => {
  it("answers an anonymous visitor from memory, compressed once, with a 304 for a copy it already has", async () => {
    const first = await page(one, PRODUCT);
    expect(first.response.status).toBe(200);
    expect(first.cache).toBe("miss");
    const rendersBefore = one.renders();
    const again = await page(one, PRODUCT);
    expect(again.cache).toBe("hit");
    expect(one.renders()).toBe(rendersBefore);
    expect(again.response.headers.get("Content-Encoding")).toBe("br");
    expect(again.response.headers.get("Vary")).toBe("Cookie, Accept-Language, Accept-Encoding");
    expect(again.response.headers.get("Cache-Control")).toMatch(/^public, max-age=60/);
    // Decoded once, it is the page (nothing was compressed twice).
    expect(again.html).toMatch(/^<!DOCTYPE html>/);
    expect(again.html).toContain("购物车 (0)");
    expect(again.response.headers.get("Content-Security-Policy")).toContain(
      /nonce="([^"]+)"/.exec(again.html)?.[1] ?? "no nonce",
    );

    const etag = again.response.headers.get("ETag")!;
    const revalidated = await get(one, PRODUCT, { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get(PAGE_CACHE_HEADER)).toBe("hit");
    expect(await revalidated.text()).toBe("");
    expect(one.renders()).toBe(rendersBefore);

    // Each encoding is its own entry: a browser without Brotli gets gzip, one with neither plain bytes.
    const gzip = await page(one, PRODUCT, { "accept-encoding": "gzip" });
    expect(gzip.response.headers.get("Content-Encoding")).toBe("gzip");
    const plain = await page(one, PRODUCT, { "accept-encoding": "identity" });
    expect(plain.response.headers.get("Content-Encoding")).toBeNull();
    expect(await page(one, PRODUCT, { "accept-encoding": "identity" }).then((p) => p.cache)).toBe("hit");
  });

  it("never gives a cart's page to an anonymous visitor, nor an anonymous page to a cart", async () => {
    const shopHome = `/s/${SHOP_B}`;
    const cart = await guestWithCart(one);
    // The cart comes first: rendered for it, private, never stored.
    const carts = await page(one, PRODUCT, { cookie: cart });
    expect(carts.cache).toBe("bypass");
    expect(carts.response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(carts.html).toContain("购物车 (1)");
    const ownHome = await page(one, shopHome, { cookie: cart });
    expect(ownHome.cache).toBe("bypass");
    // Anonymous visitors after it get the anonymous page.
    const anonymous = await page(one, shopHome);
    expect(anonymous.cache).toBe("miss");
    expect(anonymous.html).toContain("购物车 (0)");
    expect(anonymous.html).not.toContain("购物车 (1)");
    expect((await page(one, shopHome)).cache).toBe("hit");
    // And the cart after them still gets its own page, with its own count and CSRF token.
    const later = await page(one, shopHome, { cookie: cart });
    // Made from the template of its own first render of this page (decision 033).
    expect(later.cache).toBe("private");
    expect(later.html).toContain("购物车 (1)");
    expect(later.html).not.toContain('name="csrf" value=""');
    expect(later.response.headers.get("Cache-Control")).toBe("private, no-store");
    // A language cookie alone keeps pages shared; the language is part of the key.
    const lng = (await languageCookie.serialize("en")).split(";")[0]!;
    const english = await page(one, shopHome, { cookie: lng });
    expect(english.cache).toBe("miss");
    expect(english.html).toContain("Cart (0)");
    const again = await page(one, shopHome, { cookie: lng });
    expect(again.cache).toBe("hit");
    expect(again.html).toContain("Cart (0)");
    expect((await page(one, shopHome)).html).toContain("购物车 (0)");
  });

  it("shows a committed price change on both processes (PostgreSQL NOTIFY), not the cached price", async () => {
    for (const instance of [one, two]) {
      await page(instance, PRODUCT);
      await page(instance, "/");
      expect((await page(instance, PRODUCT)).cache).toBe("hit");
    }
    const before = (await page(two, PRODUCT)).html;
    expect(before).not.toContain("181.00");
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { priceFen: 18_100 } });
    await heard();
    for (const instance of [one, two]) {
      const product = await page(instance, PRODUCT);
      expect(product.cache).toBe("miss");
      expect(product.html).toContain("181.00");
      // The marketplace-wide pages went too.
      expect((await page(instance, "/")).cache).toBe("miss");
      expect((await page(instance, PRODUCT)).cache).toBe("hit");
    }
    // Another shop's change leaves this shop's pages, and a sale that does not change what
    // the page shows (stock 100 → 99: still "in stock") leaves every page.
    await unscopedDb().variant.updateMany({ where: { shop: { slug: SHOP_B } }, data: { titleEn: "Box (B)" } });
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { stock: 100 } });
    await heard();
    await page(one, PRODUCT);
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { stock: { decrement: 1 } } });
    await heard();
    expect((await page(one, PRODUCT)).cache).toBe("hit");
    // Down to the last few: the page says how many, so it goes.
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { stock: 3 } });
    await heard();
    expect((await page(one, PRODUCT)).cache).toBe("miss");
  });

  it("renders one page for many requests waiting on the same miss", async () => {
    // A listing nobody asked for yet (a search with words is counted per view, so never kept: 026).
    const path = "/search?kind=produce";
    const rendersBefore = two.renders();
    const answers = await Promise.all(Array.from({ length: 12 }, () => page(two, path)));
    expect(two.renders() - rendersBefore).toBe(1);
    expect(answers.map((a) => a.response.status)).toEqual(answers.map(() => 200));
    expect(answers.filter((a) => a.cache === "miss")).toHaveLength(1);
    const html = answers[0]!.html.replaceAll(/nonce="[^"]*"/g, "");
    for (const answer of answers) expect(answer.html.replaceAll(/nonce="[^"]*"/g, "")).toBe(html);
  });

  it("does not keep a page whose every view counts (a trace scan)", async () => {
    const batch = await unscopedDb().batch.findFirstOrThrow({
      where: { shop: { slug: SHOP_A } },
      select: { id: true, traceCode: true },
    });
    const scans = async () =>
      (await unscopedDb().batchScanDaily.findMany({ where: { batchId: batch.id } })).reduce((n, r) => n + r.scans, 0);
    const before = await scans();
    // A crawler's view first (not a scan), then people's.
    await page(one, `/t/${batch.traceCode}`);
    const browser = { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0" };
    for (let i = 0; i < 3; i++) {
      const trace = await page(one, `/t/${batch.traceCode}`, browser);
      expect(trace.response.status).toBe(200);
      expect(trace.cache).toBe("miss");
      expect(trace.response.headers.get("Cache-Control")).toMatch(/^public/);
    }
    expect((await scans()) - before).toBe(3);
  });

  it("keeps pages, not images, nor an API client's answers", async () => {
    const html = (await page(one, PRODUCT)).html;
    const image = /\/media\/[^"\s,]+\.webp/.exec(html)?.[0];
    expect(image).toBeTruthy();
    for (let i = 0; i < 2; i++) {
      const response = await get(one, image!);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toMatch(/^public/);
      expect(response.headers.get(PAGE_CACHE_HEADER)).toBe("miss");
      await response.arrayBuffer();
    }
    expect((await page(one, PRODUCT, { authorization: "Bearer someone" })).cache).toBe("bypass");
  });

  it("keeps within its byte bound", async () => {
    const small = await startInstance(120_000);
    try {
      for (const path of ["/", PRODUCT, `/s/${SHOP_A}`, `/s/${SHOP_B}`, `/s/${SHOP_B}/p/peach-box`]) {
        await page(small, path, { "accept-encoding": "identity" });
        expect(small.cache.store.bytes).toBeLessThanOrEqual(120_000);
      }
      expect(small.cache.store.size).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });

  it("renders every page while the change notifications are down, and starts empty when they are back", async () => {
    const listener = one.cache.listener;
    if (connection().kind !== "server" || !(listener instanceof ServerListener)) return; // embedded: nothing to lose
    await page(one, PRODUCT);
    expect((await page(one, PRODUCT)).cache).toBe("hit");
    await unscopedDb().$queryRawUnsafe(`SELECT pg_terminate_backend(${listener.backendPid})`);
    await until(() => !listener.online);
    // A change nobody hears about is still shown: every page is rendered.
    await unscopedDb().$executeRawUnsafe(`ALTER TABLE "Variant" DISABLE TRIGGER "Variant_page_changes_updated"`);
    try {
      await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { priceFen: 18_300 } });
    } finally {
      await unscopedDb().$executeRawUnsafe(`ALTER TABLE "Variant" ENABLE TRIGGER "Variant_page_changes_updated"`);
    }
    const rendersBefore = one.renders();
    for (let i = 0; i < 2; i++) {
      const down = await page(one, PRODUCT);
      expect(down.cache).toBe("bypass");
      expect(down.html).toContain("183.00");
    }
    expect(one.renders() - rendersBefore).toBe(2);
    await until(() => listener.online);
    const back = await page(one, PRODUCT);
    expect(back.cache).toBe("miss");
    expect(back.html).toContain("183.00");
    expect((await page(one, PRODUCT)).cache).toBe("hit");
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
