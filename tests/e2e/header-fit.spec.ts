import { expect, test } from "./support/test";
import { DEMO_OWNER } from "./support/demo-owner";
import { translator } from "./support/i18n";

// Issue #13 on a 360 px phone: a long shop name does not push the storefront header onto a third
// row (it is cut off with "…", the full name stays the link's text and its title), and the admin's
// tab bar shows that it scrolls (its right edge fades out until the end is reached).

const LONG_NAME = "江苏省苏州市相城区阳澄湖镇莲花岛村大闸蟹养殖与休闲农业观光旅游农民专业合作社联合社直营店";

test.use({ locale: "zh-CN" });

test("a very long shop name keeps the header to its two rows at 360 px, the full name kept", async ({ page }) => {
  await page.goto("/s/yangcheng-crab");
  const header = page.locator("header").first();
  const name = header.getByTestId("shop-name");
  const before = (await header.boundingBox())!.height;

  // The demo shop's name, made as long as a cooperative's full registered name can be.
  await name.evaluate((el, long) => {
    el.textContent = long;
    el.setAttribute("title", long);
  }, LONG_NAME);
  await expect(name).toHaveText(LONG_NAME);
  const after = (await header.boundingBox())!.height;
  expect(after).toBe(before);
  // One line, cut off: narrower than its text, no higher than one line.
  expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(
    await name.evaluate((el) => el.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(el).lineHeight)),
  ).toBe(true);
  expect(await name.evaluate((el) => getComputedStyle(el).textOverflow)).toBe("ellipsis");
  // The full name is there for anyone who asks: the link's accessible name and a tooltip.
  await expect(header.getByTestId("shop-home-link")).toHaveAccessibleName(new RegExp(LONG_NAME));
  await expect(name).toHaveAttribute("title", LONG_NAME);
  // 我的 and the cart stay on screen, and nothing scrolls sideways.
  await expect(header.getByTestId("account-link")).toBeInViewport();
  await expect(header.getByTestId("cart-link")).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  // Two rows on a phone: the name's, then 我的 / cart / language, and nothing below them.
  const [home, account, box] = [
    (await header.getByTestId("shop-home-link").boundingBox())!,
    (await header.getByTestId("account-link").boundingBox())!,
    (await header.boundingBox())!,
  ];
  expect(account.y).toBeGreaterThanOrEqual(home.y + home.height - 1);
  expect(box.y + box.height - (account.y + account.height)).toBeLessThan(24);
});

test("the admin's tab bar on a phone fades at its right edge to show it scrolls; the last tab scrolls clear of it", async ({
  page,
}) => {
  const t = translator("zh-CN");
  await page.goto("/login");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(DEMO_OWNER.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto(`/admin/${DEMO_OWNER.shops[0]}`);
  const tabs = page.getByTestId("admin-tabs");
  await expect(tabs).toBeVisible();
  // More tabs than fit: the bar scrolls, and its right edge fades out to say so.
  expect(await tabs.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const mask = await tabs.evaluate((el) => {
    const style = getComputedStyle(el);
    return style.maskImage || style.getPropertyValue("-webkit-mask-image");
  });
  expect(mask).toContain("linear-gradient");
  // …ending in a transparent colour (the browser writes it as rgba(…, 0)).
  expect(mask).toMatch(/(transparent|rgba\([^)]*,\s*0\))\)?$/);
  // Scrolled to the end, the last tab clears the fade and can be read and pressed.
  await tabs.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  const last = tabs.getByRole("link").last();
  await expect(last).toBeInViewport({ ratio: 1 });
  const [bar, tab] = [(await tabs.boundingBox())!, (await last.boundingBox())!];
  expect(tab.x + tab.width).toBeLessThanOrEqual(bar.x + bar.width - 24);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});
