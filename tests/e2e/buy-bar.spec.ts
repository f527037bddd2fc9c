import { expect, test } from "./support/test";

// The product page's bar under the thumb on a 360 px phone (issue #13): it stays on screen
// while the page scrolls, and 立即购买 goes straight to a checkout of that line only, with and
// without JavaScript. The peach gum of the demo's 阳山 shop: 250 g in stock, 500 g sold out.

for (const js of [true, false]) {
  test.describe(js ? "with JavaScript" : "without JavaScript", () => {
    test.use({ locale: "zh-CN", javaScriptEnabled: js });

    test("立即购买 from the bar checks out that line only, and the cart stays as it was", async ({ page }) => {
      await page.goto("/s/yangshan-peach/p/peach-gum");
      const bar = page.getByTestId("buy-bar");
      await expect(bar).toBeInViewport();
      // Still under the thumb after scrolling to the foot of the page.
      await page.getByTestId("site-footer").scrollIntoViewIfNeeded();
      await expect(bar).toBeInViewport();
      const box = await bar.boundingBox();
      expect(box!.y + box!.height).toBeGreaterThanOrEqual(779);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      await bar.getByTestId("buy-bar-buy-now").click();
      await expect(page).toHaveURL(/\/checkout\?buy=now$/);
      await expect(page.getByTestId("buy-now-notice")).toBeVisible();
      const shops = page.getByTestId("checkout-shop");
      await expect(shops).toHaveCount(1);
      await expect(page.getByTestId("checkout-line")).toHaveCount(1);

      // The cart itself was not touched.
      await page.goto("/cart");
      await expect(page.getByTestId("cart-shop")).toHaveCount(0);
    });
  });
}

test("the bar hides on a wide screen, where the form's own buttons sit beside the pictures", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/s/yangshan-peach/p/peach-gum");
  await expect(page.getByTestId("buy-bar")).toBeHidden();
  await expect(page.getByTestId("buy-now-submit")).toBeVisible();
});

test.describe("the home page at 360 px", () => {
  for (const locale of ["zh-CN", "en"]) {
    test(`shows in-season products two abreast on the first screen, and the header fits (${locale})`, async ({
      page,
    }) => {
      await page.goto(locale === "en" ? "/?lng=en" : "/");
      const cards = page.getByTestId("in-season-section").getByTestId("product-card");
      await expect(cards.first()).toBeInViewport();
      const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
      expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
      expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
      await expect(page.getByTestId("account-link")).toBeInViewport();
      await expect(page.getByTestId("cart-link")).toBeInViewport();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});
