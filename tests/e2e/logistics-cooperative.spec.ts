import fs from "node:fs";
import { expect, test, type Browser, type Page } from "./support/test";
import { DEMO_OWNER } from "./support/demo-owner";
import { translator, type Lng } from "./support/i18n";
import { logisticsControlPort } from "./support/logistics-control";

// Issue #10 end to end, on a 360 px phone, in zh-CN and in en: a buyer orders from 句容 paying
// cash on delivery; the cooperative accepts it, packs two parcels (weight, cold chain) and opens
// the parcel labels — two 100 × 150 mm pages, the app's frame not printed; the county's partner
// (played through the logistics module by the test's setup) accepts and reports events; the
// buyer's order page shows the shipment and its timeline.

const jurong = JSON.parse(fs.readFileSync("tenants/jurong-strawberry/tenant.json", "utf8")) as {
  slug: string;
  name: { zh: string; en: string };
};
const PARTNER = { nameZh: "句容县级物流中心", nameEn: "Jurong County Logistics Centre" };

function control(baseURL: string) {
  const port = logisticsControlPort(Number(new URL(baseURL).port));
  return async (path: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
}

async function ownerPage(browser: Browser, baseURL: string, lng: Lng) {
  const t = translator(lng);
  const context = await browser.newContext({ baseURL, locale: lng, viewport: { width: 360, height: 780 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(DEMO_OWNER.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}

async function buy(page: Page, lng: Lng, phone: string) {
  const t = translator(lng);
  await page.goto(`/s/${jurong.slug}/p/strawberry-jam`);
  await page.getByTestId("add-to-cart").getByTestId("add-to-cart-submit").click();
  await expect(page.getByTestId("add-to-cart-submit")).toHaveText(t("cart.form.added"));
  await page.goto("/cart");
  await page.getByTestId("checkout-link").click();
  await expect(page).toHaveURL(/\/checkout$/);
  await page.getByLabel(t("checkout.contact.name"), { exact: true }).fill("周买家");
  await page.getByLabel(t("checkout.contact.phone"), { exact: true }).fill(phone);
  const shop = page.getByTestId("checkout-shop").filter({ hasText: lng === "en" ? jurong.name.en : jurong.name.zh });
  await shop.getByTestId("delivery-HOME").check();
  await shop.getByLabel(t("checkout.shop.region")).fill("江苏省 南京市 鼓楼区");
  await shop.getByLabel(t("checkout.shop.addressLine")).fill("中山北路 200 号");
  await page.getByTestId("provider-OFFLINE").check();
  await page.getByRole("radio", { name: t("checkout.payment.COD"), exact: true }).check();
  await page.getByTestId("place-order").click();
  await expect(page).toHaveURL(/\/orders\/\d{12}$/);
  return page.url().split("/").pop()!;
}

/** Pages of a PDF and the size of each (points), read from its /MediaBox entries. */
function pdfPages(pdf: Buffer) {
  const text = pdf.toString("latin1");
  const pages = text.match(/\/Type\s*\/Page[^s]/g) ?? [];
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => ({
    width: Number(m[3]) - Number(m[1]),
    height: Number(m[4]) - Number(m[2]),
  }));
  return { count: pages.length, boxes };
}

const MM = 72 / 25.4;

for (const lng of ["zh-CN", "en"] as const) {
  test.describe(`in ${lng}`, () => {
    test.use({ locale: lng });

    test("a cooperative packs two parcels and prints their labels; the buyer sees the partner's timeline", async ({
      page,
      browser,
      baseURL,
    }) => {
      test.setTimeout(150_000);
      const t = translator(lng);
      const call = control(baseURL!);
      const partner = await call("/partner", { shop: jurong.slug, ...PARTNER });

      const number = await buy(page, lng, lng === "en" ? "138 1234 5671" : "138 1234 5670");
      const mobile = lng === "en" ? "13812345671" : "13812345670";

      // The cooperative accepts the cash-on-delivery order and packs: 2 parcels, 3.5 kg, cold chain.
      const owner = await ownerPage(browser, baseURL!, lng);
      await owner.goto(`/admin/${jurong.slug}/orders`);
      await owner.getByTestId("order-list").getByRole("link").filter({ hasText: number }).click();
      await owner.getByRole("button", { name: t("orders.action.accept") }).click();
      await expect(owner.getByText(t("orders.done.accept"))).toBeVisible();

      const form = owner.getByTestId("pack-form");
      await form.getByLabel(t("packing.weight")).fill("abc");
      await form.getByLabel(t("packing.parcels")).fill("2");
      await form.getByRole("button", { name: t("orders.action.pack") }).click();
      await expect(form.getByRole("alert")).toHaveText(t("packing.errors.weightInvalid"));
      await expect(owner.getByTestId("shipment")).toHaveCount(0);

      await form.getByLabel(t("packing.parcels")).fill("2");
      await form.getByLabel(t("packing.weight")).fill("3.5");
      await form.getByLabel(t("packing.coldChain")).check();
      await form.getByRole("button", { name: t("orders.action.pack") }).click();
      await expect(owner.getByText(t("orders.done.pack"))).toBeVisible();
      const shipment = owner.getByTestId("shipment");
      await expect(shipment.getByTestId("shipment-partner")).toHaveText(lng === "en" ? PARTNER.nameEn : PARTNER.nameZh);
      await expect(shipment.getByTestId("shipment-status")).toHaveText(t("shipments.status.ASSIGNED"));
      await expect(shipment.getByTestId("shipment-timeline")).toContainText(t("shipments.event.created"));
      // A partner carries it now: no "handed over" button for the cooperative.
      await expect(owner.getByRole("button", { name: t("orders.action.handOver") })).toHaveCount(0);
      const shopOrderNumber = owner.url().split("/").pop()!.split("?")[0]!;
      expect(await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );

      // The labels: one per parcel, 100 × 150 mm pages, the mobile masked, the frame not printed.
      await shipment.getByTestId("print-labels").click();
      await expect(owner).toHaveURL(new RegExp(`/orders/${shopOrderNumber}/labels$`));
      const labels = owner.getByTestId("parcel-label");
      await expect(labels).toHaveCount(2);
      await expect(labels.nth(1).getByTestId("label-parcel-of")).toHaveText(
        t("packing.labels.parcelOf", { index: 2, count: 2 }),
      );
      await expect(labels.first().getByTestId("label-mobile")).toHaveText(
        `${mobile.slice(0, 3)}****${mobile.slice(7)}`,
      );
      await expect(labels.first().getByTestId("label-cold-chain")).toBeVisible();
      await expect(labels.first().getByTestId("label-cod")).toBeVisible();
      await expect(owner.locator("body")).not.toContainText(mobile);
      await owner.emulateMedia({ media: "print" });
      await expect(owner.locator("header").first()).toBeHidden();
      await expect(labels.first()).toBeVisible();
      const pdf = pdfPages(await owner.pdf({ preferCSSPageSize: true, printBackground: true }));
      expect(pdf.count).toBe(2);
      for (const box of pdf.boxes) {
        expect(Math.abs(box.width - 100 * MM)).toBeLessThan(1.5);
        expect(Math.abs(box.height - 150 * MM)).toBeLessThan(1.5);
      }
      await owner.emulateMedia({ media: "screen" });
      await owner.context().close();

      // The partner accepts and reports (the test's setup plays it through the logistics module).
      const played = await call("/events", {
        partnerId: partner.id,
        shopOrderNumber,
        waybillNo: `JR${Date.now()}`.slice(0, 16),
        carrier: PARTNER.nameZh,
        events: [{ type: "picked_up" }, { type: "out_for_delivery" }, { type: "delivered" }],
      });
      expect(played.accepted).toEqual({ ok: true });

      // The buyer's order page shows the partner, the waybill and the timeline.
      await page.goto(`/orders/${number}`);
      const box = page.getByTestId("shop-order-shipment");
      await expect(box.getByTestId("shipment-status")).toHaveText(t("shipments.status.DELIVERED"));
      await expect(box.getByTestId("shipment-partner")).toHaveText(lng === "en" ? PARTNER.nameEn : PARTNER.nameZh);
      const timeline = box.getByTestId("shipment-timeline");
      for (const type of ["created", "accepted", "picked_up", "out_for_delivery", "delivered"]) {
        await expect(timeline).toContainText(t(`shipments.event.${type}`));
      }
      await expect(timeline).not.toContainText(t("shipments.event.assigned"));
      await expect(page.getByTestId("shop-order-status")).toHaveText(t("checkout.order.shopStatus.DELIVERED"));
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    });
  });
}
