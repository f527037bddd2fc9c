import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { JsonLd } from "~/components/json-ld";
import type { Seo } from "~/modules/seo/meta";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as homeLoader, meta as homeMeta } from "~/routes/_index";
import { loader as productLoader, meta as productMeta } from "~/routes/s.$shop.p.$product";
import { loader as shopLoader, meta as shopMeta } from "~/routes/s.$shop._index";
import { loader as searchLoader } from "~/routes/search";
import { markDomainVerified } from "../support/domains";
import { samplePack, writePacks } from "../support/packs";
import { callLoader } from "../support/routes";

// One canonical address per page, absolute preview pictures, and Product JSON-LD that
// shop-entered text cannot break out of.
const A = "seo-alpha";
const CUSTOM = "seo-custom";
const DOMAIN = "peach.example.cn";
const NASTY = "桃</script><script>alert(1)</script>";
// Absolute URLs come from the configured origin (PUBLIC_ORIGIN: http://localhost in the tests),
// whatever scheme and port a request came on.

type ProductData = { seo: Seo; jsonLd: Record<string, unknown> & { offers: Record<string, unknown> } };
type Descriptor = Record<string, string | undefined>;

// Remix calls `meta` with more than the loader data; these routes read only `data`.
const metaOf = (meta: unknown, data: unknown) => (meta as (args: { data: unknown }) => Descriptor[])({ data });
const property = (tags: Descriptor[], name: string) =>
  tags.find((t) => t.property === name || t.name === name)?.content;
const canonicalOf = (tags: Descriptor[]) => tags.find((t) => t.tagName === "link" && t.rel === "canonical")?.href;

beforeAll(async () => {
  const a = samplePack(A);
  a.products[1]!.title.zh = NASTY;
  (a.products[0] as Record<string, unknown>).presale = undefined;
  const custom = samplePack(CUSTOM, "320507");
  (custom as Record<string, unknown>).customDomain = DOMAIN;
  (custom.products[0] as Record<string, unknown>).presale = { yieldCap: 100, shipBy: "2027-07-01" };
  const results = await syncTenants(writePacks([a, custom]), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);
  await markDomainVerified(CUSTOM);
});

describe("canonical URLs", () => {
  it("gives a product one canonical on the shop's subdomain, by path and by host, on the configured scheme and port", async () => {
    const byPath = await callLoader<ProductData>(productLoader, `http://localhost:3360/s/${A}/p/peach-box`, {
      shop: A,
      product: "peach-box",
    });
    const byHost = await callLoader<ProductData>(productLoader, `https://${A}.localhost:6666/p/peach-box`, {
      product: "peach-box",
    });
    expect(byPath.data!.seo.canonical).toBe(`http://${A}.localhost/p/peach-box`);
    expect(byHost.data!.seo.canonical).toBe(byPath.data!.seo.canonical);
    expect(canonicalOf(metaOf(productMeta, byPath.data))).toBe(`http://${A}.localhost/p/peach-box`);
  });

  it("uses the shop's custom domain when it has one, always on https", async () => {
    const byPath = await callLoader<ProductData>(productLoader, `http://localhost/s/${CUSTOM}/p/peach-box`, {
      shop: CUSTOM,
      product: "peach-box",
    });
    const byDomain = await callLoader<ProductData>(productLoader, `https://${DOMAIN}/p/peach-box`, {
      product: "peach-box",
    });
    expect(byPath.data!.seo.canonical).toBe(`https://${DOMAIN}/p/peach-box`);
    expect(byDomain.data!.seo.canonical).toBe(`https://${DOMAIN}/p/peach-box`);
    const home = await callLoader<{ seo: Seo }>(shopLoader, `https://localhost/s/${CUSTOM}`, { shop: CUSTOM });
    expect(home.data!.seo.canonical).toBe(`https://${DOMAIN}/`);
    const homeByHost = await callLoader<{ kind: string; seo: Seo }>(homeLoader, `https://${DOMAIN}/`);
    expect(homeByHost.data!.seo.canonical).toBe(`https://${DOMAIN}/`);
  });

  it("puts platform pages on the platform host, whatever host alias was asked", async () => {
    const home = await callLoader<{ seo: Seo }>(homeLoader, "https://www.localhost:6666/");
    expect(home.data!.seo.canonical).toBe("http://localhost/");
    const search = await callLoader<{ seo: Seo }>(searchLoader, "http://localhost:3360/search?q=%E6%A1%83&sort=price");
    expect(search.data!.seo.canonical).toBe("http://localhost/search");
  });

  it("links the zh-CN and English versions of a page, and the English page is canonical with ?lng=en", async () => {
    const en = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/peach-box?lng=en`, {
      shop: A,
      product: "peach-box",
    });
    const tags = metaOf(productMeta, en.data);
    expect(canonicalOf(tags)).toBe(`http://${A}.localhost/p/peach-box?lng=en`);
    const alternates = Object.fromEntries(tags.filter((t) => t.rel === "alternate").map((t) => [t.hrefLang, t.href]));
    expect(alternates).toEqual({
      "zh-CN": `http://${A}.localhost/p/peach-box`,
      en: `http://${A}.localhost/p/peach-box?lng=en`,
      "x-default": `http://${A}.localhost/p/peach-box`,
    });
    expect(property(tags, "og:locale")).toBe("en_US");
    expect(property(tags, "og:title")).toBe("Honey peach box · seo-alpha Cooperative");
  });
});

