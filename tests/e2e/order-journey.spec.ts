import fs from "node:fs";
import { expect, test, type Browser, type Page } from "./support/test";
import { DEMO_OWNER } from "./support/demo-owner";
import { translator } from "./support/i18n";

// Issue #5 end to end, in zh-CN on a 360 px phone.
// 1. A buyer fills one cart from two cooperatives (a specialty from 句容, a tea and a
//    bamboo-shoot digging session from 溧阳), checks out paying offline (货到付款); each
//    cooperative sees its own shop order in its admin, one confirms the payment and marks it
//    packed, and the buyer's tracking page shows it.
// 2. A buyer pays with Stripe: the app sends them to the (local test server's) hosted page,
//    which completes the session and posts a signed checkout.session.completed to the app's
//    webhook; the order page then shows the order paid.
// Products are ones the buyer journey does not re-price, so the two specs can run side by side.

const t = translator("zh-CN");
const pack = (slug: string) => JSON.parse(fs.readFileSync(`tenants/${slug}/tenant.json`, "utf8"));
const jurong = pack("jurong-strawberry");
const liyang = pack("liyang-tea-stay");
const dongting = pack("dongting-biluochun");
interface PackProduct {
  slug: string;
  title: { zh: string };
  variants: { priceFen: number }[];
}
const product = (p: { products: PackProduct[] }, slug: string) => p.products.find((x) => x.slug === slug)!;

async function add(page: Page, shop: string, slug: string) {
  await page.goto(`/s/${shop}/p/${slug}`);
  await page.getByTestId("add-to-cart").getByTestId("add-to-cart-submit").click();
  await expect(page.getByTestId("add-to-cart-submit")).toHaveText("已加入购物车 ✓");
}

async function contact(page: Page, phone: string) {
  await page.goto("/cart");
  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout$/);
  await page.getByLabel("姓名", { exact: true }).fill("李买家");
  await page.getByLabel("手机号", { exact: true }).fill(phone);
}

async function home(page: Page, shopName: string) {
  const shop = page.getByTestId("checkout-shop").filter({ hasText: shopName });
  await shop.getByTestId("delivery-HOME").check();
  await shop.getByLabel("所在地区").fill("江苏省 南京市 鼓楼区");
  await shop.getByLabel("详细地址").fill("中山北路 100 号");
  return shop;
}

async function ownerPage(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(DEMO_OWNER.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

test.use({ locale: "zh-CN" });

test("two cooperatives, one offline payment: each sees its part, one accepts (cash on delivery) and packs, the buyer tracks it", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const jam = product(jurong, "strawberry-jam");
  const tea = product(liyang, "tianmuhu-white-tea");
  const digging = product(liyang, "winter-shoot-digging");
  await add(page, "jurong-strawberry", jam.slug);
  await add(page, "liyang-tea-stay", tea.slug);
  await add(page, "liyang-tea-stay", digging.slug);

  await contact(page, "139 1111 2222");
  await home(page, jurong.name.zh);
  const liyangShop = await home(page, liyang.name.zh);
  await liyangShop.getByTestId("visitor-names").fill("李买家");
  await page.getByTestId("provider-OFFLINE").check();
  await page.getByRole("radio", { name: "货到付款", exact: true }).check();
  await page.getByTestId("place-order").click();

  await expect(page).toHaveURL(/\/orders\/\d{12}$/);
  const number = page.url().split("/").pop()!;
  const cards = page.getByTestId("shop-order");
  await expect(cards).toHaveCount(2);
  await expect(cards.filter({ hasText: jurong.name.zh }).getByTestId("shop-order-status")).toHaveText("等待合作社确认");

  // The cooperatives: each admin lists only its own shop order.
  const owner = await ownerPage(browser, baseURL!);
  for (const shop of [jurong, liyang]) {
    await owner.goto(`/admin/${shop.slug}/orders`);
    const list = owner.getByTestId("order-list");
    // Other journeys place orders at the same shops: this one's shop order is listed once.
    await expect(list.getByRole("link").filter({ hasText: number })).toHaveCount(1);
    await expect(list).toContainText("李买家");
  }
  // 句容 accepts the cash-on-delivery order (paid at the door, issue #10) and packs the parcel.
  await owner.goto(`/admin/${jurong.slug}/orders`);
  await owner.getByTestId("order-list").getByRole("link").filter({ hasText: number }).click();
  await expect(owner.getByTestId("order-lines")).toContainText(jam.title.zh);
  await expect(owner.getByTestId("order-lines")).not.toContainText(tea.title.zh);
  await expect(owner.getByRole("button", { name: t("orders.action.confirmPayment") })).toHaveCount(0);
  await owner.getByRole("button", { name: t("orders.action.accept") }).click();
  await expect(owner.getByText(t("orders.done.accept"))).toBeVisible();
  await owner.getByRole("button", { name: t("orders.action.pack") }).click();
  await expect(owner.getByText(t("orders.done.pack"))).toBeVisible();
  await expect(owner.getByTestId("order-history")).toContainText(t("orders.status.PACKED"));
  await owner.context().close();

  // The buyer's tracking page follows.
  await page.reload();
  await expect(cards.filter({ hasText: jurong.name.zh }).getByTestId("shop-order-status")).toHaveText("已打包");
  await expect(cards.filter({ hasText: liyang.name.zh }).getByTestId("shop-order-status")).toHaveText("等待合作社确认");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("paying with Stripe: the hosted page, a signed checkout.session.completed, the order paid", async ({ page }) => {
  const tea = product(dongting, "biluochun-mingqian");
  await add(page, "dongting-biluochun", tea.slug);
  await contact(page, "139 3333 4444");
  await home(page, dongting.name.zh);
  await page.getByTestId("provider-STRIPE").check();
  await page.getByTestId("place-order").click();

  // Stripe's hosted page (the local test server), in CNY, for the order's total.
  await expect(page).toHaveURL(/\/pay\/cs_test_/);
  const total = tea.variants[0]!.priceFen + 1200;
  await expect(page.getByTestId("total")).toHaveText(`¥${(total / 100).toFixed(2)}`);
  await expect(page.getByLabel("wechat_pay")).toBeVisible();
  await expect(page.getByLabel("alipay")).toBeVisible();
  await page.getByLabel("wechat_pay").check();
  await page.getByRole("button", { name: /^Pay / }).click();

  // Back on the order page: the webhook has marked it paid.
  await expect(page).toHaveURL(/\/orders\/\d{12}\?paid=1$/);
  await page.reload();
  await expect(page.getByTestId("order-status")).toHaveText("已付款");
  await expect(page.getByTestId("shop-order").getByTestId("shop-order-status")).toHaveText("已付款");
});
