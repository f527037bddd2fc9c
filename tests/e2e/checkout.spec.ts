import fs from "node:fs";
import { expect, test, type Page } from "./support/test";

// The buyer's checkout journey in zh-CN on a 360 px phone: a cart from two villages with a
// picking experience, paid offline (货到付款), landing on the order page where each
// cooperative's part waits for its confirmation. Once with JavaScript, once without.

const pack = (slug: string) => JSON.parse(fs.readFileSync(`tenants/${slug}/tenant.json`, "utf8"));
const peach = pack("yangshan-peach");
const crab = pack("yangcheng-crab");
const gum = peach.products.find((p: { slug: string }) => p.slug === "peach-gum");
const picking = peach.products.find((p: { kind: string }) => p.kind === "EXPERIENCE");
const roe = crab.products.find((p: { slug: string }) => p.slug === "crab-roe-sauce");
const crabLocker = crab.county.pickupPoints.find((p: { kind: string }) => p.kind === "LOCKER");

async function expectFitsPhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the page scrolls sideways on a 360 px phone").toBeLessThanOrEqual(0);
}

async function addToCart(page: Page, shop: string, product: string, js: boolean) {
  await page.goto(`/s/${shop}/p/${product}`);
  const form = page.getByTestId("add-to-cart");
  await form.getByTestId("add-to-cart-submit").click();
  if (js) await expect(form.getByTestId("add-to-cart-submit")).toHaveText("已加入购物车 ✓");
  else await expect(page).toHaveURL(/\?added=1$/);
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

for (const js of [true, false]) {
  test.describe(js ? "checkout (zh-CN)" : "checkout (zh-CN) without JavaScript", () => {
    test.use({ locale: "zh-CN", javaScriptEnabled: js });

    test("two villages and an experience, paid offline, land on the order page awaiting both cooperatives", async ({
      page,
    }) => {
      await addToCart(page, "yangshan-peach", gum.slug, js);
      await addToCart(page, "yangshan-peach", picking.slug, js);
      await addToCart(page, "yangcheng-crab", roe.slug, js);

      await page.goto("/cart");
      await expect(page.getByTestId("cart-shop")).toHaveCount(2);
      await page.getByTestId("checkout-link").click();
      await expect(page).toHaveURL(/\/checkout$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("结算");
      await expectFitsPhone(page);

      await page.getByLabel("姓名", { exact: true }).fill("王小明");
      await page.getByLabel("手机号", { exact: true }).fill("138 0013 8000");

      const peachShop = page.getByTestId("checkout-shop").filter({ hasText: peach.name.zh });
      const crabShop = page.getByTestId("checkout-shop").filter({ hasText: crab.name.zh });
      // The peach cooperative: goods delivered home, and the picking session's visitor.
      await peachShop.getByLabel("所在地区").fill("江苏省 无锡市 梁溪区");
      await peachShop.getByLabel("详细地址").fill("中山路 88 号 3 栋 502");
      await expect(peachShop.getByText(/场次：/).first()).toBeVisible();
      await peachShop.getByTestId("visitor-names").fill("王小明");
      // The crab cooperative: its county's electronic pickup locker.
      await crabShop.getByTestId("delivery-LOCKER").check();
      await crabShop.getByText(crabLocker.name.zh).click();

      const gumPrice = gum.variants[0].priceFen;
      const pickingPrice = picking.variants[0].priceFen;
      const roePrice = roe.variants[0].priceFen;
      // Default rates: ¥12 home delivery, ¥6 to a pickup point or locker.
      const total = gumPrice + pickingPrice + 1200 + roePrice + 600;
      if (!js) {
        // Without JavaScript the summary is recomputed by the server.
        await expect(page.getByTestId("checkout-total")).toHaveText(yuan(total + 600));
        await page.getByRole("button", { name: "更新合计" }).click();
        await expect(page.getByText("合计已按你的选择重新计算。")).toBeVisible();
        // What was typed is still there.
        await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("王小明");
        await expect(crabShop.getByTestId("delivery-LOCKER")).toBeChecked();
      }
      await expect(page.getByTestId("checkout-total")).toHaveText(yuan(total));
      const shippings = page.getByTestId("summary-shipping");
      await expect(shippings).toHaveText([yuan(1200), yuan(600)]);

      // Stripe is configured on the end-to-end server: the buyer picks the offline way.
      await page.getByTestId("provider-OFFLINE").check();
      await expect(page.getByRole("radio", { name: "货到付款", exact: true })).toBeChecked();
      await expectFitsPhone(page);
      await page.getByTestId("place-order").click();

      await expect(page).toHaveURL(/\/orders\/\d{12}$/);
      await expect(page.getByTestId("order-status")).toHaveText("等待合作社确认收款");
      const shopOrders = page.getByTestId("shop-order");
      await expect(shopOrders).toHaveCount(2);
      for (const name of [peach.name.zh, crab.name.zh]) {
        const card = shopOrders.filter({ hasText: name });
        await expect(card.getByTestId("shop-order-status")).toHaveText("等待合作社确认");
        await expect(card.locator("[aria-current=step]")).toContainText("待确认收款");
      }
      await expect(shopOrders.filter({ hasText: crab.name.zh }).getByTestId("shop-order-delivery")).toContainText(
        crabLocker.name.zh,
      );
      await expect(shopOrders.filter({ hasText: peach.name.zh })).toContainText("参观人：王小明");
      await expect(page.getByTestId("offline-instructions")).toContainText("货到付款");
      await expect(page.getByTestId("order-total")).toHaveText(yuan(total));
      await expectFitsPhone(page);

      // Another browser (no cookies) finds the order again by number and mobile.
      const number = page.url().split("/").pop()!;
      await page.context().clearCookies();
      await page.goto(`/orders/${number}`);
      await expect(page.getByTestId("shop-order")).toHaveCount(0);
      await page.getByLabel("手机号", { exact: true }).fill("13800138000");
      await page.getByRole("button", { name: "查看订单" }).click();
      await expect(page.getByTestId("shop-order")).toHaveCount(2);
    });
  });
}
