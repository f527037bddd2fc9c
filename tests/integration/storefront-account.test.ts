import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import type { SavedAddress } from "~/modules/account/addresses.server";
import { cartIdOf, type Visitor } from "~/modules/cart/cart.cross-shop.server";
import type { CheckoutReview } from "~/modules/checkout/review.cross-shop.server";
import type { MyOrderSummary } from "~/modules/orders/buyer-orders.cross-shop.server";
import zh from "~/locales/zh-CN/index";
import { loader as accountLoader } from "~/routes/account";
import { action as addressesAction, loader as addressesLoader } from "~/routes/account.addresses";
import { action as mobileAction } from "~/routes/account.mobile";
import { action as cartAddAction } from "~/routes/cart.add";
import { action as checkoutAction, loader as checkoutLoader } from "~/routes/checkout";
import { createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { guest, twoShops, type Fixture } from "./cart-fixtures";
import { checkout, fill } from "./checkout-fixtures";

// The way back in for buyers (issue #13 §4, decision 025), through the routes as a browser
// uses them: a guest's orders attached once the account proves the same mobile, saved
// addresses (one buyer never sees another's) offered at checkout, and 立即购买.

let f: Fixture;
beforeAll(async () => {
  f = await twoShops();
});

const guestVisitor = (): Visitor => ({
  userId: null,
  guestToken: `${Math.random().toString(36).slice(2)}`.padEnd(40, "g"),
});

/** A guest order of one peach box from shop A with the given contact mobile. */
async function guestOrder(phone: string) {
  const visitor = guestVisitor();
  await fill(visitor, [{ variantId: f.a.p6.id, quantity: 1 }]);
  const placed = await checkout(visitor, { contactPhone: phone });
  if (!placed.ok) throw new Error(`not placed: ${placed.reason}`);
  return placed;
}

async function buyerKeys(orderId: string) {
  const rows = await unscopedDb().shopOrder.findMany({ where: { orderId }, select: { buyerKey: true } });
  return rows.map((r) => r.buyerKey);
}

async function accountOrders(session: Session) {
  const page = await run(accountLoader as never, getAs(session, "http://localhost/account"));
  expect(page.status).toBe(200);
  return (page.data as unknown as { orders: MyOrderSummary[] }).orders.map((o) => o.number);
}

async function lastCode(phone: string) {
  const row = await unscopedDb().notification.findFirstOrThrow({
    where: { recipient: phone, template: "phone-code" },
    orderBy: { createdAt: "desc" },
  });
  return (row.payload as { code: string }).code;
}

const translated = (key: string) =>
  key
    .split("|")[0]!
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zh);

