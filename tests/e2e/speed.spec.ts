import fs from "node:fs";
import zlib from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./support/test";

// Speed and reach (issue #4): what a buyer's phone downloads, and whether everyone can use
// the pages. Figures go in docs/perf.md.

const pack = (slug: string) => JSON.parse(fs.readFileSync(`tenants/${slug}/tenant.json`, "utf8"));
const peach = pack("yangshan-peach");
const PRODUCT = `/s/yangshan-peach/p/${peach.products[0].slug}`;
const TRACE = `/t/${peach.batches[0].traceCode}`;

/**
 * The budget for a product page's JavaScript, compressed as the phone receives it (1 KB = 1000
 * bytes). Since issue #12 every static asset is precompressed with Brotli at build time and served so
 * to browsers that accept it (all do over HTTPS, as production is); Chromium does not ask for Brotli
 * over plain http, so the test compresses each body as the build does (quality 11). The gzip figure is
 * printed beside it.
 */
const JS_BUDGET = 100_000;
/** Script files of a product page: 5 since the chunks follow the buyers' pages (20 before). */
const MAX_SCRIPT_FILES = 8;
/** The page's texts (JSON, not code; docs/decisions/014-client-javascript.md). */
// 10 KB since the checkout texts joined the buyers' set (issue #5): a buyer goes from the cart to checkout.
const MESSAGES_BUDGET = 10_000;

test.describe("what a product page downloads", () => {
  test.use({ locale: "zh-CN" });

  test(`its JavaScript is at most ${JS_BUDGET / 1000} KB compressed, its texts at most ${MESSAGES_BUDGET / 1000} KB`, async ({
    page,
  }) => {
    const scripts = new Map<string, number>();
    const messages = new Map<string, number>();
    const gzipped = new Map<string, number>();
    const pending: Promise<void>[] = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      const type = response.request().resourceType();
      const into = type === "script" ? scripts : url.pathname.endsWith(".json") ? messages : null;
      if (!into) return;
      pending.push(
        response.body().then(
          (body) => {
            into.set(
              url.pathname,
              zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
            );
            gzipped.set(url.pathname, zlib.gzipSync(body).length);
          },
          () => undefined,
        ),
      );
    });
    await page.goto(PRODUCT);
    // Hydrated: the add-to-cart form sends its hidden "js" field only once React runs.
    await expect(page.getByTestId("product-title")).toBeVisible();
    await page.waitForLoadState("networkidle");
    await Promise.all(pending);

    const sum = (files: Map<string, number>) => [...files.values()].reduce((a, b) => a + b, 0);
    const report = (files: Map<string, number>) =>
      [...files].sort((a, b) => b[1] - a[1]).map(([file, bytes]) => `${String(bytes).padStart(7)}  ${file}`);
    console.log(
      [
        `product page: ${scripts.size} scripts, ${sum(scripts)} bytes with Brotli (gzip: ${[...scripts.keys()].reduce((a, k) => a + (gzipped.get(k) ?? 0), 0)})`,
        ...report(scripts),
        `texts: ${sum(messages)} bytes with Brotli`,
        ...report(messages),
      ].join("\n"),
    );
    expect(scripts.size).toBeGreaterThan(3);
    // A few files shaped after the page, not a score of tiny shared chunks: each one is a request
    // before the first paint on a slow network (docs/decisions/030-client-chunks.md).
    expect(scripts.size, "script files of a product page").toBeLessThanOrEqual(MAX_SCRIPT_FILES);
    expect(messages.size).toBe(1); // the page's language only, buyers' texts only
    expect(sum(scripts), "compressed JavaScript of a product page").toBeLessThanOrEqual(JS_BUDGET);
    expect(sum(messages), "compressed texts of a product page").toBeLessThanOrEqual(MESSAGES_BUDGET);
  });
});

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = serious.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}  ${n.failureSummary?.split("\n").join(" ")}`).join("\n")}`,
  );
  expect(described, `${what}: serious or critical accessibility violations`).toEqual([]);
}

test.describe("accessibility (axe-core): no serious or critical violations", () => {
  for (const locale of ["zh-CN", "en"] as const) {
    test.describe(locale, () => {
      test.use({ locale });

      for (const [what, path] of [
        ["the marketplace", "/"],
        ["a search", `/search?q=${encodeURIComponent("桃")}`],
        ["a shop", "/s/yangshan-peach"],
        ["a product page", PRODUCT],
        ["an empty cart", "/cart"],
        ["a trace record", TRACE],
      ] as const) {
        test(what, async ({ page }) => {
          await page.goto(path);
          await expect(page.locator("h1").first()).toBeVisible();
          await expectNoSeriousViolations(page, `${what} (${path})`);
        });
      }

      test("a cart with a line in it", async ({ page }) => {
        await page.goto(PRODUCT);
        // From a shareable page (no CSRF token in it): the browser's Origin vouches for the form.
        await page.getByTestId("add-to-cart-submit").click();
        await expect(page.getByTestId("cart-link")).toContainText("1");
        await page.goto("/cart");
        await expect(page.getByTestId("cart-line").first()).toBeVisible();
        await expectNoSeriousViolations(page, "a cart with a line (/cart)");
      });
    });
  }
});
