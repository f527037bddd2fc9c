import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { resetEnv } from "~/env.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as robotsLoader } from "~/routes/robots[.]txt";
import { loader as sitemapLoader } from "~/routes/sitemap[.]xml";
import { markDomainVerified } from "../support/domains";
import { samplePack, writePacks } from "../support/packs";

// The platform's sitemap lists every live shop's public pages on their canonical hosts;
// a shop's host lists only that shop; drafts and archived products never appear.
const A = "map-alpha";
const CUSTOM = "map-custom";
const DRAFT = "map-draft";
const DOMAIN = "tea.example.cn";
// Locations come from the configured origin, whatever scheme and port a request came on.
process.env.PUBLIC_ORIGIN = "http://localhost:3360";
resetEnv();

async function get(loader: typeof sitemapLoader, url: string) {
  try {
    return await loader({ request: new Request(url), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);

beforeAll(async () => {
  const custom = samplePack(CUSTOM, "320507");
  (custom as Record<string, unknown>).customDomain = DOMAIN;
  const draft = samplePack(DRAFT, "320282");
  (draft as Record<string, unknown>).status = "DRAFT";
  const results = await syncTenants(writePacks([samplePack(A), custom, draft]), {
    now: new Date("2026-11-27T00:00:00Z"),
  });
  expect(results.every((r) => r.ok)).toBe(true);
  await markDomainVerified(CUSTOM);
  const shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: A } });
  await unscopedDb().product.update({
    where: { shopId_slug: { shopId: shopA.id, slug: "tea-tin" } },
    data: { status: "ARCHIVED" },
  });
});

describe("sitemap.xml", () => {
  it("lists the platform's pages and every live shop's home and active products on their canonical hosts", async () => {
    const res = await get(sitemapLoader, "http://localhost:3360/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const xml = await res.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
    );
    expect(locs(xml)).toEqual([
      "http://localhost:3360/",
      "http://localhost:3360/search",
      `http://${A}.localhost:3360/`,
      `http://${A}.localhost:3360/p/peach-box`,
      `http://${A}.localhost:3360/p/picking`,
      `https://${DOMAIN}/`,
      `https://${DOMAIN}/p/peach-box`,
      `https://${DOMAIN}/p/tea-tin`,
      `https://${DOMAIN}/p/picking`,
    ]);
    expect(xml).not.toContain(DRAFT);
    expect(xml).toMatch(/<lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/);
  });

  it("lists only the shop's own pages on its subdomain and on its custom domain", async () => {
    const sub = await get(sitemapLoader, `https://${A}.localhost:6666/sitemap.xml`);
    expect(sub.status).toBe(200);
    expect(locs(await sub.text())).toEqual([
      `http://${A}.localhost:3360/`,
      `http://${A}.localhost:3360/p/peach-box`,
      `http://${A}.localhost:3360/p/picking`,
    ]);
    const custom = await get(sitemapLoader, `https://${DOMAIN}/sitemap.xml`);
    expect(locs(await custom.text())).toEqual([
      `https://${DOMAIN}/`,
      `https://${DOMAIN}/p/peach-box`,
      `https://${DOMAIN}/p/tea-tin`,
      `https://${DOMAIN}/p/picking`,
    ]);
    // The subdomain of a shop with a custom domain points search engines at the domain.
    const subOfCustom = await get(sitemapLoader, `https://${CUSTOM}.localhost/sitemap.xml`);
    expect(locs(await subOfCustom.text())[0]).toBe(`https://${DOMAIN}/`);
  });

  it("answers 404 on the host of an unknown or draft shop", async () => {
    expect((await get(sitemapLoader, "http://no-such-shop.localhost/sitemap.xml")).status).toBe(404);
    expect((await get(sitemapLoader, `http://${DRAFT}.localhost/sitemap.xml`)).status).toBe(404);
    expect((await get(sitemapLoader, "http://unknown.example.org/sitemap.xml")).status).toBe(404);
  });
});

describe("robots.txt", () => {
  it("allows the storefront, keeps crawlers out of private pages and names the host's sitemap", async () => {
    const res = await get(robotsLoader, `http://${A}.localhost:3360/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const lines = (await res.text()).split("\n");
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Allow: /");
    for (const path of [
      "/admin",
      "/platform",
      "/account",
      "/cart",
      "/login",
      "/signup",
      "/reset-password",
      "/forgot-password",
      "/invite",
    ]) {
      expect(lines).toContain(`Disallow: ${path}`);
    }
    expect(lines).toContain(`Sitemap: http://${A}.localhost:3360/sitemap.xml`);
    const platform = await (await get(robotsLoader, "https://localhost/robots.txt")).text();
    expect(platform).toContain("Sitemap: http://localhost:3360/sitemap.xml");
  });
});
