import fs from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page } from "./support/test";
import { DEMO_OWNER } from "./support/demo-owner";
import { translator, type Lng, type T } from "./support/i18n";
import { makeImages } from "./support/images";
import { logisticsControlPort } from "./support/logistics-control";
import { signInAsPlatformAdmin } from "./support/two-factor";

// Issue #13's "Done when", end to end: a buyer signs up from the header, searches 螃蟹 and finds
// the crabs, buys them with 立即购买 (cash on delivery), the cooperative accepts and packs, the
// county's logistics partner delivers (played through the logistics module, as in
// logistics-cooperative.spec.ts), the buyer reviews the line with a photo, the cooperative
// replies, and the crab's card shows the rating and 已售; the buyer, returning on another phone,
// signs in from the header and sees the order; the platform admin hides the review, adds and
// removes a blocklisted word, and finds a buyer's search that found nothing among the week's queries.
// At 360×780 and 1280×800, in zh-CN and en, with and without JavaScript (a balanced set of 4 runs: WAYS).
//
// Runs go on side by side (two workers, and other specs buy at the same shop): each run has its
// own buyer, and finds its own order, review and reply by their number and text. All runs review
// the same crab with 4 stars, so its card's average is 4.0 whichever runs have written (a hidden
// review leaves the average, the others stay), and its 已售 counts at least this run's crab.

interface PackProduct {
  slug: string;
  title: { zh: string; en: string };
}
const crabShop = JSON.parse(fs.readFileSync("tenants/yangcheng-crab/tenant.json", "utf8")) as {
  slug: string;
  name: { zh: string; en: string };
  products: PackProduct[];
};
const crab = crabShop.products.find((p) => p.slug === "hairy-crab-live")!;
const STARS = 4;
const PASSWORD = "review-journey-2027";

interface Way {
  lng: Lng;
  locale: string;
  js: boolean;
  viewport: { width: number; height: number };
  /** Anonymous reviews show as 王** (the runs without JavaScript write one). */
  anonymous: boolean;
}

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 800 };
/**
 * All 8 combinations ran about 65 s each on the shared 2-core machine (over the 40 s budget), so
 * these 4 cover each value of each dimension twice, and every pair of values once (an orthogonal
 * array): phone and desktop, zh-CN and en, with and without JavaScript.
 */
const WAYS: Way[] = [
  { lng: "zh-CN", locale: "zh-CN", js: true, viewport: PHONE, anonymous: false },
  { lng: "en", locale: "en-US", js: false, viewport: PHONE, anonymous: true },
  { lng: "zh-CN", locale: "zh-CN", js: false, viewport: DESKTOP, anonymous: true },
  { lng: "en", locale: "en-US", js: true, viewport: DESKTOP, anonymous: false },
];
const title = (w: Way) => `${w.viewport.width}×${w.viewport.height}, ${w.lng}, ${w.js ? "with" : "without"} JavaScript`;

interface Run {
  way: Way;
  t: T;
  pick: (text: { zh: string; en: string }) => string;
  buyerName: string;
  phone: string;
  /** Unique to the run: how its review and reply are found among the others'. */
  reviewText: string;
  replyText: string;
}

function newRun(way: Way, index: number): Run {
  const t = translator(way.lng);
  const stamp = `${Date.now().toString().slice(-7)}${index}`;
  return {
    way,
    t,
    pick: (text) => (way.lng === "en" ? text.en : text.zh),
    buyerName: way.lng === "en" ? "Wang Lucy" : "王买家",
    phone: `136${stamp}`,
    reviewText: `蟹很肥，膏黄满满，冰袋还没化。${stamp}`,
    replyText: `谢谢您的好评，欢迎明年再来！${stamp}`,
  };
}

function contextFor(browser: Browser, baseURL: string, way: Way): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: way.locale,
    viewport: way.viewport,
    hasTouch: way.viewport.width < 640,
    javaScriptEnabled: way.js,
  });
}

async function expectFits(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}

async function signIn(page: Page, t: T, identifier: string, password: string) {
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(identifier);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
}

// ─── The steps ─────────────────────────────────────────────────────────────────────────

