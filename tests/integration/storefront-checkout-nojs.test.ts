import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addToCart } from "~/modules/cart/cart.cross-shop.server";
import { edited, formFields, formHtml } from "../support/html-form";
import { startApp, stopApp } from "../support/remix-app";
import { guest, request, twoShops, type Fixture } from "./cart-fixtures";

// The checkout as a browser without JavaScript uses it (issue #13): the page's own form, as
// rendered, with only what the buyer changed. Changing a shop's delivery and pressing
// 提交订单 places the order with that delivery (it used to bounce once with "有些商品变了",
// because the total the page was rendered with still counted home delivery).

let app: (request: Request) => Promise<Response>;
let f: Fixture;
let lockerB: string;

beforeAll(async () => {
  f = await twoShops();
  lockerB = (await unscopedDb().pickupPoint.findFirstOrThrow({ where: { code: "P320507-LOCKER" } })).id;
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

async function page(cookie: string, url = "http://localhost/checkout") {
  const response = await app(new Request(url, { headers: { Cookie: cookie } }));
  expect(response.status).toBe(200);
  return response.text();
}

function post(cookie: string, url: string, form: FormData) {
  const body = new URLSearchParams();
  for (const [name, value] of form) body.append(name, String(value));
  return app(
    new Request(url, {
      method: "POST",
      body,
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
    }),
  );
}

describe("checkout without JavaScript", () => {
  it("places the order with the delivery the buyer changed to, at that delivery's fee, on the first press", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p6.id, quantity: 1 });
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
    const html = await page(browser.cookie);
    const form = formHtml(html, 'id="checkout"');
    const fields = formFields(form.body);
    // As rendered: home delivery for both shops, ¥168 + ¥12 each.
    expect(fields.filter(([n]) => /^shops\[\d\]\.delivery$/.test(n)).map(([, v]) => v)).toEqual(["HOME", "HOME"]);
    expect(fields.find(([n]) => n === "expectedTotalFen")?.[1]).toBe(String(2 * (16800 + 1200)));

    // The buyer fills in the contact and shop A's address, switches shop B to its locker and
    // presses 提交订单 once.
    const response = await post(
      browser.cookie,
      new URL(form.action ?? "/checkout", "http://localhost").href,
      edited(fields, {
        contactName: "王小明",
        contactPhone: "13800138000",
        "shops[0].addressRegion": "江苏省 南京市 鼓楼区",
        "shops[0].addressLine": "中山路 1 号",
        "shops[1].delivery": "LOCKER",
        "shops[1].pickupPointId": lockerB,
        provider: "OFFLINE",
        offlineMethod: "COD",
        intent: "place",
      }),
    );
    expect(
      response.status,
      await response
        .clone()
        .text()
        .then((t) => t.slice(0, 200)),
    ).toBe(302);
    const number = /^\/orders\/(\d{12})$/.exec(response.headers.get("Location") ?? "")?.[1];
    expect(number).toBeDefined();
    const order = await unscopedDb().order.findUniqueOrThrow({
      where: { number },
      select: {
        totalFen: true,
        shopOrders: { select: { delivery: true, shippingFen: true, pickupPointId: true }, orderBy: { number: "asc" } },
      },
    });
    expect(order.shopOrders).toEqual([
      { delivery: "HOME", shippingFen: 1200, pickupPointId: null },
      { delivery: "LOCKER", shippingFen: 600, pickupPointId: lockerB },
    ]);
    // Charged for the buyer's own choice: ¥168 + ¥12 and ¥168 + ¥6.
    expect(order.totalFen).toBe(16800 + 1200 + 16800 + 600);
  });

  it("still stops when a price changed since the page was rendered, whatever delivery was chosen", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p12.id, quantity: 1 });
    const html = await page(browser.cookie);
    const form = formHtml(html, 'id="checkout"');
    const fields = formFields(form.body);
    const before = await unscopedDb().variant.findFirstOrThrow({
      where: { id: f.a.p12.id },
      select: { priceFen: true },
    });
    await unscopedDb().variant.updateMany({ where: { id: f.a.p12.id }, data: { priceFen: before.priceFen + 500 } });
    try {
      const response = await post(
        browser.cookie,
        "http://localhost/checkout",
        edited(fields, {
          contactName: "王小明",
          contactPhone: "13800138000",
          "shops[0].delivery": "PICKUP_POINT",
          "shops[0].pickupPointId": (
            await unscopedDb().pickupPoint.findFirstOrThrow({ where: { code: "P320206-POST" } })
          ).id,
          provider: "OFFLINE",
          offlineMethod: "COD",
          intent: "place",
        }),
      );
      expect(response.status).toBe(409);
      expect(await unscopedDb().order.count({ where: { contactPhone: "13800138000", totalFen: { gt: 40000 } } })).toBe(
        0,
      );
    } finally {
      await unscopedDb().variant.updateMany({ where: { id: f.a.p12.id }, data: { priceFen: before.priceFen } });
    }
  });
});
