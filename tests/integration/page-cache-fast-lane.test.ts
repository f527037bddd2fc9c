import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { PAGE_CACHE_HEADER } from "~/modules/caching/compression.server";
import type { SharedPageCache } from "~/modules/caching/shared-page-cache.server";
import { startCachedApp, type CachedApp } from "../support/cached-app";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops } from "./cart-fixtures";

// The page cache's fast lane (docs/decisions/038-cache-hits-before-express.md): a hit answered
// from node:http before Express must be the answer the Express path gives (status, headers but
// the per-request id and date, bytes), and a request that carries a cookie or a session never
// takes it.

let app: CachedApp & { cache: SharedPageCache };
let variantId: string;
const PRODUCT = `/s/${SHOP_A}/p/peach-box`;
const BROWSER = { "accept-encoding": "gzip, deflate, br", "accept-language": "zh-CN,zh;q=0.9" };

beforeAll(async () => {
  const f = await twoShops();
  variantId = f.a.p6.id;
  await startApp();
  const started = await startCachedApp({ withSecurityHeaders: true });
  app = { ...started, cache: started.cache! };
});

afterAll(async () => {
  await app?.close();
  await stopApp();
});

interface Raw {
  status: number;
  /** [name, value] in the order sent, names lower-cased. */
  headers: [string, string][];
  body: Buffer;
}

/** The answer as sent on the wire (no decompression, header order kept). */
function raw(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  const url = new URL(app.base + path);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { ...BROWSER, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const header = (answer: Raw, name: string) => answer.headers.find(([n]) => n === name)?.[1];
/** What must be the same for two requests: all but the request id and the date, as a set of pairs. */
const comparable = (answer: Raw) =>
  answer.headers.filter(([name]) => name !== "x-request-id" && name !== "date").sort(([a], [b]) => a.localeCompare(b));

/** Each answer with whether the fast lane gave it. */
async function take(path: string, headers: Record<string, string> = {}, method = "GET") {
  const before = app.cache.fastLane.answered;
  const answer = await raw(path, headers, method);
  return { ...answer, fast: app.cache.fastLane.answered > before };
}

describe("the page cache's fast lane", () => {
  it("answers a repeated hit with the Express path's status, headers and bytes", async () => {
    const miss = await take(PRODUCT);
    expect(miss.fast).toBe(false);
    expect(header(miss, PAGE_CACHE_HEADER.toLowerCase())).toBe("miss");
    const viaExpress = await take(PRODUCT);
    expect(viaExpress.fast).toBe(false);
    expect(header(viaExpress, PAGE_CACHE_HEADER.toLowerCase()), "second").toBe("hit");
    const rendersBefore = app.renders();
    const viaLane = await take(PRODUCT, { "x-request-id": "from-the-client" });
    expect(viaLane.fast, "third").toBe(true);
    expect(app.renders()).toBe(rendersBefore);
    expect(viaLane.status).toBe(viaExpress.status);
    expect(comparable(viaLane)).toEqual(comparable(viaExpress));
    expect(viaLane.body.equals(viaExpress.body)).toBe(true);
    // The per-request headers are still there, and the client's request id is kept.
    expect(header(viaLane, "x-request-id")).toBe("from-the-client");
    expect(header(viaLane, "date")).toBeTruthy();
    // The security headers, the encoding and the cache's own rules ride along.
    expect(header(viaLane, "content-encoding")).toBe("br");
    expect(header(viaLane, "x-frame-options")).toBe("DENY");
    expect(header(viaLane, "vary")).toBe("Cookie, Accept-Language, Accept-Encoding");
    // A new id per request when the client sends none.
    const another = await take(PRODUCT);
    expect(another.fast).toBe(true);
    expect(header(another, "x-request-id")).not.toBe(header(viaExpress, "x-request-id"));
  });

  it("answers a 304 and a HEAD as the Express path does", async () => {
    await take(PRODUCT);
    const etag = header(await take(PRODUCT), "etag")!;
    expect(etag).toBeTruthy();
    const conditional = { "if-none-match": etag };
    const viaExpress = await take(PRODUCT, conditional);
    const viaLane = await take(PRODUCT, conditional);
    expect([viaExpress.fast, viaLane.fast]).toEqual([false, true]);
    expect(viaLane.status).toBe(304);
    expect(comparable(viaLane)).toEqual(comparable(viaExpress));
    expect(viaLane.body.byteLength).toBe(0);
    // Another copy's ETag gets the page, not a 304.
    const stale = await take(PRODUCT, { "if-none-match": 'W/"another"' });
    expect(stale.fast).toBe(true);
    expect(stale.status).toBe(200);

    const headExpress = await take(PRODUCT, {}, "HEAD");
    const headLane = await take(PRODUCT, {}, "HEAD");
    expect([headExpress.fast, headLane.fast]).toEqual([false, true]);
    expect(comparable(headLane)).toEqual(comparable(headExpress));
    expect(headLane.body.byteLength).toBe(0);
  });

  it("never takes a request with a cookie, a session or an Authorization", async () => {
    await take(PRODUCT);
    expect((await take(PRODUCT)).fast).toBe(true);
    const response = await fetch(`${app.base}/cart/add`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ variantId, quantity: "1", redirectTo: PRODUCT }),
      headers: { Origin: app.base, "Sec-Fetch-Site": "same-origin" },
    });
    const cart = (response.headers.get("Set-Cookie") ?? "").split(";")[0]!;
    expect(cart).toMatch(/^cart=/);
    for (const headers of [
      { cookie: cart } as Record<string, string>,
      { cookie: "theme=dark" },
      { authorization: "Bearer token" },
      { origin: app.base },
    ]) {
      const answer = await take(PRODUCT, headers);
      expect(answer.fast, JSON.stringify(headers)).toBe(false);
    }
    // The cart's page is its own: one line in the cart, never the anonymous page.
    const withCart = await fetch(app.base + PRODUCT, { headers: { cookie: cart } });
    expect(await withCart.text()).toContain("购物车 (1)");
  });

  it("lets a changed page go the Express way (rendered again), then answers the new one", async () => {
    await take(PRODUCT);
    expect((await take(PRODUCT)).fast).toBe(true);
    await unscopedDb().variant.updateMany({ where: { id: variantId }, data: { priceFen: 18_700 } });
    await app.cache.listener.sync();
    const plain = { "accept-encoding": "identity" };
    const changed = await take(PRODUCT);
    expect(changed.fast).toBe(false);
    expect(header(changed, PAGE_CACHE_HEADER.toLowerCase())).toBe("miss");
    await take(PRODUCT, plain);
    expect((await take(PRODUCT, plain)).fast).toBe(false);
    const lane = await take(PRODUCT, plain);
    expect(lane.fast).toBe(true);
    expect(lane.body.toString("utf8")).toContain("187.00");
  });
});