/** From the header's 我的 to the sign-in page, on to sign up, and back to the account. */
async function signUpFromHeader(page: Page, run: Run) {
  const { t } = run;
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", run.way.lng);
  await page.getByTestId("account-link").click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
  await page.getByRole("link", { name: t("auth.signUp"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("auth.signUpTitle"));
  await page.getByLabel(t("auth.name"), { exact: true }).fill(run.buyerName);
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(run.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: t("auth.signUp"), exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("my-order")).toHaveCount(0);
}

/** The crab's card among the results of a search for 螃蟹. */
async function searchCrabs(page: Page, run: Run) {
  const { t } = run;
  await page.goto("/");
  const search = page.getByRole("search").first();
  await search.getByLabel(t("market.search.label"), { exact: true }).fill("螃蟹");
  await search.getByRole("button", { name: t("market.search.submit"), exact: true }).click();
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByTestId("search-heading")).toHaveText(t("market.search.headingQuery", { q: "螃蟹" }));
  const card = page
    .getByTestId("market-grid")
    .getByRole("listitem")
    .filter({ has: page.getByTestId("product-card").filter({ hasText: run.pick(crab.title) }) });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(run.pick(crabShop.name));
  await expectFits(page);
  return card;
}

/** 立即购买 on the product page (the bar under the thumb on a phone, the form's button on a wide screen), cash on delivery. */
async function buyNow(page: Page, run: Run) {
  const { t } = run;
  const card = await searchCrabs(page, run);
  await card.getByTestId("product-card").click();
  await expect(page).toHaveURL(new RegExp(`/s/${crabShop.slug}/p/${crab.slug}$`));
  await expect(page.getByTestId("product-title")).toHaveText(run.pick(crab.title));
  const button = page.getByTestId(run.way.viewport.width < 768 ? "buy-bar-buy-now" : "buy-now-submit");
  await expect(button).toBeVisible();
  await expect(button).toHaveText(t("pages.buyBar.buyNow"));
  await button.click();
  await expect(page).toHaveURL(/\/checkout\?buy=now$/);
  await expect(page.getByTestId("checkout-line")).toHaveCount(1);
  await page.getByLabel(t("checkout.contact.name"), { exact: true }).fill(run.buyerName);
  await page.getByLabel(t("checkout.contact.phone"), { exact: true }).fill(run.phone);
  const shop = page.getByTestId("checkout-shop");
  await shop.getByTestId("delivery-HOME").check();
  await shop.getByLabel(t("checkout.shop.region")).fill("上海市 浦东新区");
  await shop.getByLabel(t("checkout.shop.addressLine")).fill("张江镇祖冲之路 899 号");
  await page.getByTestId("provider-OFFLINE").check();
  await page.getByRole("radio", { name: t("checkout.payment.COD"), exact: true }).check();
  await expectFits(page);
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d{12}$/);
  return page.url().split("/").pop()!;
}

async function ownerPage(browser: Browser, baseURL: string, run: Run) {
  const context = await contextFor(browser, baseURL, run.way);
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, run.t, DEMO_OWNER.phone, DEMO_OWNER.password);
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

