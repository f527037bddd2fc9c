import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { addToCart, cartCount, cartIdOf, viewCart } from "~/modules/cart/cart.cross-shop.server";
import { action as cartAction, headers as cartHeaders, loader as cartLoader } from "~/routes/cart";
import { action as addAction, loader as addLoader } from "~/routes/cart.add";
import { action as loginAction } from "~/routes/login";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { createUser, postAs, run, TEST_PASSWORD } from "../support/auth";
import { callLoader } from "../support/routes";
import { guest, request, SHOP_A, twoShops, type Fixture } from "./cart-fixtures";

// The cart's routes: adding with and without JavaScript, the cart page, sign-in merge,
// CSRF on every action, and no visitor ever reaching another's cart.

let f: Fixture;
beforeAll(async () => {
  f = await twoShops();
});

type Loaded = {
  type: string;
  data: { cart: Awaited<ReturnType<typeof viewCart>> };
  init: { headers: Record<string, string> };
};

describe("adding to the cart", () => {
  it("without JavaScript: creates the guest cart cookie and goes back to the product page with ?added=1", async () => {
    const browser = await guest();
    const fresh = { cookie: browser.cookie.split("; ")[1]!, csrf: browser.csrf }; // only the CSRF cookie
    const result = await run(
      addAction,
      postAs(fresh, "http://localhost/cart/add", {
        variantId: f.a.p6.id,
        quantity: "2",
        redirectTo: `/s/${SHOP_A}/p/peach-box`,
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/s/${SHOP_A}/p/peach-box?added=1`);
    const setCookie = result.headers!.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^cart=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Max-Age=7776000/);
    const cookie = `${fresh.cookie}; ${setCookie.split(";")[0]}`;
    expect(await cartCount(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toBe(1);
  });

  it("finds the variant in the shop the product page sent: another shop's id is refused", async () => {
    const browser = await guest();
    const post = (shopId: string) =>
      run(
        addAction,
        postAs(browser, "http://localhost/cart/add", { shopId, variantId: f.a.p6.id, quantity: "1", js: "1" }),
      );
    expect(await post(f.b.p6.shopId)).toMatchObject({
      status: 400,
      data: { ok: false, errors: { variantId: ["cart.errors.unavailable"] } },
    });
    expect(await post(f.a.p6.shopId)).toMatchObject({ data: { ok: true, count: 1 } });
  });

  it("without JavaScript: an error goes back with what to show; an outside redirectTo is ignored", async () => {
    const browser = await guest();
    const over = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", {
        variantId: f.a.p12.id,
        quantity: "5",
        redirectTo: "/p/peach-box?added=1",
      }),
    );
    expect(over.location).toBe("/p/peach-box?cartError=notEnoughStock&available=2&unit=%E7%9B%92");
    const outside = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", {
        variantId: f.a.p6.id,
        quantity: "1",
        redirectTo: "//evil.example/x",
      }),
    );
    expect(outside.location).toBe("/cart?added=1");
  });

  it("with JavaScript: answers { ok, count } or field errors, without a redirect", async () => {
    const browser = await guest();
    const ok = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", { variantId: f.a.p6.id, quantity: "1", js: "1", redirectTo: "/" }),
    );
    expect(ok).toMatchObject({ status: 200, data: { ok: true, count: 1 } });
    const soldOut = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", { variantId: f.a.tea.id, quantity: "1", js: "1" }),
    );
    expect(soldOut).toMatchObject({ status: 400, data: { ok: false, errors: { variantId: ["cart.errors.soldOut"] } } });
    const full = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", {
        variantId: f.a.ticket.id,
        slotId: f.a.slot,
        quantity: "21",
        js: "1",
      }),
    );
    expect(full.status).toBe(400);
    expect(JSON.stringify(full.data)).toContain("cart.errors.notEnoughPlaces");
    const bad = await run(
      addAction,
      postAs(browser, "http://localhost/cart/add", { variantId: f.a.p6.id, quantity: "1.5", js: "1" }),
    );
    expect(bad).toMatchObject({ status: 400, data: { errors: { quantity: ["cart.errors.quantityInvalid"] } } });
    expect(await cartCount(new Request("http://localhost/", { headers: { Cookie: browser.cookie } }))).toBe(1);
  });

  it("GET /cart/add goes to the cart", async () => {
    expect((await run(addLoader as never, new Request("http://localhost/cart/add"))).location).toBe("/cart");
  });
});

describe("the cart page", () => {
  it("is private and never stored by a cache", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p6.id, quantity: 1 });
    const result = (await cartLoader({
      request: new Request("http://localhost/cart", { headers: { Cookie: browser.cookie } }),
      params: {},
      context: {},
    })) as unknown as Loaded;
    expect(result.init.headers["Cache-Control"]).toBe("private, no-store");
    expect(result.data.cart.lineCount).toBe(1);
    expect(new Headers(cartHeaders({} as never)).get("Cache-Control")).toBe("private, no-store");
  });

  it("updates, removes and accepts new prices through its forms", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.b.p6.id, quantity: 1 });
    const cartId = cartIdOf(browser.visitor);
    const lineId = (await viewCart({ cartId, lng: "zh-CN" })).shops[0]!.lines[0]!.id;
    expect(
      (await run(cartAction, postAs(browser, "http://localhost/cart", { intent: "update", lineId, quantity: "4" })))
        .location,
    ).toBe("/cart?done=updated");
    const over = await run(
      cartAction,
      postAs(browser, "http://localhost/cart", { intent: "update", lineId, quantity: "41" }),
    );
    expect(over.status).toBe(400);
    expect(JSON.stringify(over.data)).toContain("cart.errors.notEnoughStock");

    await unscopedDb().variant.updateMany({ where: { id: f.b.p6.id }, data: { priceFen: 15800 } });
    expect((await viewCart({ cartId, lng: "zh-CN" })).hasPriceChanges).toBe(true);
    expect((await run(cartAction, postAs(browser, "http://localhost/cart", { intent: "acceptPrices" }))).location).toBe(
      "/cart?done=pricesAccepted",
    );
    const cart = await viewCart({ cartId, lng: "zh-CN" });
    expect(cart.hasPriceChanges).toBe(false);
    expect(cart.totalFen).toBe(4 * 15800);

    expect(
      (await run(cartAction, postAs(browser, "http://localhost/cart", { intent: "remove", lineId }))).location,
    ).toBe("/cart?done=removed");
    expect((await viewCart({ cartId, lng: "zh-CN" })).lineCount).toBe(0);
  });

  it("answers 404 and changes nothing for another visitor's line", async () => {
    const owner = await guest();
    const intruder = await guest();
    await addToCart({ visitor: owner.visitor, request: request(), variantId: f.a.p6.id, quantity: 2 });
    const lineId = (await viewCart({ cartId: cartIdOf(owner.visitor), lng: "zh-CN" })).shops[0]!.lines[0]!.id;
    expect(
      (await run(cartAction, postAs(intruder, "http://localhost/cart", { intent: "update", lineId, quantity: "9" })))
        .status,
    ).toBe(404);
    expect(
      (await run(cartAction, postAs(intruder, "http://localhost/cart", { intent: "remove", lineId }))).status,
    ).toBe(404);
    const seen = (await cartLoader({
      request: new Request("http://localhost/cart", { headers: { Cookie: intruder.cookie } }),
      params: {},
      context: {},
    })) as unknown as Loaded;
    expect(seen.data.cart.lineCount).toBe(0);
    expect((await unscopedDb().cartLine.findFirstOrThrow({ where: { id: lineId } })).quantity).toBe(2);
  });

  it("refuses every cart action without this browser's CSRF token", async () => {
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p6.id, quantity: 1 });
    const lineId = (await viewCart({ cartId: cartIdOf(browser.visitor), lng: "zh-CN" })).shops[0]!.lines[0]!.id;
    const forms: [Parameters<typeof run>[0], string, Record<string, string>][] = [
      [addAction, "http://localhost/cart/add", { variantId: f.a.p6.id, quantity: "1" }],
      [cartAction, "http://localhost/cart", { intent: "update", lineId, quantity: "3" }],
      [cartAction, "http://localhost/cart", { intent: "remove", lineId }],
      [cartAction, "http://localhost/cart", { intent: "acceptPrices" }],
    ];
    for (const [action, url, fields] of forms) {
      expect((await run(action, postAs(browser, url, fields, { csrf: false }))).status).toBe(403);
      expect((await run(action, postAs({ ...browser, csrf: "z".repeat(43) }, url, fields))).status).toBe(403);
    }
    expect((await viewCart({ cartId: cartIdOf(browser.visitor), lng: "zh-CN" })).shops[0]!.lines[0]!.quantity).toBe(1);
  });
});

describe("signing in", () => {
  it("merges the guest cart into the buyer's cart through the login form, clears the cookie and deletes the guest cart", async () => {
    const user = await createUser();
    const mine = { userId: user.id, guestToken: null };
    await addToCart({ visitor: mine, request: request(), variantId: f.a.p6.id, quantity: 1 });
    await addToCart({ visitor: mine, request: request(), variantId: f.a.p12.id, quantity: 2 });
    const browser = await guest();
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p6.id, quantity: 2 });
    await addToCart({ visitor: browser.visitor, request: request(), variantId: f.a.p12.id, quantity: 2 });
    await addToCart({
      visitor: browser.visitor,
      request: request(),
      variantId: f.b.ticket.id,
      slotId: f.b.slot,
      quantity: 3,
    });
    const guestCartId = cartIdOf(browser.visitor)!;

    const result = await run(
      loginAction,
      postAs(browser, "http://localhost/login", {
        identifier: user.phone,
        password: TEST_PASSWORD,
        redirectTo: "/cart",
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/cart");
    const cookies = result.headers!.getSetCookie();
    expect(cookies.some((c) => c.startsWith("sid="))).toBe(true);
    expect(cookies.find((c) => c.startsWith("cart="))).toMatch(/^cart=;.*Max-Age=0/);
    expect(await unscopedDb().cart.findUnique({ where: { id: guestCartId } })).toBeNull();

    const cart = await viewCart({ cartId: cartIdOf(mine), lng: "zh-CN" });
    // Sums within bounds: 1 + 2 peach boxes; 2 + 2 of a stock of 2 stays at 2; the ticket moves over.
    expect(cart.shops.map((s) => s.lines.map((l) => [l.variantTitle, l.quantity]))).toEqual([
      [
        ["6只装", 3],
        ["12只装", 2],
      ],
      [["成人", 3]],
    ]);
    const sid = cookies.find((c) => c.startsWith("sid="))!.split(";")[0]!;
    expect(await cartCount(new Request("http://localhost/", { headers: { Cookie: sid } }))).toBe(3);
  });

  it("counts nothing for a visitor without cookies", async () => {
    expect(await cartCount(new Request("http://localhost/"))).toBe(0);
    expect(await cartCount(new Request("http://localhost/", { headers: { Cookie: "lng=en" } }))).toBe(0);
  });
});

describe("the product page", () => {
  type ProductData = {
    choices: {
      shopId: string;
      variants: { id: string; sku: string; available: number | null }[];
      slots: { id: string; placesLeft: number }[];
    };
    cartNotice: { added: boolean };
  };

  it("offers the variants and slots to add, by path and by host", async () => {
    const byPath = await callLoader<ProductData>(productLoader, `http://localhost/s/${SHOP_A}/p/peach-box?added=1`, {
      shop: SHOP_A,
      product: "peach-box",
    });
    const byHost = await callLoader<ProductData>(productLoader, `http://${SHOP_A}.localhost/p/peach-box`, {
      product: "peach-box",
    });
    expect(byPath.status).toBe(200);
    expect(byHost.status).toBe(200);
    expect(byPath.data!.choices.variants).toEqual([
      { id: f.a.p6.id, sku: `${SHOP_A}-P6`, available: 40 },
      { id: f.a.p12.id, sku: `${SHOP_A}-P12`, available: 2 },
    ]);
    expect(byHost.data!.choices).toEqual(byPath.data!.choices);
    // Posted with the variant, so /cart/add finds it by its key (shopId, id).
    expect(byPath.data!.choices.shopId).toBe(f.a.p6.shopId);
    expect(byPath.data!.cartNotice.added).toBe(true);
    const picking = await callLoader<ProductData>(productLoader, `http://${SHOP_A}.localhost/p/picking`, {
      product: "picking",
    });
    expect(picking.data!.choices.slots).toEqual([
      { id: f.a.slot, startsAt: "2030-03-02T01:00:00.000Z", placesLeft: 20 },
    ]);
  });
});
