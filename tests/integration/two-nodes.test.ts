import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { addToCart } from "~/modules/cart/cart.cross-shop.server";
import { SIGN_IN_LIMITS } from "~/modules/identity/accounts.server";
import { currentTotpCode } from "~/modules/identity/totp";
import { uploadRequestMaxBytes } from "~/modules/media/upload-form.server";
import { addMember, createUser, enableTwoFactor, signedIn, TEST_PASSWORD } from "../support/auth";
import { ensureBuilt, waitUntil } from "../support/built-server";
import { serverUrl, withDatabase } from "../support/database";
import { edited, formFields, formHtml } from "../support/html-form";
import {
  adminRouteFiles,
  countyRouteFiles,
  importRoute,
  paramNames,
  urlFor,
  type RouteModule,
} from "../support/route-walk";
import {
  Browser,
  NGINX_PORT,
  NODE_NAMES,
  NODE_PORTS,
  startTwoNodes,
  twoNodesMissing,
  type Answer,
  type TwoNodes,
} from "../support/two-nodes";
import { guest, request as cartRequest, SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Issue #14's "the isolation and concurrency tests still pass with two nodes": two compiled
// servers on this file's database behind nginx (round robin, as `npm run cluster` configures
// it), driven over HTTP as browsers drive them. A session, a CSRF token, a sign-in limit and a
// spent two-step code made on one node hold on the other; shop and county isolation hold
// whichever node answers; buyers racing on both nodes at once for the last units or places never
// oversell, and a double press lands on one order; a price saved through one node reaches the
// other's page cache. Node A runs the background worker, as one deployment runs one.

const missing = twoNodesMissing(serverUrl());
if (missing) console.log(`two-nodes.test.ts skipped: ${missing}.`);

const [PORT_A, PORT_B] = NODE_PORTS;
/** The nodes' photos and exports, nginx's configuration and logs. */
let dir: string | undefined;
let cluster: TwoNodes | undefined;
let f: Fixture;
/** Values for route params, shop A's and shop B's. */
const A: Record<string, string> = {};
const B: Record<string, string> = {};

/** The path (and query) of a walker's URL. */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** A route's params filled with `values` (a trailing "_" only opts out of nesting: "$order_" is the order). */
const paramsFrom = (file: string, values: Record<string, string>) =>
  Object.fromEntries(paramNames(file).map((name) => [name, values[name.replace(/_$/, "")] ?? values.product!]));

/** Admin pages that are not found for A's own values too, and why. */
const OWN_NOT_FOUND: Record<string, string> = {
  "admin.$shop.orders.$order_.labels.tsx": "an order has parcel labels once it is packed; A's is not",
};

/** Where a route's form posts: an index route's to ?index (without it the POST is the parent layout's). */
const actionOf = (file: string, url: string) => (file.includes("._index.") ? `${url}?index` : url);

async function snapshot(shopId: string) {
  const prisma = unscopedDb();
  const rows = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId } }),
    prisma.product.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.variant.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.batch.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.experienceSlot.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.membership.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.shopOrder.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.shopOrderEvent.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.ledgerEntry.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify(rows);
}

