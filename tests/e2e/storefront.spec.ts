import fs from "node:fs";
import { expect, test, type Page } from "./support/test";

// Facts from the demo packs themselves, so the tests follow the data.
const pack = (slug: string) => JSON.parse(fs.readFileSync(`tenants/${slug}/tenant.json`, "utf8"));
const peach = pack("yangshan-peach");
const crab = pack("yangcheng-crab");
const produce = peach.products.find((p: { kind: string }) => p.kind === "PRODUCE");
const crabOnly = crab.products[0];
const demoSlugs = fs.readdirSync("tenants").filter((d) => fs.existsSync(`tenants/${d}/tenant.json`));

function hostUrl(baseURL: string | undefined, slug: string, path = "/") {
  const url = new URL(path, baseURL);
  url.hostname = `${slug}.localhost`;
  return url.toString();
}

async function expectFitsPhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the page scrolls sideways on a 360 px phone").toBeLessThanOrEqual(0);
}

async function expectImagesLoaded(page: Page, selector: string) {
  const images = page.locator(selector);
  await expect(images.first()).toBeVisible();
  // Lazy pictures load as they near the screen, and on a busy server may still be on their way.
  for (const img of (await images.all()).slice(0, 4)) {
    await img.scrollIntoViewIfNeeded();
    await expect
      .poll(() => img.evaluate((el: HTMLImageElement) => (el.complete && el.naturalWidth > 0 ? el.currentSrc : "")), {
        message: "an image did not load",
      })
      .toMatch(/\/media\/.+\.(avif|webp|jpg)$/);
  }
}

test.describe("in Chinese (zh-CN, the default)", () => {
  test.use({ locale: "zh-CN" });

  test("the platform home groups live shops by county, and opens a shop in its brand theme", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("买遍江苏好乡村");
    // Every demo shop has its tile; other tests of the same run (cooperative-journey) may add live shops of their own.
    const tiles = page.getByTestId("shop-tile");
    for (const slug of demoSlugs) {
      await expect(tiles.filter({ has: page.locator(`a[href="/s/${slug}"]`) })).toHaveCount(1);
    }
    expect(await page.getByTestId("county-section").count()).toBeGreaterThanOrEqual(4);
    await expectFitsPhone(page);

    await page.getByRole("link", { name: new RegExp(peach.name.zh) }).click();
    await expect(page).toHaveURL(/\/s\/yangshan-peach$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(peach.name.zh);
    await expect(page.getByText(peach.tagline.zh).first()).toBeVisible();
    const headerColour = await page
      .locator("header")
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    const hex = peach.theme.primary.toLowerCase();
    const rgb = `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
    expect(headerColour).toBe(rgb);
    await expect(page.getByTestId("product-card")).toHaveCount(peach.products.length);
    await expectImagesLoaded(page, "[data-testid=product-card] img");
    await expectFitsPhone(page);
  });

  test("a product page shows responsive pictures, options with prices and stock", async ({ page }) => {
    await page.goto(`/s/yangshan-peach/p/${produce.slug}`);
    await expect(page.getByTestId("product-title")).toHaveText(produce.title.zh);
    await expect(page.getByTestId("gallery").locator("source[type='image/webp']").first()).toHaveAttribute(
      "srcset",
      /320w.*640w.*1280w/,
    );
    await expectImagesLoaded(page, "[data-testid=gallery] img");
    const variants = page.getByTestId("variants").locator("li");
    await expect(variants).toHaveCount(produce.variants.length);
    const first = produce.variants[0];
    await expect(variants.first()).toContainText(`¥${(first.priceFen / 100).toFixed(2)}`);
    await expect(variants.first()).toContainText(/有货|仅剩|已售罄/);
    await expectFitsPhone(page);
  });

  test("an unknown shop and another shop's product are a translated 404", async ({ page }) => {
    const response = await page.goto("/s/no-such-village");
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("店铺不存在或未上线");
    const crossed = await page.goto(`/s/yangshan-peach/p/${crabOnly.slug}`);
    expect(crossed!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
  });
});

test.describe("in English", () => {
  test.use({ locale: "en-US" });

  test("the browser's language picks English, and the switch goes to Chinese and is remembered", async ({ page }) => {
    await page.goto("/s/yangshan-peach");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(peach.name.en);
    await expect(page.getByRole("heading", { name: "Products" })).toBeVisible();

    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(peach.name.zh);
    await page.goto(`/s/yangshan-peach/p/${produce.slug}`); // no ?lng= any more: the cookie speaks
    await expect(page.getByTestId("product-title")).toHaveText(produce.title.zh);
  });

  test("a product page in English", async ({ page }) => {
    await page.goto(`/s/yangshan-peach/p/${produce.slug}`);
    await expect(page.getByTestId("product-title")).toHaveText(produce.title.en);
    await expect(page.getByRole("heading", { name: "Details" })).toBeVisible();
    await expectImagesLoaded(page, "[data-testid=gallery] img");
    await expectFitsPhone(page);
  });

  test("an unknown shop is a 404 in English", async ({ page }) => {
    const response = await page.goto("/s/no-such-village");
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Shop not found or not live");
  });
});

test.describe("a shop on its own host", () => {
  test.use({ locale: "zh-CN" });

  test("serves the same shop and its products at <slug>.localhost", async ({ page, baseURL }) => {
    await page.goto(hostUrl(baseURL, "yangshan-peach"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(peach.name.zh);
    await page.getByTestId("product-card").filter({ hasText: produce.title.zh }).click();
    await expect(page).toHaveURL(hostUrl(baseURL, "yangshan-peach", `/p/${produce.slug}`));
    await expect(page.getByTestId("product-title")).toHaveText(produce.title.zh);
  });

  test("never shows another shop's product", async ({ page, baseURL }) => {
    const response = await page.goto(hostUrl(baseURL, "yangshan-peach", `/p/${crabOnly.slug}`));
    expect(response!.status()).toBe(404);
    const mixed = await page.goto(hostUrl(baseURL, "yangshan-peach", `/s/yangcheng-crab/p/${crabOnly.slug}`));
    expect(mixed!.status()).toBe(404);
    const own = await page.goto(hostUrl(baseURL, "yangcheng-crab", `/p/${crabOnly.slug}`));
    expect(own!.status()).toBe(200);
  });
});

test("/healthz answers 200", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: true });
});

test("streamed pages are clean UTF-8 without NUL bytes (React 18 buffer-edge bug)", async ({ request }) => {
  for (const path of [
    "/",
    "/search?q=%E6%A1%83",
    "/s/yangshan-peach",
    `/s/yangshan-peach/p/${produce.slug}`,
    "/?lng=en",
  ]) {
    const response = await request.get(path, { headers: { "Accept-Language": "zh-CN" } });
    expect(response.status(), path).toBe(200);
    const bytes = await response.body();
    expect(bytes.includes(0), `${path} contains NUL bytes`).toBe(false);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), path).not.toThrow();
  }
});