/** The cooperative accepts and packs; the county's partner (the logistics module, through the test's control) delivers. */
async function deliver(owner: Page, baseURL: string, run: Run, orderNumber: string) {
  const { t } = run;
  await owner.goto(`/admin/${crabShop.slug}/orders`);
  await owner.getByTestId("order-list").getByRole("link").filter({ hasText: orderNumber }).click();
  await owner.getByRole("button", { name: t("orders.action.accept") }).click();
  await expect(owner.getByText(t("orders.done.accept"))).toBeVisible();
  const form = owner.getByTestId("pack-form");
  await form.getByLabel(t("packing.parcels")).fill("1");
  await form.getByLabel(t("packing.weight")).fill("1.2");
  await form.getByRole("button", { name: t("orders.action.pack") }).click();
  await expect(owner.getByText(t("orders.done.pack"))).toBeVisible();
  const shopOrderNumber = owner.url().split("/").pop()!.split("?")[0]!;

  const port = logisticsControlPort(Number(new URL(baseURL).port));
  const response = await fetch(`http://127.0.0.1:${port}/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      shopOrderNumber,
      waybillNo: `YC${shopOrderNumber}`.slice(0, 16),
      carrier: "e2e",
      events: [{ type: "picked_up" }, { type: "out_for_delivery" }, { type: "delivered" }],
    }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(((await response.json()) as { accepted: unknown }).accepted).toEqual({ ok: true });
}

/** On the delivered order's page: 写评价, 4 stars, words and a photo (anonymous in some runs). */
async function writeReview(page: Page, run: Run, orderNumber: string, photo: string) {
  const { t } = run;
  await page.goto(`/orders/${orderNumber}`);
  await expect(page.getByTestId("shop-order-status")).toHaveText(t("checkout.order.shopStatus.DELIVERED"));
  const line = page.getByTestId("reviewable-line").filter({ hasText: run.pick(crab.title) });
  await line.getByRole("link", { name: t("reviews.write.button"), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderNumber}/review/`));
  const form = page.getByTestId("review-form");
  await form.getByLabel(t("reviews.write.text"), { exact: true }).fill(run.reviewText);
  await form.getByRole("radio", { name: t("reviews.stars", { count: STARS }), exact: true }).check();
  await form.getByLabel(t("reviews.write.photos")).setInputFiles(photo);
  if (run.way.anonymous) await form.getByLabel(t("reviews.write.anonymous")).check();
  await expectFits(page);
  await form.getByRole("button", { name: t("reviews.write.submit"), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderNumber}\\?reviewed=published`));
  await expect(page.getByRole("status").filter({ hasText: t("reviews.write.done") })).toBeVisible();
  await expect(line.getByTestId("line-review-state")).toHaveText(t("reviews.write.yours", { count: STARS }));
}

/** The crab's reviews page (all of them, photo reviews first): this run's review. */
async function reviewOnPage(page: Page, run: Run) {
  await page.goto(`/s/${crabShop.slug}/p/${crab.slug}/reviews`);
  return page.getByTestId("review").filter({ hasText: run.reviewText });
}

async function cooperativeReplies(owner: Page, run: Run) {
  const { t } = run;
  await owner.goto(`/admin/${crabShop.slug}/reviews`);
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText(t("reviews.admin.title"));
  const review = owner.getByTestId("admin-review").filter({ hasText: run.reviewText });
  await expect(review).toHaveCount(1);
  await review.getByLabel(t("reviews.admin.replyLabel")).fill(run.replyText);
  await review.getByRole("button", { name: t("reviews.admin.replySubmit"), exact: true }).click();
  await expect(owner.getByRole("status").filter({ hasText: t("reviews.admin.replied") })).toBeVisible();
  await expect(
    owner.getByTestId("admin-review").filter({ hasText: run.reviewText }).getByTestId("admin-reply"),
  ).toContainText(run.replyText);
  await expectFits(owner);
}

async function cardShowsRating(page: Page, run: Run) {
  const { t } = run;
  const card = await searchCrabs(page, run);
  const rating = card.getByTestId("card-rating");
  await expect(rating.getByTestId("card-average")).toHaveText(STARS.toFixed(1));
  const sold = Number((await rating.getByTestId("card-sold").textContent())!.replace(/\D/g, ""));
  expect(sold).toBeGreaterThanOrEqual(1);
  await expect(rating.getByTestId("card-sold")).toHaveText(t("reviews.sold", { count: sold }));

  // The review on the crab's pages, with its photo, its author (王** when anonymous) and the reply.
  const review = await reviewOnPage(page, run);
  await expect(review).toHaveCount(1);
  await expect(review.getByRole("img").first()).toBeVisible();
  await expect(review.getByTestId("review-author")).toHaveText(
    run.way.anonymous ? `${Array.from(run.buyerName)[0]}**` : run.buyerName,
  );
  await expect(review.getByTestId("review-reply")).toContainText(run.replyText);
  await expectFits(page);
}

/** On another phone: the header's 我的, sign in, and the order is on the account page. */
async function returningBuyer(browser: Browser, baseURL: string, run: Run, orderNumber: string) {
  const context = await contextFor(browser, baseURL, run.way);
  const page = await context.newPage();
  await page.goto(`/s/${crabShop.slug}`);
  await page.getByTestId("account-link").click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(run.t("auth.signInTitle"));
  await signIn(page, run.t, run.phone, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("my-order").filter({ hasText: orderNumber })).toHaveCount(1);
  await expectFits(page);
  await context.close();
}

async function platformHides(browser: Browser, baseURL: string, run: Run) {
  const { t } = run;
  const context = await contextFor(browser, baseURL, run.way);
  const page = await context.newPage();
  await signInAsPlatformAdmin(page, t);
  await page.goto("/platform/reviews?status=PUBLISHED");
  const review = page.getByTestId("moderated-review").filter({ hasText: run.reviewText });
  await expect(review).toHaveCount(1);
  await review.getByLabel(t("reviews.platform.reason")).fill("测试：隐藏这条评价");
  await review.getByRole("button", { name: t("reviews.platform.hide"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("reviews.platform.done.hide") })).toBeVisible();
  await page.goto("/platform/reviews?status=HIDDEN");
  await expect(page.getByTestId("moderated-review").filter({ hasText: run.reviewText })).toContainText(
    t("reviews.platform.hiddenReason", { reason: "测试：隐藏这条评价" }),
  );

  // The blocklist: a word added, refused the second time, removed.
  const word = `拼多多${run.phone.slice(-8)}`;
  const blocklist = page.locator("#blocklist");
  const addWord = async () => {
    await blocklist.getByLabel(t("reviews.platform.newWord"), { exact: true }).fill(word);
    await blocklist.getByRole("button", { name: t("reviews.platform.addWord"), exact: true }).click();
  };
  await addWord();
  await expect(blocklist.getByRole("status")).toHaveText(t("reviews.platform.done.addWord"));
  await expect(blocklist.getByTestId("blocked-words")).toContainText(word);
  await addWord();
  await expect(blocklist.getByRole("alert")).toHaveText(t("reviews.errors.wordDuplicate"));
  await blocklist.getByRole("button", { name: t("reviews.platform.removeWord", { word }), exact: true }).click();
  await expect(blocklist.getByRole("status")).toHaveText(t("reviews.platform.done.removeWord"));
  await expect(blocklist.getByTestId("blocked-words")).not.toContainText(word);
  await expectFits(page);

  // The zero-result query (issue #13 "Done when"; docs/decisions/026-search-queries.md): a buyer's
  // search that finds nothing is on the admin's weekly queries page, with a link to add a synonym.
  const nothing = `zzqx${run.phone.slice(-8)}`;
  const buyer = await (await contextFor(browser, baseURL, run.way)).newPage();
  await buyer.goto("/");
  const box = buyer.getByRole("search").getByLabel(t("market.search.label"), { exact: true });
  await box.fill(nothing);
  await box.press("Enter");
  await expect(buyer.getByTestId("empty-title")).toHaveText(t("market.search.empty.titleQuery", { q: nothing }));
  await buyer.context().close();
  // Searches are counted in batches, written within a second (decision 035): the admin looks
  // again until the buyer's search is there.
  const zero = page.getByTestId("zero-queries").getByRole("row").filter({ hasText: nothing });
  await expect(async () => {
    await page.goto("/platform/search/queries");
    await expect(zero).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expectFits(page);
  await zero.getByRole("link", { name: t("search.queries.addSynonymFor", { query: nothing }), exact: true }).click();
  await expect(page.getByLabel(t("search.synonyms.wordsLabel"), { exact: true })).toHaveValue(`${nothing} `);

  await context.close();
  // Gone from the crab's pages.
  const buyerView = await (await contextFor(browser, baseURL, run.way)).newPage();
  await expect(await reviewOnPage(buyerView, run)).toHaveCount(0);
  await buyerView.context().close();
}

for (const [index, way] of WAYS.entries()) {
  test.describe(`buying crabs and reviewing them (${title(way)})`, () => {
    test.use({ locale: way.locale, javaScriptEnabled: way.js, viewport: way.viewport });

    test("search 螃蟹, 立即购买, delivered, review with a photo, the reply, the card; sign in again; hidden", async ({
      page,
      browser,
      baseURL,
    }) => {
      test.setTimeout(180_000);
      const run = newRun(way, index);
      const photo = (await makeImages(test.info().outputPath("images"))).basket;
      await test.step("sign up from the header's 我的", () => signUpFromHeader(page, run));
      const orderNumber = await test.step("search 螃蟹, find the crabs, buy with 立即购买", () => buyNow(page, run));
      // The cooperative's owner, signed in on their own phone or desktop.
      const owner = await ownerPage(browser, baseURL!, run);
      await test.step("the cooperative packs, the county's partner delivers", () =>
        deliver(owner, baseURL!, run, orderNumber));
      await test.step("the buyer reviews the crab with a photo", () => writeReview(page, run, orderNumber, photo));
      await test.step("the cooperative replies", () => cooperativeReplies(owner, run));
      await owner.context().close();
      await test.step("the card shows the rating and 已售; the review page the photo and reply", () =>
        cardShowsRating(page, run));
      await test.step("a returning buyer signs in from the header and sees the order", () =>
        returningBuyer(browser, baseURL!, run, orderNumber));
      await test.step("the platform admin hides the review (and edits the blocklist)", () =>
        platformHides(browser, baseURL!, run));
    });
  });
}