describe("link previews", () => {
  it("gives a product page Open Graph tags with its largest JPEG as an absolute og:image", async () => {
    const res = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/peach-box`, {
      shop: A,
      product: "peach-box",
    });
    const tags = metaOf(productMeta, res.data);
    expect(property(tags, "og:image")).toMatch(
      new RegExp(`^http://${A}\\.localhost/media/[a-z0-9]+/[0-9a-f]{24}/1280\\.jpg$`),
    );
    expect(property(tags, "og:url")).toBe(`http://${A}.localhost/p/peach-box`);
    expect(property(tags, "og:type")).toBe("product");
    expect(property(tags, "og:site_name")).toBe(`${A} 合作社`);
    expect(property(tags, "og:locale")).toBe("zh_CN");
    expect(property(tags, "twitter:card")).toBe("summary_large_image");
    expect(tags.find((t) => "title" in t)?.title).toBe(`水蜜桃礼盒 · ${A} 合作社`);
    expect(property(tags, "description")).toBe("六只装");
  });

  it("previews a shop home with its banner, and the platform home with a picture too", async () => {
    const shop = await callLoader(shopLoader, `http://localhost/s/${A}`, { shop: A });
    expect(property(metaOf(shopMeta, shop.data), "og:image")).toMatch(
      new RegExp(`^http://${A}\\.localhost/media/.+/1920\\.jpg$`),
    );
    const home = await callLoader(homeLoader, "http://localhost/");
    const tags = metaOf(homeMeta, home.data);
    // No featured or in-season product in these packs: the platform's own picture.
    expect(property(tags, "og:image")).toBe("http://localhost/og-image.jpg");
    expect(property(tags, "og:site_name")).toBe("一村一品一店");
  });
});

describe("product JSON-LD", () => {
  it("describes the product with a price in 元 per variant and its availability", async () => {
    const peach = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/peach-box`, {
      shop: A,
      product: "peach-box",
    });
    const ld = peach.data!.jsonLd;
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Product",
      name: "水蜜桃礼盒",
      sku: `${A}-P6`,
      brand: { "@type": "Organization", name: `${A} 合作社` },
      url: `http://${A}.localhost/p/peach-box`,
      offers: {
        "@type": "AggregateOffer",
        priceCurrency: "CNY",
        lowPrice: "168.00",
        highPrice: "298.00",
        offerCount: 2,
      },
    });
    expect((ld.image as string[])[0]).toMatch(/^http:\/\/.+\/1280\.jpg$/);
    expect(
      (ld.offers.offers as { price: string; availability: string }[]).map((o) => [o.price, o.availability]),
    ).toEqual([
      ["168.00", "https://schema.org/InStock"],
      ["298.00", "https://schema.org/InStock"],
    ]);

    const tea = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/tea-tin`, {
      shop: A,
      product: "tea-tin",
    });
    expect(tea.data!.jsonLd.offers).toMatchObject({
      "@type": "Offer",
      price: "388.00",
      priceCurrency: "CNY",
      availability: "https://schema.org/OutOfStock",
    });

    const presale = await callLoader<ProductData>(productLoader, `http://localhost/s/${CUSTOM}/p/peach-box`, {
      shop: CUSTOM,
      product: "peach-box",
    });
    const offers = presale.data!.jsonLd.offers.offers as { availability: string }[];
    expect(offers.every((o) => o.availability === "https://schema.org/PreOrder")).toBe(true);
  });

  it("escapes a title containing </script> so the script tag cannot be closed early", async () => {
    const tea = await callLoader<ProductData>(productLoader, `http://localhost/s/${A}/p/tea-tin`, {
      shop: A,
      product: "tea-tin",
    });
    const html = renderToStaticMarkup(createElement(JsonLd, { data: tea.data!.jsonLd }));
    expect(html.startsWith('<script type="application/ld+json">')).toBe(true);
    const body = html.slice('<script type="application/ld+json">'.length, -"</script>".length);
    expect(body).not.toContain("<");
    expect(body).toContain("\\u003c/script\\u003e");
    expect(JSON.parse(body).name).toBe(NASTY);
  });
});
