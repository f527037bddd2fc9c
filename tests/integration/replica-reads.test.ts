import http from "node:http";
import net from "node:net";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { connect } from "~/db/connection.server";
import { db, readDb, unscopedDb, unscopedReadDb } from "~/db/index.server";
import {
  closeReplica,
  isUnreachable,
  lastWriteCookie,
  replica,
  replicaHealth,
  requestMayReadReplica,
} from "~/db/replica.server";
import { resetEnv } from "~/env.server";
import type { Prisma } from "~/generated/prisma/client";
import { requestContext } from "~/lib/request-context.server";
import { PAGE_CACHE_HEADER } from "~/modules/caching/compression.server";
import { publicCacheControl } from "~/modules/caching/page-cache";
import { PageStore } from "~/modules/caching/page-store.server";
import { settlePageCaching } from "~/modules/caching/page-cache.server";
import { pageCacheMiddleware, replicaReadFacts } from "~/modules/caching/shared-page-cache.server";
import { liveCounties } from "~/modules/catalog/marketplace.cross-shop.server";
import type { ShopHomeData } from "~/modules/catalog/shop-home.server";
import { cartCookie, sessionCookie } from "~/modules/identity/cookies.server";
import * as platformHome from "~/routes/_index";
import * as shopHomePage from "~/routes/s.$shop._index";
import * as productPage from "~/routes/s.$shop.p.$product";
import { loadDashboard, rebuildSalesRollups } from "~/modules/reports/dashboard.cross-shop.server";
import { parseReportFilters, type ReportFilters } from "~/modules/reports/filters";
import { orderReportDatabaseCsv } from "~/modules/reports/orders-csv.cross-shop.server";
import { orderReportPage, orderReportRows } from "~/modules/reports/orders-report.cross-shop.server";
import { parseRange, type DashboardRange } from "~/modules/reports/range";
import { parseSalesFilters, type SalesFilters } from "~/modules/reports/sales-filters";
import { salesPage, salesRows, salesTotals } from "~/modules/reports/sales.cross-shop.server";
import { noResultSuggestions, searchProducts } from "~/modules/catalog/search.cross-shop.server";
import { indexShopProducts, type Client } from "~/modules/search/index.server";
import { flushSearchLog, logSearch, loggedQuery, weekStartOf } from "~/modules/search/query-log.server";
import { suggest } from "~/modules/search/suggest.cross-shop.server";
import { liveShopsForSitemap } from "~/modules/seo/sitemap.cross-shop.server";
import { newTraceCode } from "~/modules/trace/trace-code.server";
import { getPublicTrace } from "~/modules/trace/trace-page.cross-shop.server";
import { recordTraceScan } from "~/modules/trace/trace-scans.cross-shop.server";
import { adminQuery, serverUrl, uniqueName, withDatabase } from "../support/database";
import { SHOP_A, twoShops } from "./cart-fixtures";
import { createShopWithProduct } from "./media-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Reads that tolerate lag go to DATABASE_REPLICA_URL (docs/decisions/024-stateless-nodes.md). The
// "replica" here is a second database cloned from the migrated template: it holds none of this
// file's rows, so which database answered a read is plain to see. Streaming replication itself is
// the drill's (a pg_basebackup replica); this proves the routing.

const template = serverUrl() ? inject("templateDatabase") : null;
if (!template) console.log("replica-reads.test.ts: the routing part needs TEST_DATABASE_URL; running the rules only.");