describe("a guest's orders and the account with the same mobile", () => {
  it("are attached only after the account proves the mobile with the texted code, and their buyer key follows", async () => {
    const user = await createUser({ name: "钱买家" });
    const session = await signedIn(user.id);
    const earlier = await guestOrder(user.phone);
    const stranger = await guestOrder("13700137000");
    expect(await buyerKeys(earlier.orderId)).toEqual([`p:${user.phone}`]);

    // Signing up with a mobile proves nothing: the guest order is not the account's yet.
    expect(await accountOrders(session)).toEqual([]);

    // A code is texted to the account's own mobile; a wrong one attaches nothing.
    const sent = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "send" }),
    );
    expect(sent.status).toBe(200);
    const code = await lastCode(user.phone);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const refused = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "verify", code: wrong }),
    );
    expect(refused.status).toBe(400);
    expect(translated((refused.data as unknown as { error: string }).error)).toBe("验证码不对，请再看一下短信。");
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: earlier.orderId } })).userId).toBeNull();

    // Another signed-in account cannot use this account's code.
    const other = await createUser();
    const otherSession = await signedIn(other.id);
    const borrowed = await run(
      mobileAction as never,
      postAs(otherSession, "http://localhost/account/mobile", { intent: "verify", code }),
    );
    expect(borrowed.status).toBe(400);

    const verified = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "verify", code }),
    );
    expect(verified.status).toBe(302);
    expect(verified.location).toBe("/account?verified=1&attached=1");
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: earlier.orderId } })).userId).toBe(user.id);
    expect(await buyerKeys(earlier.orderId)).toEqual([`u:${user.id}`]);
    // Someone else's mobile stays a guest order.
    expect((await unscopedDb().order.findUniqueOrThrow({ where: { id: stranger.orderId } })).userId).toBeNull();
    expect(await buyerKeys(stranger.orderId)).toEqual(["p:13700137000"]);
    expect(await accountOrders(session)).toEqual([earlier.number]);

    // The code is spent; a guest order placed later with the mobile joins when the account opens.
    const again = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "verify", code }),
    );
    expect(again.status).toBe(400);
    const later = await guestOrder(user.phone);
    expect((await accountOrders(session)).sort()).toEqual([earlier.number, later.number].sort());
    expect(await buyerKeys(later.orderId)).toEqual([`u:${user.id}`]);
  });

  it("leaves an order another account placed with that mobile with that account", async () => {
    const owner = await createUser();
    const ownerSession = await signedIn(owner.id);
    const someoneElse = await createUser();
    const visitor: Visitor = { userId: someoneElse.id, guestToken: null };
    await fill(visitor, [{ variantId: f.b.p6.id, quantity: 1 }]);
    const theirs = await checkout(visitor, { contactPhone: owner.phone });
    expect(theirs.ok).toBe(true);
    await run(mobileAction as never, postAs(ownerSession, "http://localhost/account/mobile", { intent: "send" }));
    const done = await run(
      mobileAction as never,
      postAs(ownerSession, "http://localhost/account/mobile", { intent: "verify", code: await lastCode(owner.phone) }),
    );
    expect(done.location).toBe("/account?verified=1&attached=0");
    const order = await unscopedDb().order.findFirstOrThrow({ where: { contactPhone: owner.phone } });
    expect(order.userId).toBe(someoneElse.id);
  });

  it("spends a code after five wrong tries, and limits how many codes are sent", async () => {
    const user = await createUser();
    const session = await signedIn(user.id);
    await run(mobileAction as never, postAs(session, "http://localhost/account/mobile", { intent: "send" }));
    const code = await lastCode(user.phone);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) {
      await run(
        mobileAction as never,
        postAs(session, "http://localhost/account/mobile", { intent: "verify", code: wrong }),
      );
    }
    const late = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "verify", code }),
    );
    expect(late.status).toBe(400);
    expect((late.data as unknown as { error: string }).error).toBe("account.mobile.errors.expired");
    expect((await unscopedDb().user.findUniqueOrThrow({ where: { id: user.id } })).phoneVerifiedAt).toBeNull();
    // Five codes an hour: the first was sent above, four more, then the sixth is refused.
    for (let i = 0; i < 4; i++) {
      const sent = await run(
        mobileAction as never,
        postAs(session, "http://localhost/account/mobile", { intent: "send" }),
      );
      expect(sent.status).toBe(200);
    }
    const sixth = await run(
      mobileAction as never,
      postAs(session, "http://localhost/account/mobile", { intent: "send" }),
    );
    expect(sixth.status).toBe(400);
    expect((sixth.data as unknown as { error: string }).error).toMatch(/^account\.mobile\.errors\.tooMany\|/);
  });
});

type AddressesPage = { addresses: SavedAddress[]; editing: SavedAddress | null };

async function addresses(session: Session, query = "") {
  const page = await run(addressesLoader as never, getAs(session, `http://localhost/account/addresses${query}`));
  expect(page.status).toBe(200);
  return page.data as unknown as AddressesPage;
}

const saveForm = (fields: Record<string, string>) => ({
  intent: "save",
  recipientName: "孙收货",
  phone: "13600136000",
  region: "江苏省 苏州市 姑苏区",
  line: "人民路 8 号",
  ...fields,
});

