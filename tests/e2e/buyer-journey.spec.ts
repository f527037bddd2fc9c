import fs from "node:fs";
import { expect, test, type Browser, type Page } from "./support/test";
import { formatFen, formatShopperPrice } from "../../app/lib/money";
import { DEMO_OWNER } from "./support/demo-owner";
import { translator, type Lng, type T } from "./support/i18n";

// Issue #4, end to end on a phone: a buyer searches the marketplace for peaches, adds them,
// adds a product of a second cooperative and a session of an experience to the same cart,
// sees the cart grouped by shop, signs up (the guest cart is kept), sees a line flagged (not
// dropped) when its cooperative changes the price, and opens a batch's trace page from a
// product page. The same steps run in Chinese with JavaScript, in English, and in Chinese
// without JavaScript (plain form posts). Texts come from the app's own translations
// (./support/i18n); products, prices and batches from the demo packs in tenants/.

// ─── The demo packs ────────────────────────────────────────────────────────────────────

type Text = { zh: string; en: string };
interface PackVariant {
  sku: string;
  title: Text;
  unit: string;
  priceFen: number;
}
interface PackProduct {
  slug: string;
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  title: Text;
  variants: PackVariant[];
}
interface Pack {
  name: Text;
  products: PackProduct[];
  batches: { traceCode: string; products: string[]; productName: Text }[];
}

const pack = (slug: string): Pack => JSON.parse(fs.readFileSync(`tenants/${slug}/tenant.json`, "utf8")) as Pack;

/** What the buyer puts in the cart: a product of a demo shop, one of its options, how many. */
function item(shopSlug: string, productSlug: string, sku: string, quantity: number) {
  const shop = pack(shopSlug);
  const product = shop.products.find((p) => p.slug === productSlug)!;
  const variant = product.variants.find((v) => v.sku === sku)!;
  const batches = shop.batches.filter((b) => b.products.includes(productSlug));
  return { shopSlug, shop, product, variant, quantity, batches };
}
type Item = ReturnType<typeof item>;

// ─── The three ways ────────────────────────────────────────────────────────────────────

interface Way {
  title: string;
  lng: Lng;
  locale: string;
  js: boolean;
  /** What the buyer types into the marketplace's search box to find the peaches. */
  peachQuery: string;
  peach: Item;
  /** A product of a second cooperative, found by search; its cooperative then changes its price. */
  second: Item & { query: string; newPrice: string; newPriceFen: number };
  /** An experience session, opened from its shop's page. */
  experience: Item;
  buyer: { name: string; identifier: (stamp: string) => string };
}

// Each way uses its own second cooperative, so that the price one way changes never
// reaches another way's cart when they run at the same time.
const WAYS: Way[] = [
  {
    title: "in Chinese, with JavaScript",
    lng: "zh-CN",
    locale: "zh-CN",
    js: true,
    peachQuery: "桃",
    peach: item("yangshan-peach", "honey-peach-presale-2027", "YSP27-6", 1),
    second: {
      ...item("jurong-strawberry", "hongyan-strawberry", "JRS-HY-2J", 2),
      query: "红颜草莓",
      newPrice: "82",
      newPriceFen: 8_200,
    },
    experience: item("jurong-strawberry", "strawberry-picking", "JRS-PICK-ADULT", 2),
    buyer: { name: "李买家", identifier: (stamp) => `137${stamp}` },
  },
  {
    title: "in English",
    lng: "en",
    locale: "en-US",
    js: true,
    peachQuery: "peach",
    peach: item("yangshan-peach", "honey-peach-presale-2027", "YSP27-12", 1),
    second: {
      ...item("liyang-tea-stay", "winter-bamboo-shoots", "LYT-BS-5J", 1),
      query: "bamboo shoots",
      newPrice: "138.50",
      newPriceFen: 13_850,
    },
    experience: item("liyang-tea-stay", "bamboo-farm-stay", "LYT-STAY-TWIN", 1),
    buyer: { name: "Lucy Buyer", identifier: (stamp) => `lucy.${stamp}@example.com` },
  },
  {
    title: "without JavaScript",
    lng: "zh-CN",
    locale: "zh-CN",
    js: false,
    peachQuery: "桃",
    peach: item("yangshan-peach", "honey-peach-presale-2027", "YSP27-6", 2),
    second: {
      ...item("dongting-biluochun", "biluochun-yuqian", "DTB-YQ-100", 1),
      query: "碧螺春",
      newPrice: "158",
      newPriceFen: 15_800,
    },
    experience: item("dongting-biluochun", "tea-garden-tasting", "DTB-TASTE-1", 2),
    buyer: { name: "王买家", identifier: (stamp) => `135${stamp}` },
  },
];