/** Runs fn as the reads of a request that may (or may not) use the replica. */
function inRequest<T>(mayReadReplica: boolean, fn: () => Promise<T>): Promise<T> {
  return requestContext.run({ requestId: "replica-test", mayReadReplica }, fn);
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function useReplica(url: string | undefined) {
  await closeReplica();
  if (url) process.env.DATABASE_REPLICA_URL = url;
  else delete process.env.DATABASE_REPLICA_URL;
  resetEnv();
}

describe("which requests may read the replica", () => {
  it("is a GET or HEAD whose visitor has not written in the last READ_YOUR_WRITES_SECONDS", () => {
    const now = 1_800_000_000_000;
    expect(requestMayReadReplica({ method: "GET", cookieHeader: undefined, now, readYourWritesSeconds: 5 })).toBe(true);
    expect(requestMayReadReplica({ method: "HEAD", cookieHeader: "lng=en", now, readYourWritesSeconds: 5 })).toBe(true);
    expect(requestMayReadReplica({ method: "POST", cookieHeader: undefined, now, readYourWritesSeconds: 5 })).toBe(
      false,
    );
    // The cookie a write sets keeps the visitor on the primary for the next few seconds only.
    const wrote = lastWriteCookie(now, 5).split(";")[0]!;
    expect(lastWriteCookie(now, 5)).toMatch(/Max-Age=5; HttpOnly; SameSite=Lax$/);
    expect(lastWriteCookie(now, 5, true)).toMatch(/SameSite=Lax; Secure$/);
    const at = (ms: number) =>
      requestMayReadReplica({
        method: "GET",
        cookieHeader: `lng=en; ${wrote}`,
        now: now + ms,
        readYourWritesSeconds: 5,
      });
    expect(at(0)).toBe(false);
    expect(at(4_999)).toBe(false);
    expect(at(5_000)).toBe(true);
    // A cookie from the far future (a forged one) does not pin anyone to the primary.
    expect(
      requestMayReadReplica({ method: "GET", cookieHeader: `lw=${now + 3_600_000}`, now, readYourWritesSeconds: 5 }),
    ).toBe(true);
  });

  it("needs a replica that answers with a lag under the threshold", async () => {
    let lag = 0;
    let down = false;
    const health = replicaHealth({
      maxLagSeconds: 5,
      probe: async () => {
        if (down) throw new Error("connection refused");
        return lag;
      },
    });
    expect(await health.refresh()).toBe(true);
    lag = 30;
    expect(await health.refresh()).toBe(false);
    lag = 0.2;
    expect(await health.refresh()).toBe(true);
    down = true;
    expect(await health.refresh()).toBe(false);
    const slow = replicaHealth({ maxLagSeconds: 5, timeoutMs: 50, probe: () => new Promise(() => undefined) });
    expect(await slow.refresh()).toBe(false);
  });
});

describe.runIf(template)("reads routed to DATABASE_REPLICA_URL", () => {
  const replicaName = uniqueName("test_replica");
  let replicaUrl: string;
  let slug: string;
  /** A word only this file's product has in its title. */
  let word: string;
  let traceCode: string;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${replicaName}" TEMPLATE "${template}"`);
    replicaUrl = withDatabase(serverUrl()!, replicaName);
    const { shop, product } = await createShopWithProduct(
      uniqueName("rep").replace(/_/g, "").slice(0, 30).toLowerCase(),
    );
    await db().shop.update({ where: { id: shop.id }, data: { status: "LIVE" } });
    word = `replica${shop.id.slice(-8)}`;
    await db().product.update({
      where: { shopId_id: { shopId: shop.id, id: product.id } },
      data: { status: "ACTIVE", titleEn: `${word} peach` },
    });
    await db().variant.create({
      data: {
        shopId: shop.id,
        productId: product.id,
        sku: "box",
        titleZh: "一箱",
        unit: "箱",
        priceFen: 3900,
        stock: 5,
      },
    });
    // Its search words, for the suggestions and the nearest matches (search falls back to titles without).
    await indexShopProducts(unscopedDb() as unknown as Client, { shopId: shop.id });
    traceCode = newTraceCode();
    const batch = await db().batch.create({
      data: {
        shopId: shop.id,
        traceCode,
        productNameZh: "水蜜桃",
        harvestDate: new Date("2026-07-01"),
        originPlotZh: "华西村三组",
        quantity: 100,
        quantityUnit: "斤",
        certProducer: "合作社",
        certContactPhone: "0510-1234567",
        certOrigin: "江阴市",
        certIssuedOn: new Date("2026-07-02"),
        certCommitments: [],
      },
    });
    await unscopedDb().traceCode.create({ data: { code: traceCode, shopId: shop.id, batchId: batch.id } });
    slug = shop.slug;
  });

  afterEach(() => useReplica(undefined));

  afterAll(async () => {
    await useReplica(undefined);
    await adminQuery(`DROP DATABASE IF EXISTS "${replicaName}" WITH (FORCE)`);
  });

  const sitemapSlugs = async () => (await liveShopsForSitemap()).map((s) => s.slug);
  // What each wired area finds of this file's rows (none on the "replica").
  const searchFinds = async () =>
    (await searchProducts({ q: word, sort: "relevance", page: 1, lng: "en" })).results.filter(
      (card) => card.shop.slug === slug,
    ).length;
  const nearestFinds = async () =>
    (await noResultSuggestions({ q: word, lng: "en" })).nearest.filter((card) => card.shop.slug === slug).length;
  const suggestFinds = async () => (await suggest(slug, "en")).shops.filter((s) => s.href === `/s/${slug}`).length;
  const countyListed = async () => (await liveCounties("en")).some((c) => c.slug === "jiangyin");
  const traceFound = async () => (await getPublicTrace({ traceCode, lng: "en", hostShopId: null })) !== null;
  /** Every wired read, as [name, found this file's rows]. */
  const wiredReads = async () => ({
    sitemap: (await sitemapSlugs()).includes(slug),
    search: (await searchFinds()) > 0,
    suggest: (await suggestFinds()) > 0,
    searchCounties: await countyListed(),
    trace: await traceFound(),
  });
  const allFound = { sitemap: true, search: true, suggest: true, searchCounties: true, trace: true };
  const noneFound = { sitemap: false, search: false, suggest: false, searchCounties: false, trace: false };

  it("changes nothing without the variable", async () => {
    await useReplica(undefined);
    expect(replica()).toBeNull();
    await inRequest(true, async () => {
      expect(readDb()).toBe(db());
      expect(unscopedReadDb()).toBe(unscopedDb());
      expect(await wiredReads()).toEqual(allFound);
    });
  });

  it("sends a request's lag-tolerant reads to the replica, and everything else to the primary", async () => {
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    await inRequest(true, async () => {
      expect(await wiredReads()).toEqual(noneFound); // the replica answered each of them
      expect(await readDb().shop.count({ where: { slug } })).toBe(0);
      expect(await db().shop.count({ where: { slug } })).toBe(1); // db() is always the primary
    });
    // A visitor who just wrote, and work outside any request (jobs, scripts), read the primary.
    await inRequest(false, async () => expect(await wiredReads()).toEqual(allFound));
    expect(await wiredReads()).toEqual(allFound);
  });

  it("keeps no page read from the replica in the shared page cache", async () => {
    // The replica may not have replayed a change whose notification just emptied the cache: a
    // page rendered from it could be kept stale until its max-age.
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    const listener = { online: true, sync: async () => undefined, close: async () => undefined };
    const app = express();
    let mayReadReplica = true;
    app.use((_req, _res, next) => requestContext.run({ requestId: "cache-test", mayReadReplica }, next));
    app.use(pageCacheMiddleware(new PageStore(1024 * 1024), listener));
    app.get("/shops.json", (_req, res, next) => {
      sitemapSlugs()
        .then((slugs) => res.set("Cache-Control", publicCacheControl()).json(slugs))
        .catch(next);
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/shops.json`;
    const cacheOf = async () => {
      const response = await fetch(url);
      await response.text();
      return response.headers.get(PAGE_CACHE_HEADER);
    };
    try {
      expect([await cacheOf(), await cacheOf()]).toEqual(["miss", "miss"]);
      mayReadReplica = false; // read from the primary: kept as before
      expect([await cacheOf(), await cacheOf()]).toEqual(["miss", "hit"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("finds the nearest products on the replica for a search that found nothing there", async () => {
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    expect(await inRequest(true, nearestFinds)).toBe(0);
    expect(await inRequest(false, nearestFinds)).toBe(1);
  });

  it("counts a search on the primary while its results come from the replica", async () => {
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    const q = `${word} logged`;
    const where = { weekStart: new Date(`${weekStartOf()}T00:00:00Z`), query: loggedQuery(q) };
    await inRequest(true, async () => {
      const results = await searchProducts({ q, sort: "relevance", page: 1, lng: "en" });
      await logSearch({ q, results: results.total, request: new Request("http://localhost/search") });
    });
    await flushSearchLog(); // counts are written in batches (decision 035)
    expect(await db().searchQueryWeek.findMany({ where })).toMatchObject([{ searches: 1 }]);
    expect(await replica()!.connection.prisma.searchQueryWeek.count({ where })).toBe(0);
  });

  it("counts a trace scan on the primary while the page's record comes from the replica", async () => {
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    const { loader } = await import("~/routes/t.$code");
    const request = new Request(`http://localhost/t/${traceCode}`, {
      headers: {
        "user-agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
      },
    });
    const scans = async () =>
      (await unscopedDb().batchScanDaily.findMany({ where: { batch: { traceCode } } })).map((s) => s.scans);
    await inRequest(true, () => recordTraceScan(traceCode, request));
    expect(await scans()).toEqual([1]);
    // The record is read from the replica, which lacks it (the lag a code printed a second ago
    // may meet); a visitor who just wrote reads the primary and is counted there.
    await expect(
      inRequest(true, () => loader({ request, params: { code: traceCode }, context: {} })),
    ).rejects.toMatchObject({ status: 404 });
    const page = await inRequest(false, () => loader({ request, params: { code: traceCode }, context: {} }));
    expect(page.trace.batch.traceCode).toBe(traceCode);
    expect(await scans()).toEqual([2]);
  });

  it("falls back to the primary, without an error, when the replica is down", async () => {
    await useReplica(withDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}`, "postgres"));
    expect(await replica()!.health.refresh()).toBe(false);
    await inRequest(true, async () => {
      expect(await wiredReads()).toEqual(allFound);
      expect(await readDb().shop.count({ where: { slug } })).toBe(1);
    });
  });

  it("answers from the primary a read sent to a replica that went away since its last probe", async () => {
    // The replica behind a TCP relay of the test's own: closing it is the replica stopping (as the
    // failover drill does) between two probes, with connections open and reads already routed to it.
    const target = new URL(replicaUrl);
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const relayed = new URL(replicaUrl);
    relayed.hostname = "127.0.0.1";
    relayed.port = String((relay.address() as net.AddressInfo).port);
    await useReplica(relayed.toString());
    expect(await replica()!.health.refresh()).toBe(true);
    await inRequest(true, async () => {
      const scoped = readDb();
      const unscoped = unscopedReadDb();
      expect(await scoped.shop.count({ where: { slug } })).toBe(0); // the replica answers
      relay.close();
      for (const socket of sockets) socket.destroy();
      // Model queries and raw SQL alike: the primary answers, no error reaches the page.
      expect(await scoped.shop.count({ where: { slug } })).toBe(1);
      const rows = await unscoped.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM "Shop" WHERE slug = ${slug}`;
      expect(rows[0]!.n).toBe(1);
      // And the next reads skip the replica without waiting for its next probe.
      expect(replica()!.health.usable()).toBe(false);
      expect(await wiredReads()).toEqual(allFound);
    });
  });

  it("tells an unreachable database from a failed query", () => {
    expect(
      isUnreachable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5452"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isUnreachable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isUnreachable(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(true);
    expect(isUnreachable(new Error("Raw query failed. Code: `57P01`. Message: `terminating connection`"))).toBe(true);
    expect(isUnreachable(new Error("wrapped", { cause: new Error("Connection terminated unexpectedly") }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('relation "x" does not exist'), { code: "42P01" }))).toBe(false);
    expect(isUnreachable(new Error("Raw query failed. Code: `23505`. Message: `duplicate key`"))).toBe(false);
  });

  describe("the pages the shared page cache keeps", () => {
    // The shop home, the product page and the platform home (also a shop's home on its own host)
    // read the replica only for a visitor's own render (a session or cart cookie), which the shared
    // page cache never keeps; an anonymous render is kept, so it reads the primary. The "replica"
    // holds a copy of this file's shop and product under other names, so each page tells which
    // database it was rendered from.
    let productSlug: string;
    let cartCookieHeader: string;
    const primaryNames = () => ({ shop: `${slug} Cooperative`, product: `${word} peach` });
    const replicaNames = () => ({ shop: `${slug} Cooperative (replica)`, product: `${word} peach (replica)` });

    beforeAll(async () => {
      const shop = await db().shop.findUniqueOrThrow({ where: { slug } });
      const listed = await db().product.findFirstOrThrow({ where: { shopId: shop.id } });
      // Featured, so that the platform home lists it.
      const product = await db().product.update({
        where: { shopId_id: { shopId: shop.id, id: listed.id } },
        data: { featured: true },
      });
      productSlug = product.slug;
      const variants = await db().variant.findMany({ where: { shopId: shop.id } });
      const county = await unscopedDb().county.findUniqueOrThrow({ where: { id: shop.countyId } });
      const copy = connect({ kind: "server", url: replicaUrl, poolSize: 1 });
      try {
        const { id: _countyId, ...countyFields } = county;
        const replicaCounty = await copy.prisma.county.upsert({
          where: { code: county.code },
          update: {},
          create: countyFields,
        });
        await copy.prisma.shop.create({
          data: { ...shop, countyId: replicaCounty.id, nameEn: replicaNames().shop } as Prisma.ShopUncheckedCreateInput,
        });
        await copy.prisma.product.create({
          data: { ...product, titleEn: replicaNames().product } as Prisma.ProductUncheckedCreateInput,
        });
        await copy.prisma.variant.createMany({ data: variants });
      } finally {
        await copy.close();
      }
      cartCookieHeader = await cartCookie.serialize("replica-test-cart");
    });

    /** What a page shows of this file's shop and product: the names that differ on the "replica". */
    async function shownOn(request: Request): Promise<{ shop: string[]; product: string[] }> {
      const [, s, shop, p, product] = new URL(request.url).pathname.split("/");
      const args = { request, context: {} };
      if (s === "s" && p === "p") {
        const page = await productPage.loader({ ...args, params: { shop, product } });
        return { shop: [page.header.name], product: [page.product.title] };
      }
      const shopHome = (home: ShopHomeData) => ({
        shop: [home.header.name],
        product: home.products.map((card) => card.title),
      });
      if (s === "s") return shopHome(await shopHomePage.loader({ ...args, params: { shop } }));
      const page = await platformHome.loader({ ...args, params: {} });
      if (page.kind === "shop") return shopHome(page.shop);
      return {
        shop: page.counties.flatMap((county) => county.shops.filter((tile) => tile.slug === slug).map((t) => t.name)),
        product: page.featured.filter((card) => card.shop.slug === slug).map((card) => card.product.title),
      };
    }

    /**
     * server.ts's routing facts and the shared page cache in front of the pages' loaders, whose
     * answers get entry.server's caching headers (public only for an anonymous visitor).
     */
    async function storefront() {
      const app = express();
      app.use((req, _res, next) => {
        replicaReadFacts({ method: req.method, cookieHeader: req.headers.cookie }).then(
          (routing) => requestContext.run({ requestId: "page-test", ...routing }, next),
          next,
        );
      });
      const listener = { online: true, sync: async () => undefined, close: async () => undefined };
      app.use(pageCacheMiddleware(new PageStore(1024 * 1024), listener));
      app.get("*", (req, res, next) => {
        const request = new Request(`http://${req.get("host")}${req.originalUrl}`, {
          headers: { cookie: req.get("cookie") ?? "", "accept-language": req.get("accept-language") ?? "" },
        });
        void (async () => {
          const shown = await shownOn(request);
          const headers = new Headers({ "Cache-Control": publicCacheControl() });
          await settlePageCaching(request, 200, headers);
          res.set(Object.fromEntries(headers)).json(shown);
        })().catch(next);
      });
      const server = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      const port = (server.address() as net.AddressInfo).port;
      /** A GET of `path` on `host` (fetch would not send the Host header). */
      const get = (path: string, { host = "localhost", cookie }: { host?: string; cookie?: string } = {}) =>
        new Promise<{ cache: string | null; shown: { shop: string[]; product: string[] } }>((resolve, reject) => {
          const headers: Record<string, string> = { host, "accept-language": "en" };
          if (cookie) headers.cookie = cookie;
          http
            .get({ host: "127.0.0.1", port, path, headers }, (response) => {
              let body = "";
              response.setEncoding("utf8");
              response.on("data", (chunk: string) => (body += chunk));
              response.on("end", () => {
                if (response.statusCode !== 200) return reject(new Error(`${path}: ${response.statusCode} ${body}`));
                const cache = response.headers[PAGE_CACHE_HEADER.toLowerCase()];
                resolve({ cache: typeof cache === "string" ? cache : null, shown: JSON.parse(body) as never });
              });
            })
            .on("error", reject);
        });
      return { get, close: () => new Promise((resolve) => server.close(resolve)) };
    }

    const pages = () => [
      { name: "product page", path: `/s/${slug}/p/${productSlug}` },
      { name: "shop home", path: `/s/${slug}` },
      { name: "platform home", path: "/" },
      { name: "shop home on its own host", path: "/", host: `${slug}.localhost` },
    ];
    const names = ({ shop, product }: { shop: string; product: string }) => ({ shop: [shop], product: [product] });

    it("reads the replica for a visitor with a cart or session cookie", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      const site = await storefront();
      try {
        for (const page of pages()) {
          const visitor = await site.get(page.path, { host: page.host, cookie: cartCookieHeader });
          expect(visitor, page.name).toEqual({ cache: "bypass", shown: names(replicaNames()) });
        }
        const signedIn = await site.get(`/s/${slug}/p/${productSlug}`, {
          cookie: await sessionCookie.serialize("replica-test-session"),
        });
        expect(signedIn.shown).toEqual(names(replicaNames()));
      } finally {
        await site.close();
      }
    });

    it("reads the primary for an anonymous visitor, whose page the shared page cache keeps", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      const site = await storefront();
      try {
        for (const page of pages()) {
          const first = await site.get(page.path, { host: page.host });
          const second = await site.get(page.path, { host: page.host });
          expect([first, second], page.name).toEqual([
            { cache: "miss", shown: names(primaryNames()) },
            { cache: "hit", shown: names(primaryNames()) },
          ]);
        }
      } finally {
        await site.close();
      }
    });

    it("reads the primary for a visitor who just wrote", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      const site = await storefront();
      try {
        const wrote = lastWriteCookie().split(";")[0]!;
        for (const page of pages()) {
          const visitor = await site.get(page.path, { host: page.host, cookie: `${cartCookieHeader}; ${wrote}` });
          expect(visitor, page.name).toEqual({ cache: "bypass", shown: names(primaryNames()) });
        }
      } finally {
        await site.close();
      }
    });
  });

  describe("the county dashboard and the exports", () => {
    let countyId: string;
    let range: DashboardRange;
    let filters: ReportFilters;
    let salesFilters: SalesFilters;
    const search = new URLSearchParams({ from: "2026-11-01", to: "2026-11-30" });

    beforeAll(async () => {
      const f = await twoShops();
      await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 2 }] });
      const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A } });
      countyId = shop.countyId;
      await unscopedDb().shopOrder.updateMany({
        where: { shopId: shop.id },
        data: { paidAt: new Date("2026-11-20T02:00:00Z") },
      });
      await rebuildSalesRollups();
      const parsedRange = parseRange(search);
      const parsedFilters = parseReportFilters(search);
      const parsedSales = parseSalesFilters(search);
      if (!parsedRange.ok || !parsedFilters.ok || !parsedSales.ok) throw new Error("bad test range");
      salesFilters = parsedSales.filters;
      range = parsedRange.range;
      filters = parsedFilters.filters;
    });

    const dashboardOrders = async () => (await loadDashboard(countyId, range)).current.orders;
    /** The export readers are made inside the request and read after it (as a streamed file is). */
    const exported = async (mayReadReplica: boolean) => {
      const { rows, csv, sales } = await inRequest(mayReadReplica, async () => ({
        rows: orderReportRows({ countyId }, filters),
        csv: orderReportDatabaseCsv({ countyId }, filters, "zh-CN")!,
        sales: salesRows({ countyId }, salesFilters),
      }));
      let orderRows = 0;
      for await (const _row of rows) orderRows++;
      let csvBytes = 0;
      for await (const chunk of csv.chunks) csvBytes += chunk.length;
      let salesRowCount = 0;
      for await (const _row of sales) salesRowCount++;
      return { orderRows, csvRows: csv.rowCount(), csvBytes: csvBytes > 0, salesRows: salesRowCount };
    };

    it("reads the dashboard and the files from the replica in a request that may, else the primary", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      expect(await inRequest(true, dashboardOrders)).toBe(0); // the replica has no orders
      expect(await inRequest(false, dashboardOrders)).toBe(1);
      expect(await exported(true)).toEqual({ orderRows: 0, csvRows: 0, csvBytes: false, salesRows: 0 });
      expect(await exported(false)).toEqual({ orderRows: 1, csvRows: 1, csvBytes: true, salesRows: 1 });
    });

    it("reads the report screens from the replica in a request that may, else the primary", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      const screens = async () => ({
        orders: (await orderReportPage({ countyId }, filters, null)).rows.length,
        sales: (await salesPage({ countyId }, salesFilters, 1)).rows.length,
        salesOrders: (await salesTotals({ countyId }, salesFilters)).orders,
      });
      expect(await inRequest(true, screens)).toEqual({ orders: 0, sales: 0, salesOrders: 0 });
      expect(await inRequest(false, screens)).toEqual({ orders: 1, sales: 1, salesOrders: 1 });
    });

    it("reads the primary for a dashboard view whose own roll-up refresh rewrote figures", async () => {
      await useReplica(replicaUrl);
      expect(await replica()!.health.refresh()).toBe(true);
      // A change to a paid shop order marks its day; the next view refreshes it (on the primary)
      // and must show what it wrote, which the replica cannot have yet.
      await unscopedDb().shopOrder.updateMany({
        where: { shop: { countyId } },
        data: { paidAt: new Date("2026-11-21T02:00:00Z") },
      });
      expect(await inRequest(true, dashboardOrders)).toBe(1);
      // Nothing left to refresh: the next view reads the replica again.
      expect(await inRequest(true, dashboardOrders)).toBe(0);
    });

    it("reads the primary when the replica is down", async () => {
      await useReplica(withDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}`, "postgres"));
      expect(await replica()!.health.refresh()).toBe(false);
      expect(await inRequest(true, dashboardOrders)).toBe(1);
      expect(await exported(true)).toEqual({ orderRows: 1, csvRows: 1, csvBytes: true, salesRows: 1 });
    });
  });
});
