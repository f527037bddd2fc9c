import { expect, test, type Browser, type Locator, type Page } from "./support/test";
import { formatFen, formatShopperPrice } from "../../app/lib/money";
import { shanghaiToday } from "../../app/lib/time";
import { brandContrast, formatRatio, MIN_CONTRAST } from "../../app/modules/branding/contrast";
import { creditCodeCheckChar } from "../../app/modules/tenancy/credit-code";
import { translator, type Lng, type T } from "./support/i18n";
import { makeImages } from "./support/images";
import { signInAsPlatformAdmin } from "./support/two-factor";

// Issue #3, end to end on a phone: a cooperative signs up, creates and brands its shop, lists
// one product of each kind with photos, records a traceable batch, submits the shop; the
// platform admin approves it; buyers then see all of it on the storefront and the trace page.
// Labels and messages come from the app's own translations (./support/i18n), so the same
// journey runs in Chinese and in English; a few headings are also checked word for word.

type Images = Awaited<ReturnType<typeof makeImages>>;

/** Headings written out, to prove each page really is in the language the browser asked for. */
const HEADINGS: Record<Lng, Record<"signUp" | "overview" | "products" | "review" | "traceKicker", string>> = {
  "zh-CN": {
    signUp: "注册账号",
    overview: "店铺概览",
    products: "商品",
    review: "待审核的店铺",
    traceKicker: "产品溯源 · 从农田到餐桌",
  },
  en: {
    signUp: "Create an account",
    overview: "Overview",
    products: "Products",
    review: "Shops awaiting review",
    traceKicker: "Traceability · from the field to the table",
  },
};

const DAY_MS = 86_400_000;
const daysFromToday = (days: number) => shanghaiToday(new Date(Date.now() + days * DAY_MS));

/** Everything the cooperative types, unique per run so that the two journeys never meet. */
function journeyData(lng: Lng) {
  const stamp = Date.now().toString().slice(-8);
  const digit = lng === "en" ? "2" : "1";
  const tag = stamp.slice(-4);
  // 9 = registered with market regulation, 3 = farmers' cooperative, 320206 = Huishan; 9 more, then the check.
  const first17 = `93320206${digit}${stamp}`;
  const harvest = daysFromToday(-2);
  const name = { zh: `桃源村水蜜桃专业合作社${tag}`, en: `Taoyuan Peach Cooperative ${tag}` };
  return {
    lng,
    pick: (zh: string, en: string) => (lng === "en" ? en : zh),
    owner: {
      name: lng === "en" ? "Wang Taohua" : "王桃花",
      phone: `13${digit}${stamp}`,
      password: "peach-orchard-2026",
    },
    shop: {
      slug: `journey-${lng === "en" ? "en" : "zh"}-${stamp}`,
      name,
      village: { zh: "桃源村", en: "Taoyuan Village" },
      tagline: { zh: "太湖边的百年桃园", en: "A century-old peach orchard by Lake Tai" },
      story: {
        zh: "我们村种桃已有一百多年。\n合作社统一管护、统一采摘。",
        en: "Our village has grown peaches for over a century.",
      },
      contactName: "王桃花",
      creditCode: first17 + creditCodeCheckChar(first17)!,
      certification: { kind: "GREEN_FOOD", zh: "绿色食品 A 级", en: "Green Food grade A", number: "LB-18-2406010001A" },
    },
    colours: { tooLight: "#f5d76e", primary: "#1d5b3a", accent: "#f2c14e" },
    produce: {
      kind: "PRODUCE" as const,
      slug: "honey-peach",
      title: { zh: "阳山水蜜桃", en: "Yangshan honey peach" },
      summary: { zh: "皮薄汁多，入口即化", en: "Thin skin, very juicy" },
      variant: { zh: "6只装礼盒", en: "Gift box of 6", price: "168.50", fen: 16_850, unit: "盒", stock: 50 },
    },
    specialty: {
      kind: "SPECIALTY" as const,
      slug: "peach-gum",
      title: { zh: "野生桃胶", en: "Wild peach gum" },
      summary: { zh: "桃树自然分泌，晒干密封", en: "Collected from our trees, sun-dried" },
      gi: { name: "阳山水蜜桃", number: "GI-2024-0318" },
      variant: { zh: "250克罐装", en: "250 g jar", price: "58", fen: 5_800, unit: "罐", stock: 100 },
    },
    experience: {
      kind: "EXPERIENCE" as const,
      slug: "peach-picking",
      title: { zh: "桃园采摘半日游", en: "Half a day picking peaches" },
      summary: { zh: "跟着果农进园，自己摘自己尝", en: "Pick and taste with our growers" },
      meetingPoint: { zh: "桃源村村委会门口", en: "Taoyuan village committee gate" },
      variant: { zh: "成人票", en: "Adult ticket", price: "80", fen: 8_000, unit: "人" },
      slots: { from: daysFromToday(1), weeks: 4, time: "09:00", capacity: 20 },
    },
    batch: {
      product: { zh: "阳山水蜜桃（头茬）", en: "Yangshan honey peach, first picking" },
      harvest,
      quantity: "500",
      unit: "斤",
      plot: "桃源村东坡 3 号地块",
      pesticide: {
        zh: "吡虫啉",
        en: "Imidacloprid",
        interval: 7,
        appliedOn: daysBefore(harvest, 10),
        tooLate: daysBefore(harvest, 3),
      },
    },
  };
}
type Journey = ReturnType<typeof journeyData>;
type ProductSpec = Journey["produce"] | Journey["specialty"] | Journey["experience"];