describe("saved addresses", () => {
  it("are added, edited, made default and deleted by their owner, and offered at checkout", async () => {
    const user = await createUser();
    const session = await signedIn(user.id);
    const post = (fields: Record<string, string>) =>
      run(addressesAction as never, postAs(session, "http://localhost/account/addresses", fields));

    // Bad input: a translated error, nothing saved.
    const bad = await post(saveForm({ phone: "12345", line: "" }));
    expect(bad.status).toBe(400);
    const errors = (bad.data as unknown as { result: { error: Record<string, string[]> } }).result.error;
    expect(errors.phone).toEqual(["checkout.errors.phoneInvalid"]);
    expect(errors.line).toEqual(["checkout.errors.addressRequired"]);
    expect((await addresses(session)).addresses).toEqual([]);

    // The first address saved becomes the default.
    expect((await post(saveForm({}))).status).toBe(302);
    expect((await post(saveForm({ recipientName: "周收货", line: "干将路 2 号" }))).status).toBe(302);
    let list = (await addresses(session)).addresses;
    expect(list.map((a) => [a.recipientName, a.isDefault])).toEqual([
      ["孙收货", true],
      ["周收货", false],
    ]);
    const [sun, zhou] = list as [SavedAddress, SavedAddress];

    // ?edit= fills the form; saving changes that one.
    expect((await addresses(session, `?edit=${zhou.id}`)).editing?.line).toBe("干将路 2 号");
    await post(saveForm({ id: zhou.id, recipientName: "周收货", line: "干将路 20 号", isDefault: "on" }));
    list = (await addresses(session)).addresses;
    expect(list.map((a) => [a.recipientName, a.line, a.isDefault])).toEqual([
      ["周收货", "干将路 20 号", true],
      ["孙收货", "人民路 8 号", false],
    ]);

    // The checkout offers them, with the default filled in; ?address= picks another.
    await fill({ userId: user.id, guestToken: null }, [{ variantId: f.a.p6.id, quantity: 1 }]);
    type CheckoutPage = {
      addresses: SavedAddress[];
      address: { id: string; region: string; line: string } | null;
      contact: { name: string; phone: string };
    };
    const checkoutPage = async (query = "") =>
      (await run(checkoutLoader as never, getAs(session, `http://localhost/checkout${query}`)))
        .data as unknown as CheckoutPage;
    let page = await checkoutPage();
    expect(page.addresses.map((a) => a.id)).toEqual([zhou.id, sun.id]);
    expect(page.address).toEqual({ id: zhou.id, region: "江苏省 苏州市 姑苏区", line: "干将路 20 号" });
    expect(page.contact).toEqual({ name: "周收货", phone: "13600136000" });
    page = await checkoutPage(`?address=${sun.id}`);
    expect(page.address?.id).toBe(sun.id);
    expect(page.contact.name).toBe("孙收货");

    // Making the other the default, then deleting the default: the one left becomes it.
    await post({ intent: "default", id: sun.id });
    expect((await addresses(session)).addresses.find((a) => a.isDefault)?.id).toBe(sun.id);
    await post({ intent: "delete", id: sun.id });
    list = (await addresses(session)).addresses;
    expect(list.map((a) => [a.id, a.isDefault])).toEqual([[zhou.id, true]]);
  });

  it("belong to one buyer: another cannot list, open, change, delete or check out with them", async () => {
    const owner = await createUser();
    const ownerSession = await signedIn(owner.id);
    await run(addressesAction as never, postAs(ownerSession, "http://localhost/account/addresses", saveForm({})));
    const [mine] = (await addresses(ownerSession)).addresses as [SavedAddress];

    const intruder = await createUser();
    const intruderSession = await signedIn(intruder.id);
    expect((await addresses(intruderSession)).addresses).toEqual([]);
    expect((await addresses(intruderSession, `?edit=${mine.id}`)).editing).toBeNull();
    for (const fields of [
      saveForm({ id: mine.id, recipientName: "改掉" }),
      { intent: "default", id: mine.id },
      { intent: "delete", id: mine.id },
    ]) {
      const answer = await run(
        addressesAction as never,
        postAs(intruderSession, "http://localhost/account/addresses", fields),
      );
      expect(answer.status).toBe(404);
    }
    expect((await addresses(ownerSession)).addresses).toEqual([mine]);

    await fill({ userId: intruder.id, guestToken: null }, [{ variantId: f.a.p6.id, quantity: 1 }]);
    const page = await run(
      checkoutLoader as never,
      getAs(intruderSession, `http://localhost/checkout?address=${mine.id}`),
    );
    expect((page.data as unknown as { address: unknown; addresses: unknown[] }).address).toBeNull();
    expect((page.data as unknown as { addresses: unknown[] }).addresses).toEqual([]);

    // Signed out: the page asks to sign in.
    const anonymous = await run(addressesLoader as never, getAs(null, "http://localhost/account/addresses"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("立即购买 (buy now)", () => {
  it("goes straight to a checkout of that line only, places it, and leaves the cart as it was", async () => {
    const browser = await guest();
    await fill(browser.visitor, [{ variantId: f.a.p6.id, quantity: 2 }]);
    const cartBefore = await unscopedDb().cartLine.findMany({
      where: { cartId: cartIdOf(browser.visitor)! },
      select: { variantId: true, quantity: true },
    });

    // The product form's 立即购买 button, without JavaScript (and with: the answer is the same redirect).
    for (const js of [{}, { js: "1" }] as Record<string, string>[]) {
      const answer = await run(
        cartAddAction as never,
        postAs(browser, "http://localhost/cart/add", {
          variantId: f.b.p6.id,
          quantity: "3",
          intent: "buyNow",
          redirectTo: "/s/cart-beta/p/peach-box",
          ...js,
        }),
      );
      expect(answer.status).toBe(302);
      expect(answer.location).toBe("/checkout?buy=now");
    }

    const page = await run(checkoutLoader as never, getAs(browser, "http://localhost/checkout?buy=now"));
    const review = (page.data as unknown as { review: CheckoutReview; buyNow: boolean; checkoutKey: string }).review;
    expect((page.data as unknown as { buyNow: boolean }).buyNow).toBe(true);
    // One line: pressing it twice replaced the line, it did not add up.
    expect(review.groups.map((g) => g.lines.map((l) => [l.variantTitle.length > 0, l.quantity]))).toEqual([
      [[true, 3]],
    ]);
    expect(review.groups[0]!.shopId).toBe(
      (await unscopedDb().variant.findFirstOrThrow({ where: { id: f.b.p6.id } })).shopId,
    );

    // Placing it from the buy-now checkout orders that line only.
    const placed = await run(
      checkoutAction as never,
      postAs(browser, "http://localhost/checkout?buy=now", {
        intent: "place",
        contactName: "吴买家",
        contactPhone: "13500135000",
        "shops[0].shopId": review.groups[0]!.shopId,
        "shops[0].delivery": "HOME",
        "shops[0].addressRegion": "江苏省 无锡市 惠山区",
        "shops[0].addressLine": "阳山镇 1 号",
        provider: "OFFLINE",
        offlineMethod: "COD",
        checkoutKey: (page.data as unknown as { checkoutKey: string }).checkoutKey,
        expectedTotalFen: String(review.quote.totalFen),
        quotedDeliveries: `${review.groups[0]!.shopId}:HOME`,
      }),
    );
    expect(placed.status).toBe(302);
    const order = await unscopedDb().order.findFirstOrThrow({
      where: { contactPhone: "13500135000" },
      select: { shopOrders: { select: { lines: { select: { variantId: true, quantity: true } } } } },
    });
    expect(order.shopOrders.flatMap((s) => s.lines)).toEqual([{ variantId: f.b.p6.id, quantity: 3 }]);
    // The cart is untouched.
    const cartAfter = await unscopedDb().cartLine.findMany({
      where: { cartId: cartIdOf(browser.visitor)! },
      select: { variantId: true, quantity: true },
    });
    expect(cartAfter).toEqual(cartBefore);
  });

  it("gives a guest without a cart a cookie, and refuses what cannot be bought with the product page's notice", async () => {
    const browser = await guest();
    const fresh = {
      ...browser,
      cookie: browser.cookie
        .split("; ")
        .filter((c) => !c.startsWith("cart="))
        .join("; "),
    };
    const answer = await run(
      cartAddAction as never,
      postAs(fresh, "http://localhost/cart/add", { variantId: f.a.p6.id, quantity: "1", intent: "buyNow" }),
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/checkout?buy=now");
    expect(answer.headers!.get("Set-Cookie")).toMatch(/^cart=/);

    const soldOut = await run(
      cartAddAction as never,
      postAs(browser, "http://localhost/cart/add", {
        variantId: f.a.tea.id,
        quantity: "1",
        intent: "buyNow",
        redirectTo: "/s/cart-alpha/p/tea",
      }),
    );
    expect(soldOut.status).toBe(302);
    expect(soldOut.location).toBe("/s/cart-alpha/p/tea?cartError=soldOut");
  });
});