describe.skipIf(missing)("two app nodes behind nginx", () => {
  beforeAll(async () => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "two-nodes-"));
    f = await twoShops();
    for (const [target, slug] of [
      [A, SHOP_A],
      [B, SHOP_B],
    ] as const) {
      const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug }, include: { county: true } });
      const product = await db().product.findFirstOrThrow({ where: { shopId: shop.id, kind: "EXPERIENCE" } });
      const placed = await placeTestOrder({ lines: [{ variantId: (slug === SHOP_A ? f.a : f.b).p6.id, quantity: 1 }] });
      Object.assign(target, {
        shop: slug,
        shopId: shop.id,
        code: shop.county.code,
        countyId: shop.countyId,
        product: product.id,
        batch: (await db().batch.findFirstOrThrow({ where: { shopId: shop.id } })).id,
        variant: (await db().variant.findFirstOrThrow({ where: { shopId: shop.id, productId: product.id } })).id,
        slot: (await db().experienceSlot.findFirstOrThrow({ where: { shopId: shop.id } })).id,
        image: (await db().image.findFirstOrThrow({ where: { shopId: shop.id } })).id,
        order: placed.shopOrders.get(shop.id)!.number,
      });
    }
    expect(A.countyId).not.toBe(B.countyId);
    const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    cluster = await startTwoNodes({
      databaseUrl: withDatabase(serverUrl()!, row!.db),
      dir,
      maxBodyBytes: uploadRequestMaxBytes(),
    });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("keeps a browser signed in, and its forms valid, on whichever node answers", async () => {
    const owner = await createUser();
    await addMember(A.shopId!, owner.id, "OWNER");
    const browser = new Browser();
    // Signed in by node B with the form node A rendered (anonymous pages carry no token: the
    // browser's Origin vouches for the form).
    const loginPage = await browser.get("/login", PORT_A);
    expect([loginPage.status, loginPage.node]).toEqual([200, NODE_NAMES[0]]);
    const login = formHtml(loginPage.body, 'name="identifier"');
    const signedInAnswer = await browser.post(
      "/login",
      edited(formFields(login.body), { identifier: owner.phone, password: TEST_PASSWORD }),
      { port: PORT_B, origin: true },
    );
    expect([signedInAnswer.status, signedInAnswer.node]).toEqual([302, NODE_NAMES[1]]);
    expect(browser.has("sid")).toBe(true);

    // Through nginx, both nodes answer, and each knows the session.
    const answered = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const admin = await browser.get(`/admin/${A.shop}`);
      expect(admin.status, `answered by ${admin.node}`).toBe(200);
      answered.add(admin.node!);
    }
    expect([...answered].sort()).toEqual([...NODE_NAMES]);

    // A form with its CSRF token (and no Origin, as an older browser posts it), rendered by one
    // node, saved by the other.
    const page = `/admin/${A.shop}/products/${f.a.p6.productId}`;
    // Both ways: rendered by A and saved by B, then rendered by B and saved by A. Round robin
    // sends the next request to the other node; one more page view turns the order around.
    for (const [renderer, saver, priceFen] of [
      [NODE_NAMES[0], NODE_NAMES[1], 17_100],
      [NODE_NAMES[1], NODE_NAMES[0], 17_200],
    ] as const) {
      let rendered = await browser.get(page);
      if (rendered.node !== renderer) rendered = await browser.get(page);
      expect([rendered.status, rendered.node]).toEqual([200, renderer]);
      const fields = formFields(formHtml(rendered.body, `id="variant-${f.a.p6.id}"`).body);
      expect(fields.find(([name]) => name === "csrf")?.[1]).toMatch(/^.{32,}$/);
      const answer = await browser.post(page, edited(fields, { price: (priceFen / 100).toFixed(2) }));
      expect([answer.status, answer.node], answer.body.slice(0, 300)).toEqual([302, saver]);
      expect(answer.location).toMatch(/saved=variant/);
      expect((await unscopedDb().variant.findFirstOrThrow({ where: { id: f.a.p6.id } })).priceFen).toBe(priceFen);
    }
  });

  it("gives shop A's owner 404 for shop B's admin pages and actions on both nodes, and changes nothing of B", async () => {
    const owner = await createUser();
    await addMember(A.shopId!, owner.id, "OWNER");
    const session = await signedIn(owner.id);
    const before = await snapshot(B.shopId!);
    let walked = 0;
    for (const file of adminRouteFiles) {
      const mod: RouteModule = await importRoute(file);
      const own = pathOf(urlFor(file, paramsFrom(file, A)));
      const theirs = pathOf(urlFor(file, paramsFrom(file, B)));
      const underOwn = pathOf(urlFor(file, { ...paramsFrom(file, B), shop: A.shop! }));
      for (const port of NODE_PORTS) {
        const browser = new Browser(session.cookie);
        if (mod.loader) {
          // The same URL with A's own values reaches the route (the 404s below are the route's).
          const mine = await browser.get(own, port);
          if (!OWN_NOT_FOUND[file])
            expect(mine.status, `${file} on ${mine.node}: A's own page answered ${mine.status}`).not.toBe(404);
          expect(mine.status, `${file} on ${mine.node}`).toBeLessThan(500);
          const answer = await browser.get(theirs, port);
          expect([403, 404], `${file} on ${answer.node} answered ${answer.status}`).toContain(answer.status);
          if (underOwn !== own) {
            const crossed = await browser.get(underOwn, port);
            expect([403, 404], `${file} (B's ids under A) on ${crossed.node}`).toContain(crossed.status);
          }
        }
        if (mod.action) {
          for (const intent of ["", "update", "delete", "variant-update", "confirmPayment"]) {
            const answer = await browser.post(
              actionOf(file, theirs),
              { csrf: session.csrf, intent, _action: intent },
              { port },
            );
            expect([403, 404], `${file} action (${intent || "no intent"}) on ${answer.node}`).toContain(answer.status);
          }
          if (underOwn !== own) {
            const crossed = await browser.post(
              actionOf(file, underOwn),
              { csrf: session.csrf, intent: "delete" },
              { port },
            );
            expect([400, 403, 404], `${file} action (B's ids under A) on ${crossed.node}`).toContain(crossed.status);
          }
        }
        walked++;
      }
    }
    // The same session's token is good on both nodes: on A's own product the action runs and
    // answers the empty form 400 (so the 403s above are not a refused token).
    for (const port of NODE_PORTS) {
      const own = await new Browser(session.cookie).post(
        `/admin/${A.shop}/products/${A.product}`,
        { csrf: session.csrf, intent: "variant-update", variantId: A.variant! },
        { port },
      );
      expect([own.status, own.node]).toEqual([400, NODE_NAMES[NODE_PORTS.indexOf(port)]]);
    }
    expect(walked).toBe(adminRouteFiles.length * 2);
    expect(adminRouteFiles.length).toBeGreaterThanOrEqual(14);
    expect(await snapshot(B.shopId!)).toBe(before);
  });

  it("gives county A's coordinator 404 for county B's pages and exports on both nodes", async () => {
    const coordinator = await createUser();
    await unscopedDb().countyCoordinator.create({ data: { countyId: A.countyId!, userId: coordinator.id } });
    const session = await signedIn(coordinator.id);
    // County B's own rows for the URLs: a delivery partner and an export made by B's coordinator.
    const coordinatorB = await createUser();
    await unscopedDb().countyCoordinator.create({ data: { countyId: B.countyId!, userId: coordinatorB.id } });
    const partner = await unscopedDb().logisticsPartner.create({
      data: { countyId: B.countyId!, nameZh: "乙县快递", kind: "EXPRESS", services: ["HOME"], areas: [] },
    });
    const made = await unscopedDb().reportExport.create({
      data: {
        countyId: B.countyId!,
        userId: coordinatorB.id,
        report: "orders",
        format: "csv",
        filters: { from: "2026-11-01", to: "2026-11-30", shop: SHOP_B },
        rowsTotal: 1,
        status: "FAILED",
        error: "kept inert for the walk",
      },
    });
    const idsOfB: Record<string, string> = { partner: partner.id, id: made.id };
    const values = { ...B, ...idsOfB, month: "2026-11" };
    const exportsBefore = JSON.stringify(await unscopedDb().reportExport.findMany({ orderBy: { id: "asc" } }));
    for (const file of countyRouteFiles) {
      const mod: RouteModule = await importRoute(file);
      const theirs = pathOf(urlFor(file, paramsFrom(file, values)));
      const underOwn = pathOf(urlFor(file, { ...paramsFrom(file, values), code: A.code! }));
      const hasOwnIds = paramNames(file).some((name) => name.replace(/_$/, "") in idsOfB);
      for (const port of NODE_PORTS) {
        const browser = new Browser(session.cookie);
        if (mod.loader) {
          const answer = await browser.get(theirs, port);
          expect(answer.status, `${file} on ${answer.node}`).toBe(404);
          expect(answer.body).not.toContain(SHOP_B);
          if (hasOwnIds) {
            const crossed = await browser.get(underOwn, port);
            expect(crossed.status, `${file} (B's ids under A's code) on ${crossed.node}`).toBe(404);
          }
        }
        if (mod.action) {
          for (const intent of ["", "create", "export", "rotate"]) {
            const answer = await browser.post(actionOf(file, theirs), { csrf: session.csrf, intent }, { port });
            expect(answer.status, `${file} action (${intent || "no intent"}) on ${answer.node}`).toBe(404);
          }
          if (hasOwnIds) {
            const crossed = await browser.post(
              actionOf(file, underOwn),
              { csrf: session.csrf, intent: "delete" },
              { port },
            );
            expect([400, 404], `${file} action (B's ids under A's code) on ${crossed.node}`).toContain(crossed.status);
          }
        }
      }
    }
    expect(countyRouteFiles.length).toBeGreaterThanOrEqual(8);
    // And their own county's dashboard is theirs, on both nodes.
    for (const port of NODE_PORTS)
      expect((await new Browser(session.cookie).get(`/county/${A.code}`, port)).status).toBe(200);
    expect(JSON.stringify(await unscopedDb().reportExport.findMany({ orderBy: { id: "asc" } }))).toBe(exportsBefore);
  });

  /** `count` guests, each with one unit of the variant (and slot) in the cart and the checkout form as rendered. */
  async function crowd(count: number, line: { variantId: string; slotId?: string }) {
    const buyers: { browser: Browser; form: FormData; port: number }[] = [];
    // Through nginx and straight to each node.
    const ports = [NGINX_PORT, PORT_A, PORT_B];
    for (let start = 0; start < count; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, count - start) }, async (_, k) => {
          const i = start + k;
          const visitor = await guest();
          await addToCart({ visitor: visitor.visitor, request: cartRequest(), quantity: 1, ...line });
          const browser = new Browser(visitor.cookie);
          const page = await browser.get("/checkout");
          expect(page.status).toBe(200);
          const fields = formFields(formHtml(page.body, 'id="checkout"').body);
          const has = (name: string) => fields.some(([field]) => field === name);
          // What the buyer types: the contact, an address for goods, the visitor's name for a slot.
          const form = edited(fields, {
            contactName: "王小明",
            contactPhone: `138${String(10_000_000 + i)}`,
            ...(has("shops[0].shopId")
              ? { "shops[0].addressRegion": "江苏省 南京市 鼓楼区", "shops[0].addressLine": `中山路 ${i + 1} 号` }
              : {}),
            ...(has("visitors[0].lineId") ? { "visitors[0].names": `游客${i + 1}` } : {}),
            provider: "OFFLINE",
            offlineMethod: "COD",
            intent: "place",
          });
          return { browser, form, port: ports[i % ports.length]! };
        }),
      );
      buyers.push(...batch);
    }
    return buyers;
  }

  /**
   * Every buyer presses place order at once. No 5xx; each answer is an order (a redirect to its
   * page, whose order exists with the one line) or the checkout again saying what changed.
   */
  async function rush(buyers: Awaited<ReturnType<typeof crowd>>, variantId: string) {
    const answers = await Promise.all(
      buyers.map(({ browser, form, port }) => browser.post("/checkout", form, { port })),
    );
    expect(answers.filter((a) => a.status >= 500).map((a) => `${a.status} ${a.node}`)).toEqual([]);
    expect(new Set(answers.map((a) => a.node))).toEqual(new Set(NODE_NAMES));
    const placed = answers.filter((a) => a.status === 302 || a.status === 303);
    const refused = answers.filter((a) => a.status === 409);
    const others = answers.filter((a) => !placed.includes(a) && !refused.includes(a));
    expect(others.map((a) => `${a.status} ${a.location ?? a.body.slice(0, 200)}`)).toEqual([]);
    for (const answer of refused) expect(answer.body).toContain("有些商品变了，请先看一下");
    const numbers = placed.map((a) => /^\/orders\/(\d{12})$/.exec(a.location ?? "")?.[1]);
    expect(numbers.every(Boolean), placed.map((a) => a.location).join(", ")).toBe(true);
    const orders = await unscopedDb().order.findMany({
      where: { number: { in: numbers as string[] } },
      select: { shopOrders: { select: { lines: { select: { variantId: true, quantity: true } } } } },
    });
    expect(orders).toHaveLength(placed.length);
    for (const order of orders) expect(order.shopOrders.flatMap((s) => s.lines)).toEqual([{ variantId, quantity: 1 }]);
    return { placed, refused };
  }

  it("sells exactly the stock when 100 buyers on both nodes press place order at once", async () => {
    const BUYERS = 100;
    const STOCK = 7;
    const variant = f.b.p12;
    await unscopedDb().variant.updateMany({ where: { id: variant.id }, data: { stock: BUYERS } });
    const buyers = await crowd(BUYERS, { variantId: variant.id });
    // The last units: fewer than the buyers holding it in their carts.
    await unscopedDb().variant.updateMany({ where: { id: variant.id }, data: { stock: STOCK } });

    const { placed, refused } = await rush(buyers, variant.id);
    expect(placed).toHaveLength(STOCK);
    expect(refused).toHaveLength(BUYERS - STOCK);
    for (const answer of refused)
      expect(answer.body).toContain('<li data-change="NOT_ENOUGH_STOCK">水蜜桃礼盒：已售罄');
    expect((await unscopedDb().variant.findFirstOrThrow({ where: { id: variant.id } })).stock).toBe(0);
    const lines = await unscopedDb().shopOrderLine.aggregate({
      where: { variantId: variant.id },
      _sum: { quantity: true },
    });
    expect(lines._sum.quantity).toBe(STOCK);
  });

  it("books exactly the places of an experience slot when 60 buyers on both nodes press place order at once", async () => {
    const BUYERS = 60;
    const PLACES = 5;
    await unscopedDb().experienceSlot.updateMany({ where: { id: f.a.slot }, data: { capacity: BUYERS, booked: 0 } });
    const buyers = await crowd(BUYERS, { variantId: f.a.ticket.id, slotId: f.a.slot });
    await unscopedDb().experienceSlot.updateMany({ where: { id: f.a.slot }, data: { capacity: PLACES } });

    const { placed, refused } = await rush(buyers, f.a.ticket.id);
    expect(placed).toHaveLength(PLACES);
    expect(refused).toHaveLength(BUYERS - PLACES);
    for (const answer of refused) expect(answer.body).toContain('data-change="SLOT_FULL"');
    const slot = await unscopedDb().experienceSlot.findFirstOrThrow({ where: { id: f.a.slot } });
    expect([slot.booked, slot.capacity]).toEqual([PLACES, PLACES]);
  });

  it("makes one order of a double press of place order, one press on each node, and sends both to it", async () => {
    const [buyer] = await crowd(1, { variantId: f.a.p12.id });
    const answers = await Promise.all(
      NODE_PORTS.map((port) => buyer!.browser.post("/checkout", buyer!.form, { port })),
    );
    expect(answers.map((a) => [a.status, a.node])).toEqual([
      [302, NODE_NAMES[0]],
      [302, NODE_NAMES[1]],
    ]);
    const number = /^\/orders\/(\d{12})$/.exec(answers[0]!.location ?? "")?.[1];
    expect(number).toBeDefined();
    expect(answers[1]!.location).toBe(answers[0]!.location);
    // The browser may see its order on either node.
    for (const port of NODE_PORTS) expect((await buyer!.browser.get(answers[0]!.location!, port)).status).toBe(200);
    const key = buyer!.form.get("checkoutKey") as string;
    expect(await unscopedDb().order.findMany({ where: { checkoutKey: key }, select: { number: true } })).toEqual([
      { number },
    ]);
  });

  it("counts sign-in failures spread over both nodes as one limit", async () => {
    // The sign-in page is the same for every anonymous browser: read its form once.
    const page = await new Browser().get("/login");
    expect(page.status).toBe(200);
    const fields = formFields(formHtml(page.body, 'name="identifier"').body);
    /** One sign-in, posted through nginx (round robin: the next node each time) as a browser at `address`. */
    const attempt = (identifier: string, password: string, address: string) =>
      new Browser("", address).post("/login", edited(fields, { identifier, password }), { origin: true });

    // One address guessing one account: refused after the pair's points in total.
    const target = await createUser();
    const pair = SIGN_IN_LIMITS.pair.points;
    const guesses: Answer[] = [];
    for (let i = 0; i <= pair; i++) guesses.push(await attempt(target.phone, `guess-${i}`, "10.61.0.1"));
    expect(guesses.map((g) => g.status)).toEqual([...Array(pair).fill(400), 429]);
    expect(new Set(guesses.slice(0, pair).map((g) => g.node))).toEqual(new Set(NODE_NAMES));
    expect(guesses[pair]!.body).toContain("这个账号从此网络登录失败次数过多");

    // Many addresses on one account: locked once the distinct addresses reach the account's points in total.
    const victim = await createUser();
    const addresses = SIGN_IN_LIMITS.account.points;
    const sprayed: Answer[] = [];
    for (let i = 0; i < addresses; i++) sprayed.push(await attempt(victim.phone, "spray", `10.62.0.${i + 1}`));
    expect(new Set(sprayed.map((s) => s.node))).toEqual(new Set(NODE_NAMES));
    const owner = await attempt(victim.phone, TEST_PASSWORD, "10.62.1.1");
    expect(owner.status).toBe(429);
    expect(owner.body).toContain("已临时锁定");
    expect(
      await unscopedDb().notification.count({ where: { recipient: victim.phone, template: "account-locked" } }),
    ).toBe(1);
  });

  it("spends a two-step code once when it is sent to both nodes at the same moment", async () => {
    const user = await createUser();
    const secret = await enableTwoFactor(user.id);
    const page = await new Browser().get("/login");
    const fields = formFields(formHtml(page.body, 'name="identifier"').body);
    // Two browsers give the password, one to each node: each gets a pending sign-in.
    const browsers = [new Browser("", "10.63.0.1"), new Browser("", "10.63.0.2")];
    for (const [i, browser] of browsers.entries()) {
      const password = await browser.post(
        "/login",
        edited(fields, { identifier: user.phone, password: TEST_PASSWORD }),
        {
          port: NODE_PORTS[i],
          origin: true,
        },
      );
      expect([password.status, password.location]).toEqual([302, "/login/two-factor"]);
    }
    // The same code from both, each to the other node, at once: one session, one refusal.
    const code = await currentTotpCode(secret);
    const answers = await Promise.all(
      browsers.map((browser, i) =>
        browser.post("/login/two-factor", { code }, { port: NODE_PORTS[1 - i], origin: true }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([302, 400]);
    expect(browsers.map((b) => b.has("sid")).sort()).toEqual([false, true]);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("never shows node B's cached page at the old price once B has heard of the change saved through node A", async () => {
    const product = `/s/${SHOP_A}/p/peach-box`;
    // Another shop's page: a change to it, committed after the price, tells when B has heard both
    // (PostgreSQL delivers notifications in commit order), without a clock.
    const marker = `/s/${SHOP_B}/p/peach-box`;
    const anonymous = new Browser();
    const { priceFen: oldFen } = await unscopedDb().variant.findFirstOrThrow({ where: { id: f.a.p6.id } });
    const newFen = oldFen + 1_100;
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    for (const port of NODE_PORTS) {
      for (const page of [product, marker]) {
        await anonymous.get(page, port);
        const again = await anonymous.get(page, port);
        expect([again.status, again.cache], `${page} on ${again.node}`).toEqual([200, "hit"]);
      }
      expect((await anonymous.get(product, port)).body).toContain(yuan(oldFen));
    }

    const owner = await createUser();
    await addMember(A.shopId!, owner.id, "OWNER");
    const staff = new Browser((await signedIn(owner.id)).cookie);
    const admin = `/admin/${A.shop}/products/${f.a.p6.productId}`;
    const rendered = await staff.get(admin, PORT_A);
    const fields = formFields(formHtml(rendered.body, `id="variant-${f.a.p6.id}"`).body);
    const saved = await staff.post(admin, edited(fields, { price: yuan(newFen) }), { port: PORT_A });
    expect([saved.status, saved.node]).toEqual([302, NODE_NAMES[0]]);
    await unscopedDb().variant.updateMany({ where: { shop: { slug: SHOP_B } }, data: { titleEn: "Box (B, changed)" } });
    await waitUntil(async () => (await anonymous.get(marker, PORT_B)).cache === "miss", 15_000, 50);

    for (const port of [PORT_B, PORT_A]) {
      const fresh = await anonymous.get(product, port);
      expect([fresh.status, fresh.cache], `on ${fresh.node}`).toEqual([200, "miss"]);
      expect(fresh.body).toContain(yuan(newFen));
      expect(fresh.body).not.toContain(yuan(oldFen));
      const kept = await anonymous.get(product, port);
      expect([kept.cache, kept.body.includes(yuan(newFen))]).toEqual(["hit", true]);
    }
  });
});