/** The calendar date `days` before another ("2026-07-10" → "2026-06-30"). */
function daysBefore(isoDate: string, days: number) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** A trace code as labels and the trace page print it: "ABCD EFGH JKLM". */
const grouped = (code: string) => code.replace(/(.{4})(?=.)/g, "$1 ");

function rgb(hex: string) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/** Month and weekday names as the admin's forms print them. */
function calendarNames(lng: Lng) {
  const locale = lng === "en" ? "en-GB" : "zh-CN";
  const month = new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  return {
    month: (m: number) => month.format(new Date(Date.UTC(2000, m - 1, 1))),
    // 6 January 2024 was a Saturday.
    saturday: weekday.format(new Date(Date.UTC(2024, 0, 6))),
    sunday: weekday.format(new Date(Date.UTC(2024, 0, 7))),
  };
}

// ─── What a user relies on, checked the same way on every page ──────────────────────────

async function expectFitsPhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} scrolls sideways on a 360 px phone`).toBeLessThanOrEqual(0);
}

/** The picture is one of our responsive renditions, and it actually loaded. */
async function expectPictureLoaded(img: Locator) {
  await img.scrollIntoViewIfNeeded();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => (el.complete && el.naturalWidth > 0 ? el.currentSrc : "")), {
      message: "the picture did not load",
    })
    .toMatch(/\/media\/.+\.(avif|webp|jpe?g)$/);
  await expect(img.locator("xpath=..").locator("source[type='image/webp']")).toHaveAttribute(
    "srcset",
    /\/media\/\S+\.webp \d+w/,
  );
}

/** A picture keeps the shape its frame gives it on a narrow screen (not squeezed, not stretched). */
async function expectShape(img: Locator, ratio: number, what: string) {
  const box = (await img.boundingBox())!;
  expect(box.width / box.height, `${what}: ${box.width}×${box.height}`).toBeCloseTo(ratio, 1);
}

async function expectStatus(page: Page, text: string) {
  await expect(page.getByRole("status").filter({ hasText: text })).toBeVisible();
}

function adminNav(page: Page, t: T, section: "overview" | "products" | "batches" | "branding") {
  return page
    .getByRole("navigation", { name: t("admin.sections") })
    .getByRole("link", { name: t(`admin.nav.${section}`), exact: true });
}

/** Another person on another phone: a browser context of its own, with the project's screen. */
function phoneContext(browser: Browser, baseURL: string, lng: Lng) {
  const { viewport, hasTouch } = test.info().project.use;
  return browser.newContext({ baseURL, locale: lng === "en" ? "en-US" : "zh-CN", viewport, hasTouch });
}

// ─── The steps ─────────────────────────────────────────────────────────────────────────

async function signUpAndCreateShop(page: Page, t: T, j: Journey) {
  await page.goto("/signup");
  await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(HEADINGS[j.lng].signUp);
  await expectFitsPhone(page);
  await page.getByLabel(t("auth.name"), { exact: true }).fill(j.owner.name);
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(j.owner.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(j.owner.password);
  await page.getByRole("button", { name: t("auth.signUp"), exact: true }).click();

  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("admin.myShops"));
  await expect(page.getByTestId("no-shops")).toContainText(t("admin.noShopsTitle"));
  await page.getByRole("link", { name: t("admin.createShop"), exact: true }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("shopsetup.new.title"));
  const field = (key: string) => page.getByLabel(t(`shopsetup.form.${key}`), { exact: true });
  await field("nameZh").fill(j.shop.name.zh);
  await field("nameEn").fill(j.shop.name.en);
  // With JavaScript the slug follows the name (the server knows pinyin) until the owner types one.
  await expect(field("slug")).not.toHaveValue("");
  await field("slug").fill(j.shop.slug);
  const county = field("county");
  const countyLabel = (await county.locator("option").nth(1).textContent())!;
  await county.selectOption({ label: countyLabel });
  await field("villageZh").fill(j.shop.village.zh);
  await field("villageEn").fill(j.shop.village.en);
  await field("taglineZh").fill(j.shop.tagline.zh);
  await field("taglineEn").fill(j.shop.tagline.en);
  await field("storyZh").fill(j.shop.story.zh);
  await field("storyEn").fill(j.shop.story.en);
  await field("contactName").fill(j.shop.contactName);
  await field("contactPhone").fill(j.owner.phone);
  await field("creditCode").fill(j.shop.creditCode);
  await field("certKind").selectOption(j.shop.certification.kind);
  await field("certNameZh").fill(j.shop.certification.zh);
  await field("certNameEn").fill(j.shop.certification.en);
  await field("certNumber").fill(j.shop.certification.number);
  await expect(field("slug")).toHaveValue(j.shop.slug);
  await expectFitsPhone(page);
  await page.getByRole("button", { name: t("shopsetup.new.submit"), exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/admin/${j.shop.slug}\\?created=1$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(HEADINGS[j.lng].overview);
  await expectStatus(page, t("shopsetup.overview.notice.created"));
  await expect(page.getByTestId("shop-status")).toHaveText(t("admin.status.DRAFT"));
  // The credit code is in; the logo and a product with a photo are still to do.
  await expect(page.getByTestId("check-creditCode")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("check-logo")).toHaveAttribute("data-done", "false");
  await expect(page.getByTestId("check-productWithPhoto")).toHaveAttribute("data-done", "false");
  await expectFitsPhone(page);
}

async function brandShop(page: Page, t: T, j: Journey, images: Images) {
  await adminNav(page, t, "branding").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("media.branding.title"));
  const primary = page.getByLabel(t("media.branding.hex", { label: t("media.branding.primary") }), { exact: true });
  const accent = page.getByLabel(t("media.branding.hex", { label: t("media.branding.accent") }), { exact: true });
  const saveColours = page.getByRole("button", { name: t("media.branding.saveColours"), exact: true });
  const before = await primary.inputValue();

  // White text on a light yellow header would be unreadable: refused, with the ratio explained.
  await primary.fill(j.colours.tooLight);
  await saveColours.click();
  const tooLow = brandContrast(j.colours.tooLight, await accent.inputValue()).primary;
  expect(tooLow).toBeLessThan(MIN_CONTRAST);
  await expect(
    page.getByRole("alert").filter({
      hasText: t("media.branding.errors.primaryContrast", { ratio: formatRatio(tooLow), min: String(MIN_CONTRAST) }),
    }),
  ).toBeVisible();
  await page.reload();
  await expect(primary).toHaveValue(before);

  const ratios = brandContrast(j.colours.primary, j.colours.accent);
  expect(Math.min(ratios.primary, ratios.accent)).toBeGreaterThanOrEqual(MIN_CONTRAST);
  await primary.fill(j.colours.primary);
  await accent.fill(j.colours.accent);
  await saveColours.click();
  await expectStatus(page, t("media.branding.saved.colours"));
  await expect(primary).toHaveValue(j.colours.primary);
  await expect(accent).toHaveValue(j.colours.accent);

  for (const slot of ["logo", "banner"] as const) {
    const section = page.getByRole("region", { name: t(`media.branding.${slot}Title`), exact: true });
    await expect(section).toContainText(t(`media.branding.${slot}Empty`));
    await section.getByLabel(t(`media.branding.${slot}Choose`), { exact: true }).setInputFiles(images[slot]);
    await section.getByRole("button", { name: t("media.branding.upload"), exact: true }).click();
    await expectStatus(page, t(`media.branding.saved.${slot}`));
    await expectPictureLoaded(
      page.getByRole("region", { name: t(`media.branding.${slot}Title`), exact: true }).locator("img"),
    );
  }

  // Its own domain: pending, with the exact DNS record to add, until a check finds it (issue #9).
  const domain = `${j.shop.slug}.example.cn`;
  const own = page.getByRole("region", { name: t("media.branding.domainTitle"), exact: true });
  await own.getByLabel(t("media.branding.domain"), { exact: true }).fill(domain);
  await own.getByRole("button", { name: t("media.branding.saveDomain"), exact: true }).click();
  await expectStatus(page, t("media.branding.saved.domain"));
  await expect(own.getByTestId("domain-status")).toHaveAttribute("data-state", "pending");
  await expect(own).toContainText(t("media.branding.domainStatus.pendingTitle", { domain }));
  await expect(own.getByTestId("record-name")).toHaveText(`_yicun-verify.${domain}`);
  await expect(own.getByTestId("record-value")).toHaveText(/^yicun-verify=[0-9a-f]{32}$/);
  await expectFitsPhone(page);
  await own.getByRole("button", { name: t("media.branding.domainStatus.checkNow"), exact: true }).click();
  await expectStatus(page, t("media.branding.saved.domainChecked"));
  // No such record anywhere: still pending, and the page says when it looked.
  await expect(own.getByTestId("domain-status")).toHaveAttribute("data-state", "pending");
  await expect(own.getByTestId("domain-status")).not.toContainText(t("media.branding.domainStatus.neverChecked"));
  await expectFitsPhone(page);
}

async function addProduct(page: Page, t: T, j: Journey, spec: ProductSpec, photos: string[]) {
  const title = j.pick(spec.title.zh, spec.title.en);
  await adminNav(page, t, "products").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(HEADINGS[j.lng].products);
  if ((await page.getByTestId("no-products").count()) === 0) {
    await page.getByText(`+ ${t("catalog.list.add")}`, { exact: true }).click();
  }
  await page
    .getByTestId("kind-picker")
    .getByRole("link", { name: t(`kind.${spec.kind}`) })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    t("catalog.new.titleKind", { kind: t(`kind.${spec.kind}`) }),
  );

  const field = (key: string) => page.getByLabel(t(`catalog.product.${key}`), { exact: true });
  await field("titleZh").fill(spec.title.zh);
  await field("titleEn").fill(spec.title.en);
  await field("slug").fill(spec.slug);
  await field("summaryZh").fill(spec.summary.zh);
  await field("summaryEn").fill(spec.summary.en);
  const { month } = calendarNames(j.lng);
  if (spec.kind === "PRODUCE") {
    const season = page.getByRole("group", { name: t("catalog.product.harvestMonths") });
    for (const m of [6, 7, 8]) await season.getByLabel(month(m), { exact: true }).check();
    await field("coldChain").check();
    await field("shelfLifeDays").fill("7");
    await field("storageZh").fill("0–4℃ 冷藏");
  }
  if (spec.kind === "SPECIALTY") {
    await field("giName").fill(spec.gi.name);
    await field("giAuthNumber").fill(spec.gi.number);
    await field("shelfLifeDays").fill("365");
  }
  if (spec.kind === "EXPERIENCE") {
    await field("durationMinutes").fill("180");
    await field("meetingPointZh").fill(spec.meetingPoint.zh);
    await field("meetingPointEn").fill(spec.meetingPoint.en);
  }
  await expectFitsPhone(page);
  await page.getByRole("button", { name: t("catalog.new.submit"), exact: true }).click();
  await expectStatus(page, t("catalog.saved.created"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const productUrl = page.url().replace(/[?#].*$/, "");

  // Its variant, priced in 元 as people write prices.
  const variant = (key: string) => page.getByLabel(t(`catalog.variant.${key}`), { exact: true });
  await variant("titleZh").fill(spec.variant.zh);
  await variant("titleEn").fill(spec.variant.en);
  await variant("price").fill(spec.variant.price);
  await variant("unit").fill(spec.variant.unit);
  if ("stock" in spec.variant) await variant("initialStock").fill(String(spec.variant.stock));
  await page.getByRole("button", { name: t("catalog.variant.add"), exact: true }).click();
  await expectStatus(page, t("catalog.saved.variantCreated"));
  const row = page.getByTestId("variant");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(j.pick(spec.variant.zh, spec.variant.en));
  await expect(row).toContainText(`${formatFen(spec.variant.fen, j.lng)} / ${spec.variant.unit}`);
  if ("stock" in spec.variant) {
    await expect(row.getByTestId("variant-stock")).toHaveText(
      t("catalog.variant.stock", { count: spec.variant.stock }),
    );
  }

  if (spec.kind === "EXPERIENCE") await addWeekendSlots(page, t, j, spec);

  // Photos, two at once where there are two.
  await page.getByRole("link", { name: t("catalog.photos.manage"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("media.photos.title", { product: title }));
  await expect(page.getByTestId("no-photos")).toBeVisible();
  await page.getByLabel(t("media.photos.choose"), { exact: true }).setInputFiles(photos);
  await page.getByRole("button", { name: t("media.photos.upload"), exact: true }).click();
  await expect(page.getByTestId("upload-result")).toHaveText(
    t("media.photos.resultUploaded", { count: photos.length }),
  );
  const cards = page.getByTestId("photo");
  await expect(cards).toHaveCount(photos.length);
  await expect(cards.first()).toContainText(t("media.photos.cover"));
  for (const img of await cards.locator("img").all()) await expectPictureLoaded(img);
  await expectFitsPhone(page);

  // On sale.
  await page.getByRole("link", { name: t("media.photos.backToProduct") }).click();
  await expect(page).toHaveURL(productUrl);
  await field("status").selectOption("ACTIVE");
  await page.getByRole("button", { name: t("catalog.product.save"), exact: true }).click();
  await expectStatus(page, t("catalog.saved.product"));
  await expect(page.getByRole("link", { name: t("catalog.viewInShop"), exact: true })).toHaveAttribute(
    "href",
    `/s/${j.shop.slug}/p/${spec.slug}`,
  );
  await expectPictureLoaded(page.getByRole("region", { name: t("catalog.photos.title"), exact: true }).locator("img"));
}

async function addWeekendSlots(page: Page, t: T, j: Journey, spec: Journey["experience"]) {
  const { saturday, sunday } = calendarNames(j.lng);
  const bulk = page
    .locator("details")
    .filter({ has: page.getByText(`+ ${t("catalog.slots.bulkTitle")}`, { exact: true }) });
  await expect(page.getByTestId("no-slots")).toBeVisible();
  const weekdays = bulk.getByRole("group", { name: t("catalog.slots.weekdays") });
  await weekdays.getByLabel(saturday, { exact: true }).check();
  await weekdays.getByLabel(sunday, { exact: true }).check();
  await bulk.getByLabel(t("catalog.slots.times"), { exact: true }).fill(spec.slots.time);
  await bulk.getByLabel(t("catalog.slots.fromDate"), { exact: true }).fill(spec.slots.from);
  await bulk.getByLabel(t("catalog.slots.weeks"), { exact: true }).fill(String(spec.slots.weeks));
  await bulk.getByLabel(t("catalog.slots.capacity"), { exact: true }).fill(String(spec.slots.capacity));
  await bulk.getByRole("button", { name: t("catalog.slots.bulkCreate"), exact: true }).click();
  // Four weeks from tomorrow hold exactly four Saturdays and four Sundays.
  const count = spec.slots.weeks * 2;
  await expectStatus(page, t("catalog.saved.slots", { created: count, existed: 0 }));
  const slots = page.getByTestId("slot");
  await expect(slots).toHaveCount(count);
  const places = t("catalog.slots.placesLeft", { left: spec.slots.capacity, capacity: spec.slots.capacity });
  await expect(slots.filter({ hasText: places })).toHaveCount(count);
  await expect(slots.first()).toContainText(spec.slots.time);
}

async function recordBatch(page: Page, t: T, j: Journey) {
  const { batch } = j;
  await adminNav(page, t, "batches").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("batches.title"));
  await expect(page.getByTestId("no-batches")).toBeVisible();
  await page.getByRole("link", { name: t("batches.new"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("batches.newTitle"));

  const field = (key: string) => page.getByLabel(t(`batches.${key}`), { exact: true });
  // The 合格证 comes filled in from the shop's profile.
  await expect(field("certProducer")).toHaveValue(j.shop.name.zh);
  await expect(field("certContactPhone")).toHaveValue(j.owner.phone);
  await field("productNameZh").fill(batch.product.zh);
  await field("productNameEn").fill(batch.product.en);
  await field("harvestDate").fill(batch.harvest);
  await field("quantity").fill(batch.quantity);
  await field("quantityUnit").fill(batch.unit);
  await field("originPlotZh").fill(batch.plot);
  await page.getByLabel(t("batches.commitment.PESTICIDE_RESIDUE_COMPLIANT"), { exact: true }).check();
  await field("certBasis").selectOption("SELF_CHECK");
  await page.getByLabel(j.pick(j.produce.title.zh, j.produce.title.en), { exact: true }).check();

  const input = page.getByTestId("input-rows").locator("li").first();
  const inputField = (key: string) => input.getByLabel(t(`batches.${key}`), { exact: true });
  await inputField("inputKindLabel").selectOption("PESTICIDE");
  await inputField("inputNameZh").fill(batch.pesticide.zh);
  await inputField("inputNameEn").fill(batch.pesticide.en);
  await inputField("safetyInterval").fill(String(batch.pesticide.interval));
  // Harvested three days after spraying, inside the seven-day interval: refused.
  await inputField("appliedOn").fill(batch.pesticide.tooLate);
  await page.getByRole("button", { name: t("batches.create"), exact: true }).click();
  await expect(
    input.getByRole("alert").filter({
      hasText: t("batches.errors.withinSafetyInterval", { days: 3, interval: batch.pesticide.interval }),
    }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("batches.newTitle"));

  await inputField("appliedOn").fill(batch.pesticide.appliedOn);
  await expectFitsPhone(page);
  await page.getByRole("button", { name: t("batches.create"), exact: true }).click();
  await expectStatus(page, t("batches.saved"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(j.pick(batch.product.zh, batch.product.en));
  const traceCode = (await page.getByTestId("trace-code").textContent())!.replace(/\s/g, "");
  expect(traceCode).toMatch(/^[0-9A-Z]{12}$/);
  await expect(page.getByText(t("batches.notPublicYet"))).toBeVisible();

  // The label sheet: 24 stickers, each with a QR code (SVG) that opens /t/<code>, and the code in print.
  await page.getByRole("link", { name: t("batches.labels"), exact: true }).click();
  const sheet = page.getByTestId("label-sheet");
  const qr = sheet.getByRole("img", {
    name: t("batches.label.qrAlt", { url: `${new URL(page.url()).origin}/t/${traceCode}` }),
  });
  await expect(qr).toHaveCount(24);
  await expect(qr.first().locator("svg path").first()).toBeAttached();
  expect(
    await qr
      .first()
      .locator("svg")
      .evaluate((svg) => svg.getBoundingClientRect().width),
  ).toBeGreaterThan(40);
  await expect(sheet.getByText(grouped(traceCode), { exact: true })).toHaveCount(24);
  await expect(sheet).toContainText(t("batches.label.cert"));
  await expectFitsPhone(page);
  return traceCode;
}

async function submitForReview(page: Page, t: T) {
  await adminNav(page, t, "overview").click();
  for (const key of ["creditCode", "logo", "productWithPhoto"]) {
    await expect(page.getByTestId(`check-${key}`)).toHaveAttribute("data-done", "true");
  }
  await page.getByRole("button", { name: t("shopsetup.overview.submit"), exact: true }).click();
  await expectStatus(page, t("shopsetup.overview.notice.submitted"));
  await expect(page.getByTestId("shop-status")).toHaveText(t("admin.status.SUBMITTED"));
}

async function approveAsPlatformAdmin(browser: Browser, baseURL: string, t: T, j: Journey) {
  const context = await phoneContext(browser, baseURL, j.lng);
  const page = await context.newPage();
  await signInAsPlatformAdmin(page, t);
  await page.getByRole("link", { name: t("admin.platformLink"), exact: true }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(HEADINGS[j.lng].review);
  const review = page.getByTestId(`review-${j.shop.slug}`);
  await expect(review.getByRole("heading")).toHaveText(j.pick(j.shop.name.zh, j.shop.name.en));
  await expect(review).toContainText(j.shop.creditCode);
  await expect(review).toContainText(j.pick(j.shop.certification.zh, j.shop.certification.en));
  await expect(review.locator("dd").nth(2)).toHaveText("3"); // products on sale
  await expectFitsPhone(page);
  await review.getByRole("button", { name: t("platform.review.approve"), exact: true }).click();
  await expectStatus(page, t("platform.review.done.approve"));
  await expect(page.getByTestId(`review-${j.shop.slug}`)).toHaveCount(0);
  await context.close();
}

async function visitStorefront(browser: Browser, baseURL: string, t: T, j: Journey, traceCode: string) {
  // A buyer who was never signed in.
  const context = await phoneContext(browser, baseURL, j.lng);
  const page = await context.newPage();
  const shopName = j.pick(j.shop.name.zh, j.shop.name.en);
  const response = await page.goto(`/s/${j.shop.slug}`);
  expect(response!.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(shopName);
  await expect(page.getByText(j.pick(j.shop.tagline.zh, j.shop.tagline.en))).toBeVisible();

  // The brand: header colour, logo and banner.
  const header = page.locator("header").first();
  expect(await header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(j.colours.primary));
  await expect(header).toContainText(j.pick(j.shop.village.zh, j.shop.village.en));
  await expectPictureLoaded(header.locator("img"));
  await expectShape(header.locator("img"), 1, "the logo is square in the header");
  expect((await header.locator("img").boundingBox())!.width).toBeGreaterThanOrEqual(40);
  await expectPictureLoaded(page.locator("main picture").first().locator("img"));

  // The three products, each with its photo and its price.
  const cards = page.getByTestId("product-card");
  await expect(cards).toHaveCount(3);
  for (const spec of [j.produce, j.specialty, j.experience]) {
    const card = cards.filter({ hasText: j.pick(spec.title.zh, spec.title.en) });
    await expect(card).toContainText(t(`kind.${spec.kind}`));
    await expect(card).toContainText(formatShopperPrice(spec.variant.fen, j.lng));
    await expectPictureLoaded(card.locator("img"));
    await expectShape(card.locator("img"), 4 / 3, `${spec.kind}'s card shows its photo in the 4:3 frame`);
  }
  // Who stands behind the shop.
  const credentials = page.getByRole("region", { name: t("shop.credentials"), exact: true });
  await expect(credentials).toContainText(j.shop.creditCode);
  await expect(credentials).toContainText(j.pick(j.shop.certification.zh, j.shop.certification.en));
  await expectFitsPhone(page);

  const openProduct = async (spec: ProductSpec) => {
    await page.goto(`/s/${j.shop.slug}`);
    await cards.filter({ hasText: j.pick(spec.title.zh, spec.title.en) }).click();
    await expect(page).toHaveURL(new RegExp(`/s/${j.shop.slug}/p/${spec.slug}$`));
    await expect(page.getByTestId("product-title")).toHaveText(j.pick(spec.title.zh, spec.title.en));
    await expect(page.getByTestId("product-price")).toHaveText(formatShopperPrice(spec.variant.fen, j.lng));
    await expectPictureLoaded(page.getByTestId("gallery").locator("img").first());
    await expectFitsPhone(page);
  };

  // The experience: its slots with places left.
  await openProduct(j.experience);
  const slots = page.getByTestId("slots").locator("li");
  await expect(slots).toHaveCount(j.experience.slots.weeks * 2);
  await expect(slots.filter({ hasText: t("product.placesLeft", { count: j.experience.slots.capacity }) })).toHaveCount(
    j.experience.slots.weeks * 2,
  );
  await expect(page.getByText(j.pick(j.experience.meetingPoint.zh, j.experience.meetingPoint.en))).toBeVisible();

  // The specialty: its geographic indication.
  await openProduct(j.specialty);
  await expect(page.getByText(t("product.giAuth", { number: j.specialty.gi.number }))).toBeVisible();

  // The produce: its photos (two) and the trace code of its batch, which opens the record.
  await openProduct(j.produce);
  await expect(page.getByTestId("gallery").locator("img")).toHaveCount(2);
  await expect(page.getByTestId("variants").locator("li")).toContainText(
    t("product.unitPrice", { price: formatFen(j.produce.variant.fen, j.lng), unit: j.produce.variant.unit }),
  );
  await page.getByTestId("trace-code").getByRole("link", { name: traceCode, exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/t/${traceCode}$`));
  const record = page.getByTestId("trace-record");
  await expect(record.getByText(HEADINGS[j.lng].traceKicker, { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(j.pick(j.batch.product.zh, j.batch.product.en));
  await expect(record.getByTestId("trace-code")).toHaveText(grouped(traceCode));
  await expect(record).toContainText(t("trace.summaryInterval", { count: 10 }));

  const certificate = page.getByRole("region", { name: t("trace.certificate"), exact: true });
  await expect(certificate).toContainText(j.shop.name.zh); // the producer, as printed on the 合格证
  await expect(certificate).toContainText(j.owner.phone);
  const commitments = certificate.getByTestId("commitments").locator("li");
  await expect(commitments).toHaveCount(3);
  await expect(commitments).toContainText([
    t("trace.commitment.NO_BANNED_PESTICIDES"),
    t("trace.commitment.NO_ILLEGAL_ADDITIVES"),
    t("trace.commitment.PESTICIDE_RESIDUE_COMPLIANT"),
  ]);
  await expect(certificate).toContainText(t("batches.basis.SELF_CHECK"));

  const inputs = page.getByRole("region", { name: t("trace.inputs"), exact: true });
  await expect(inputs).toContainText(j.pick(j.batch.pesticide.zh, j.batch.pesticide.en));
  await expect(inputs).toContainText(t("trace.intervalMet"));

  const cooperative = page.getByRole("region", { name: t("trace.cooperative"), exact: true });
  await expect(cooperative.getByRole("link", { name: shopName, exact: true })).toHaveAttribute(
    "href",
    `/s/${j.shop.slug}`,
  );
  await expect(cooperative).toContainText(j.shop.creditCode);
  await expect(page.getByTestId("products").getByRole("link")).toHaveText([
    j.pick(j.produce.title.zh, j.produce.title.en),
  ]);
  expect(await header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb(j.colours.primary));
  await expectFitsPhone(page);
  await context.close();
}

// ─── The journey, in each language ─────────────────────────────────────────────────────

for (const [lng, locale] of [
  ["zh-CN", "zh-CN"],
  ["en", "en-US"],
] as const) {
  test.describe(`a cooperative's first shop (${lng})`, () => {
    test.use({ locale });

    test("signs up, builds and brands its shop, gets approved, and buyers see it all", async ({
      page,
      browser,
      baseURL,
    }) => {
      test.setTimeout(180_000);
      const t = translator(lng);
      const j = journeyData(lng);
      const images = await makeImages(test.info().outputPath("images"));

      await test.step("sign up and create the shop", () => signUpAndCreateShop(page, t, j));
      await test.step("brand it", () => brandShop(page, t, j, images));
      await test.step("list fresh produce", () => addProduct(page, t, j, j.produce, [images.orchard, images.basket]));
      await test.step("list a specialty", () => addProduct(page, t, j, j.specialty, [images.jar]));
      await test.step("list an experience with slots", () => addProduct(page, t, j, j.experience, [images.orchard]));
      const traceCode = await test.step("record a batch and print its labels", () => recordBatch(page, t, j));
      await test.step("submit for review", () => submitForReview(page, t));
      await test.step("the platform approves", () => approveAsPlatformAdmin(browser, baseURL!, t, j));

      await test.step("the owner sees the shop live", async () => {
        await page.reload();
        await expect(page.getByTestId("shop-status")).toHaveText(t("admin.status.LIVE"));
        await expect(
          page.getByRole("link", { name: t("shopsetup.overview.viewStorefront"), exact: true }),
        ).toHaveAttribute("href", `/s/${j.shop.slug}`);
      });
      await test.step("buyers see the storefront and the trace record", () =>
        visitStorefront(browser, baseURL!, t, j, traceCode));
    });
  });
}