// ─── Helpers ───────────────────────────────────────────────────────────────────────────

const BUYER_PASSWORD = "buyer-journey-2027";

/** The texts of the page's language, and the pack's bilingual texts in it. */
function words(way: Way) {
  const t = translator(way.lng);
  const pick = (text: Text) => (way.lng === "en" ? text.en : text.zh);
  const money = (fen: number) => formatFen(fen, way.lng);
  /** Tiles and the product page show prices as shoppers read them (¥168, ¥98.5: issue #13). */
  const shopperMoney = (fen: number) => formatShopperPrice(fen, way.lng);
  return { t, pick, money, shopperMoney };
}
type Words = ReturnType<typeof words>;

/** A trace code as the trace page prints it: "ABCD EFGH JKLM". */
const grouped = (code: string) => code.replace(/(.{4})(?=.)/g, "$1 ");

async function expectFitsPhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} scrolls sideways on a 360 px phone`).toBeLessThanOrEqual(0);
}

async function expectStatus(page: Page, text: string) {
  await expect(page.getByRole("status").filter({ hasText: text })).toBeVisible();
}

/** Another person on another phone (or the buyer on a second device). */
function phoneContext(browser: Browser, baseURL: string, way: Way) {
  const { viewport, hasTouch } = test.info().project.use;
  return browser.newContext({ baseURL, locale: way.locale, viewport, hasTouch, javaScriptEnabled: way.js });
}

async function signIn(page: Page, t: T, identifier: string, password: string) {
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(identifier);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
}

// ─── The steps ─────────────────────────────────────────────────────────────────────────

async function search(page: Page, { t }: Words, query: string) {
  const box = page.getByRole("search").getByLabel(t("market.search.label"), { exact: true });
  await box.fill(query);
  await page
    .getByRole("search")
    .getByRole("button", { name: t("market.search.submit"), exact: true })
    .click();
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByTestId("search-heading")).toHaveText(t("market.search.headingQuery", { q: query }));
  await expectFitsPhone(page);
}

/** The search result for an item: its card names the product, its price and the shop. */
function resultCard(page: Page, w: Words, it: Item) {
  return page
    .getByTestId("market-grid")
    .getByRole("listitem")
    .filter({ has: page.getByTestId("product-card").filter({ hasText: w.pick(it.product.title) }) });
}

/** The price a card or a product page shows: "from" only when the options' prices differ. */
function shownPrice(w: Words, it: Item) {
  const prices = it.product.variants.map((v) => v.priceFen);
  const min = Math.min(...prices);
  const shown = w.shopperMoney(min);
  return prices.some((p) => p !== min) ? w.t("product.from", { price: shown }) : shown;
}

/**
 * Adds an item on its product page. With JavaScript the page stays where it is (no
 * navigation, the header's count follows); without, the form posts and comes back with a
 * notice. Returns the session's time as the page printed it, for an experience.
 */
async function addToCart(page: Page, way: Way, w: Words, it: Item, countAfter: number) {
  const { t } = w;
  await expect(page.getByTestId("product-title")).toHaveText(w.pick(it.product.title));
  const form = page.getByTestId("add-to-cart");
  await expect(form.getByRole("heading", { name: t("cart.form.heading") })).toBeVisible();
  // The options are listed once, as the choices of the form.
  await expect(page.getByTestId("variants").getByRole("radio")).toHaveCount(it.product.variants.length);
  const option = form.getByRole("radio", { name: w.pick(it.variant.title) });
  await option.check();
  await expect(option).toBeChecked();
  await expect(
    form
      .getByTestId("variants")
      .locator("li")
      .filter({ hasText: w.pick(it.variant.title) }),
  ).toContainText(t("product.unitPrice", { price: w.money(it.variant.priceFen), unit: it.variant.unit }));

  let slotTime: string | null = null;
  if (it.product.kind === "EXPERIENCE") {
    const sessions = form.getByRole("group", { name: t("cart.form.slot") });
    const first = sessions
      .getByRole("listitem")
      .filter({ has: page.locator("input:enabled") })
      .first();
    await first.getByRole("radio").check();
    slotTime = (await first.getByTestId("slot-time").textContent())!.trim();
  }
  await form.getByLabel(t("cart.form.quantity"), { exact: true }).fill(String(it.quantity));
  await expectFitsPhone(page);

  const submit = form.getByRole("button", { name: t("cart.form.submit"), exact: true });
  if (way.js) {
    // Hydrated: the form then posts through a fetcher.
    await expect(form.locator("input[name=js]")).toBeAttached();
    const url = page.url();
    let navigations = 0;
    const count = (frame: { parentFrame(): unknown }) => {
      if (!frame.parentFrame()) navigations++;
    };
    page.on("framenavigated", count);
    await page.evaluate(() => ((window as unknown as { journeyMarker: string }).journeyMarker = "still here"));
    await submit.click();
    await expect(form.getByRole("button", { name: t("cart.form.added"), exact: true })).toBeVisible();
    await expect(form.getByRole("status").getByRole("link", { name: t("cart.form.viewCart") })).toBeVisible();
    page.off("framenavigated", count);
    expect(navigations, "adding to the cart navigated away").toBe(0);
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => (window as unknown as { journeyMarker?: string }).journeyMarker)).toBe(
      "still here",
    );
  } else {
    await submit.click();
    await expect(page).toHaveURL(/[?&]added=1/);
    await expectStatus(page, t("cart.form.added"));
    await expect(form.getByRole("status").getByRole("link", { name: t("cart.form.viewCart") })).toBeVisible();
  }
  await expect(page.getByTestId("cart-link")).toHaveText(t("cart.link", { count: countAfter }));
  await expect(page.getByTestId("cart-link")).toHaveAccessibleName(t("cart.linkLabel", { count: countAfter }));
  return slotTime;
}

async function findAndAddPeaches(page: Page, way: Way, w: Words) {
  const { t } = w;
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", way.lng);
  await expect(page.getByTestId("cart-link")).toHaveText(t("cart.link", { count: 0 }));
  await search(page, w, way.peachQuery);
  const card = resultCard(page, w, way.peach);
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(w.pick(way.peach.shop.name)); // the shop that sells it
  await expect(card).toContainText(shownPrice(w, way.peach));
  await card.getByTestId("product-card").click();
  await expect(page).toHaveURL(new RegExp(`/s/${way.peach.shopSlug}/p/${way.peach.product.slug}$`));
  await expect(page.getByTestId("product-price")).toHaveText(shownPrice(w, way.peach));
  await expectFitsPhone(page);
  await addToCart(page, way, w, way.peach, 1);
}

async function addSecondShopAndExperience(page: Page, way: Way, w: Words) {
  const { t } = w;
  // Back to the marketplace, and a product of another cooperative.
  await page.getByRole("link", { name: t("shop.platformHome") }).click();
  await expect(page).toHaveURL(/\/$/);
  await search(page, w, way.second.query);
  const card = resultCard(page, w, way.second);
  await expect(card).toContainText(shownPrice(w, way.second));
  await card.getByTestId("product-card").click();
  await expect(page).toHaveURL(new RegExp(`/s/${way.second.shopSlug}/p/${way.second.product.slug}$`));
  await addToCart(page, way, w, way.second, 2);

  // The cooperative's experience, from its shop page.
  const shopName = w.pick(way.experience.shop.name);
  await page.getByRole("link", { name: t("product.backToShop", { shop: shopName }) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(shopName);
  // The name sits on one line of the header (a long one is cut off with "…", the full name
  // its text and title: issue #13), with the cart link beside it on a 360 px phone.
  const header = page.locator("header").first();
  const name = header.getByTestId("shop-name");
  await expect(name).toHaveText(shopName);
  await expect(name).toHaveAttribute("title", shopName);
  expect(
    await name.evaluate((el) => el.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(el).lineHeight)),
  ).toBe(true);
  await expect(header.getByTestId("cart-link")).toBeInViewport();
  await expectFitsPhone(page);
  const experienceCard = page.getByTestId("product-card").filter({ hasText: w.pick(way.experience.product.title) });
  await expect(experienceCard).toContainText(shownPrice(w, way.experience));
  await experienceCard.click();
  const slotTime = await addToCart(page, way, w, way.experience, 3);
  return slotTime!;
}

interface Expected {
  peachFen: number;
  secondFen: number;
  experienceFen: number;
}

/** The cart, grouped by shop in the order things were added, with subtotals and a total. */
async function expectCart(page: Page, way: Way, w: Words, slotTime: string, prices: Expected) {
  const { t, pick, money } = w;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("cart.title"));
  const shops = page.getByTestId("cart-shop");
  await expect(shops).toHaveCount(2);
  const shopNames = shops.getByRole("heading", { level: 2 });
  await expect(shopNames).toHaveText([pick(way.peach.shop.name), pick(way.second.shop.name)]);
  for (const name of await shopNames.all()) {
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth), "a shop's name is cut off").toBe(true);
  }

  const peachShop = shops.nth(0);
  const peachLine = peachShop.getByTestId("cart-line");
  await expect(peachLine).toHaveCount(1);
  await expect(peachLine).toContainText(pick(way.peach.product.title));
  await expect(peachLine).toContainText(pick(way.peach.variant.title));
  await expect(peachLine.getByLabel(t("cart.quantityOf", { title: pick(way.peach.product.title) }))).toHaveValue(
    String(way.peach.quantity),
  );
  await expect(peachLine.getByTestId("line-total")).toHaveText(money(prices.peachFen * way.peach.quantity));
  await expect(peachShop.getByTestId("shop-subtotal")).toHaveText(money(prices.peachFen * way.peach.quantity));

  const secondShop = shops.nth(1);
  const lines = secondShop.getByTestId("cart-line");
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText(pick(way.second.product.title));
  await expect(lines.nth(0)).toContainText(pick(way.second.variant.title));
  await expect(lines.nth(0)).toContainText(
    t("cart.unitPrice", { price: money(prices.secondFen), unit: way.second.variant.unit }),
  );
  await expect(lines.nth(0).getByTestId("line-total")).toHaveText(money(prices.secondFen * way.second.quantity));
  await expect(lines.nth(1)).toContainText(pick(way.experience.product.title));
  await expect(lines.nth(1)).toContainText(pick(way.experience.variant.title));
  await expect(lines.nth(1)).toContainText(t("cart.slot", { time: slotTime }));
  await expect(lines.nth(1).getByTestId("line-total")).toHaveText(
    money(prices.experienceFen * way.experience.quantity),
  );
  const secondSubtotal = prices.secondFen * way.second.quantity + prices.experienceFen * way.experience.quantity;
  await expect(secondShop.getByTestId("shop-subtotal")).toHaveText(money(secondSubtotal));
  await expect(page.getByTestId("cart-total")).toHaveText(money(prices.peachFen * way.peach.quantity + secondSubtotal));
  await expectFitsPhone(page);
}

async function signUpKeepsCart(page: Page, way: Way, w: Words, slotTime: string, prices: Expected) {
  const { t } = w;
  const stamp = Date.now().toString().slice(-8);
  const identifier = way.buyer.identifier(stamp);
  await expect(page.getByText(t("cart.signInHint"))).toBeVisible();
  await page.getByRole("link", { name: t("cart.signIn"), exact: true }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fcart$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("auth.signInTitle"));
  await page.getByRole("link", { name: t("auth.signUp"), exact: true }).click();
  await expect(page).toHaveURL(/\/signup\?redirectTo=%2Fcart$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("auth.signUpTitle"));
  await page.getByLabel(t("auth.name"), { exact: true }).fill(way.buyer.name);
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(identifier);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(BUYER_PASSWORD);
  await expectFitsPhone(page);
  await page.getByRole("button", { name: t("auth.signUp"), exact: true }).click();

  // Back in the cart, now the account's: every line is still there.
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByText(t("cart.signInHint"))).toHaveCount(0);
  await expectCart(page, way, w, slotTime, prices);
  return identifier;
}

/** The cooperative's owner changes the price of the buyer's second item, in the shop's admin. */
async function ownerChangesPrice(browser: Browser, baseURL: string, way: Way, w: Words) {
  const { t, pick, money } = w;
  const context = await phoneContext(browser, baseURL, way);
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, t, DEMO_OWNER.phone, DEMO_OWNER.password);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("link", { name: pick(way.second.shop.name) }).click();
  await page
    .getByRole("navigation", { name: t("admin.sections") })
    .getByRole("link", { name: t("admin.nav.products"), exact: true })
    .click();
  await page
    .getByTestId("product-list")
    .getByRole("link", { name: pick(way.second.product.title) })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(pick(way.second.product.title));

  const row = page.getByTestId("variant").filter({ hasText: way.second.variant.sku });
  await expect(row).toContainText(`${money(way.second.variant.priceFen)} / ${way.second.variant.unit}`);
  await row.getByText(t("catalog.variant.edit"), { exact: true }).click();
  await row.getByLabel(t("catalog.variant.price"), { exact: true }).fill(way.second.newPrice);
  await row.getByRole("button", { name: t("catalog.variant.save"), exact: true }).click();
  await expectStatus(page, t("catalog.saved.variant"));
  await expect(page.getByTestId("variant").filter({ hasText: way.second.variant.sku })).toContainText(
    `${money(way.second.newPriceFen)} / ${way.second.variant.unit}`,
  );
  await context.close();
}

/** The changed line is flagged with what changed, never dropped; totals use the new price. */
async function cartFlagsStaleLine(page: Page, way: Way, w: Words, slotTime: string, prices: Expected) {
  const { t, money } = w;
  await page.goto("/cart");
  const now = { ...prices, secondFen: way.second.newPriceFen };
  await expectCart(page, way, w, slotTime, now);
  const flags = page.getByTestId("cart-flags").locator("li");
  await expect(flags).toHaveCount(1);
  const flagged = page.getByTestId("cart-line").filter({ has: page.getByTestId("cart-flags") });
  await expect(flagged).toContainText(w.pick(way.second.product.title));
  await expect(flags).toHaveAttribute("data-flag", "PRICE_CHANGED");
  await expect(flags).toHaveText(
    t("cart.flags.PRICE_CHANGED", { from: money(way.second.variant.priceFen), to: money(way.second.newPriceFen) }),
  );
  await expect(page.getByText(t("cart.pricesChanged"))).toBeVisible();
  await expect(page.getByText(t("cart.totalNote"))).toBeVisible();

  // The buyer accepts the new price: the notice goes, the line and the totals stay.
  await page.getByRole("button", { name: t("cart.acceptPrices"), exact: true }).click();
  await expectStatus(page, t("cart.pricesAccepted"));
  await expect(page.getByTestId("cart-flags")).toHaveCount(0);
  await expect(page.getByText(t("cart.totalNotePlain"))).toBeVisible();
  await expectCart(page, way, w, slotTime, now);
  return now;
}

/** Signed in on another device, the buyer finds the same cart. */
async function signInElsewhere(
  browser: Browser,
  baseURL: string,
  way: Way,
  w: Words,
  identifier: string,
  slotTime: string,
  prices: Expected,
) {
  const context = await phoneContext(browser, baseURL, way);
  const page = await context.newPage();
  await page.goto("/cart");
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await page.getByRole("link", { name: w.t("cart.signIn"), exact: true }).click();
  await signIn(page, w.t, identifier, BUYER_PASSWORD);
  await expect(page).toHaveURL(/\/cart$/);
  await expectCart(page, way, w, slotTime, prices);
  await context.close();
}

/** From the cart to the second item's product page, and from there the trace record of its batch. */
async function openTracePage(page: Page, way: Way, w: Words) {
  const { t, pick } = w;
  const title = pick(way.second.product.title);
  await page.getByTestId("cart-shop").nth(1).getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/s/${way.second.shopSlug}/p/${way.second.product.slug}$`));
  await expect(page.getByTestId("product-title")).toHaveText(title);
  // The product page shows the price the cooperative set.
  await expect(
    page
      .getByTestId("variants")
      .locator("li")
      .filter({ hasText: pick(way.second.variant.title) }),
  ).toContainText(t("product.unitPrice", { price: w.money(way.second.newPriceFen), unit: way.second.variant.unit }));
  const codes = page.getByTestId("trace-code").getByRole("link");
  await expect(codes).toHaveCount(way.second.batches.length);
  const code = (await codes.first().textContent())!.trim();
  const batch = way.second.batches.find((b) => b.traceCode === code);
  expect(batch, `${code} is a batch of ${way.second.product.slug}`).toBeDefined();
  await codes.first().click();

  await expect(page).toHaveURL(new RegExp(`/t/${code}$`));
  const record = page.getByTestId("trace-record");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(pick(batch!.productName));
  await expect(record.getByTestId("trace-code")).toHaveText(grouped(code));
  const cooperative = page.getByRole("region", { name: t("trace.cooperative"), exact: true });
  await expect(cooperative.getByRole("link", { name: pick(way.second.shop.name), exact: true })).toHaveAttribute(
    "href",
    `/s/${way.second.shopSlug}`,
  );
  await expect(page.getByTestId("products").getByRole("link", { name: pick(way.second.product.title) })).toBeVisible();
  await expectFitsPhone(page);
}

/** The whole journey, one way. */
async function buyerJourney(page: Page, browser: Browser, baseURL: string, way: Way) {
  const w = words(way);
  const prices: Expected = {
    peachFen: way.peach.variant.priceFen,
    secondFen: way.second.variant.priceFen,
    experienceFen: way.experience.variant.priceFen,
  };
  await test.step("search 桃 / peach on the marketplace and add the Yangshan peaches", () =>
    findAndAddPeaches(page, way, w));
  const slotTime = await test.step("add a second cooperative's product and an experience session", () =>
    addSecondShopAndExperience(page, way, w));
  await test.step("the cart groups the lines by shop, with subtotals and a total", async () => {
    await page.getByTestId("cart-link").click();
    await expect(page).toHaveURL(/\/cart$/);
    await expectCart(page, way, w, slotTime, prices);
  });
  const identifier = await test.step("sign up from the cart; the guest cart is kept", () =>
    signUpKeepsCart(page, way, w, slotTime, prices));
  await test.step("the cooperative changes a price in its admin", () => ownerChangesPrice(browser, baseURL, way, w));
  const now = await test.step("the cart flags the line with the change, and keeps it", () =>
    cartFlagsStaleLine(page, way, w, slotTime, prices));
  await test.step("signed in on another phone, the same cart", () =>
    signInElsewhere(browser, baseURL, way, w, identifier, slotTime, now));
  await test.step("a product page opens its batch's trace record", () => openTracePage(page, way, w));
}

for (const way of WAYS) {
  test.describe(`a buyer's journey across shops (${way.title})`, () => {
    test.use({ locale: way.locale, javaScriptEnabled: way.js });

    test("finds, fills one cart across shops, signs up, sees a changed price flagged, opens a trace record", async ({
      page,
      browser,
      baseURL,
    }) => {
      test.setTimeout(120_000);
      await buyerJourney(page, browser, baseURL!, way);
    });
  });
}
