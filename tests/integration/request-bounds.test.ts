import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import zh from "~/locales/zh-CN/index";
import { FORM_MAX_BYTES, FORM_MAX_FIELDS, FORM_MAX_INDEX } from "~/lib/request-bounds.server";
import { addToCart, cartIdOf } from "~/modules/cart/cart.cross-shop.server";
import { createUser, signedIn, TEST_PASSWORD, type Session } from "../support/auth";
import { sendHttp, startApp, startHttpApp, stopApp } from "../support/remix-app";
import { guest, request as plainRequest, twoShops, type Fixture } from "./cart-fixtures";
import { produceFields, shopWithTeam, type ShopWithTeam } from "./catalog-fixtures";

// What a request may ask of the server (issue #9, findings 1 and 10), through the whole app
// in-process as the server runs it (tests/support/remix-app.ts: the same guard as server.ts,
// then Remix). Each refused request answers a 4xx with a translated reason — never a 500,
// never a hang — and leaves the database as it was.

const SITE = "http://localhost";

let app: (request: Request) => Promise<Response>;
let f: Fixture;
let team: ShopWithTeam;
let buyer: { id: string; phone: string };
let buyerSession: Session;

beforeAll(async () => {
  f = await twoShops();
  team = await shopWithTeam();
  buyer = await createUser();
  buyerSession = await signedIn(buyer.id);
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

/** Row counts of the tables a form could write to. */
async function snapshot() {
  const db = unscopedDb();
  const [users, sessions, securityEvents, carts, cartLines, orders, products, variants, reservations] =
    await Promise.all([
      db.user.count(),
      db.session.count(),
      db.securityEvent.count(),
      db.cart.count(),
      db.cartLine.count(),
      db.order.count(),
      db.product.count(),
      db.variant.count(),
      db.reservation.count(),
    ]);
  const quantities = await db.cartLine.aggregate({ _sum: { quantity: true } });
  return {
    users,
    sessions,
    securityEvents,
    carts,
    cartLines,
    orders,
    products,
    variants,
    reservations,
    quantities: quantities._sum.quantity,
  };
}

/** A POST from a page of this site, as a browser sends it. */
function post(path: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  return app(
    new Request(`${SITE}${path}`, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: SITE,
        "Sec-Fetch-Site": "same-origin",
        ...headers,
      },
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit),
  );
}

function encoded(fields: Record<string, string | string[]> | [string, string][]) {
  const params = new URLSearchParams();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return params.toString();
}

function text(key: string): string {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], zh);
  if (typeof value !== "string") throw new Error(`no text for ${key}`);
  return value;
}

/** The refusal's status and its translated reason on the page (HTML-escaped as React writes it). */
async function expectRefused(response: Response, status: number, key: string) {
  expect(response.status).toBe(status);
  const body = await response.text();
  const escaped = text(key).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  expect(body.includes(text(key)) || body.includes(escaped)).toBe(true);
}

async function healthy() {
  const response = await app(new Request(`${SITE}/healthz`));
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok" });
}

/** A guest with one box in the cart, ready to check out. */
async function guestWithCart() {
  const browser = await guest();
  await addToCart({ visitor: browser.visitor, request: plainRequest(), variantId: f.a.p6.id, quantity: 1 });
  return browser;
}

describe("array indices, field counts and nesting are bounded before the form is parsed", () => {
  it("answers the 143-byte checkout body with shops[99999999] at once with a 400, and /healthz still answers", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    const body =
      "intent=place&contactName=x&contactPhone=13800138000&shops[99999999].shopId=x&shops[99999999].delivery=HOME&provider=OFFLINE";
    const response = await post("/checkout", body, { Cookie: browser.cookie });
    await expectRefused(response, 400, "request.badForm");
    await healthy();
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an index past the limit on every form with array fields, and takes the limit itself", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    for (const [path, name] of [
      ["/checkout", `visitors[${FORM_MAX_INDEX + 1}].names`],
      ["/checkout", `shops[${FORM_MAX_INDEX + 1}].shopId`],
      [`/admin/${team.shop.slug}/settings`, `certifications[200000].name`],
      [`/admin/${team.shop.slug}/batches/new`, `inputs[${10 ** 9}].name`],
    ] as const) {
      const response = await post(path, encoded({ [name]: "x", intent: "review" }), {
        Cookie: path.startsWith("/admin") ? team.owner.session.cookie : browser.cookie,
      });
      await expectRefused(response, 400, "request.badForm");
    }
    // The largest index allowed is only a field error or a review, never a refusal.
    const atLimit = await post("/checkout", encoded({ [`shops[${FORM_MAX_INDEX}].shopId`]: "x" }), {
      Cookie: browser.cookie,
    });
    expect(atLimit.status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses too many fields, names nested too deep, and names that reach an object's prototype", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    const many = Array.from({ length: FORM_MAX_FIELDS + 1 }, (_, i) => [`f${i}`, "1"] as [string, string]);
    await expectRefused(await post("/checkout", encoded(many), { Cookie: browser.cookie }), 400, "request.badForm");
    const empties = "&".repeat(FORM_MAX_FIELDS + 5);
    await expectRefused(await post("/checkout", empties, { Cookie: browser.cookie }), 400, "request.badForm");
    for (const name of ["shops[0].a.b.c", "a[0][0][0][0]", "__proto__.polluted", "shops[0].constructor", "x[abc]"]) {
      await expectRefused(
        await post("/checkout", encoded({ [name]: "1" }), { Cookie: browser.cookie }),
        400,
        "request.badForm",
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });
});

describe("bodies are bounded by size", () => {
  it("answers 413 to a form larger than the limit, declared or streamed without a length", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    const big = encoded({ contactName: "桃".repeat(FORM_MAX_BYTES / 3) });
    expect(big.length).toBeGreaterThan(FORM_MAX_BYTES);
    await expectRefused(await post("/checkout", big, { Cookie: browser.cookie }), 413, "request.tooLarge");
    await expectRefused(
      await post(
        "/login",
        encoded({ identifier: buyer.phone, password: TEST_PASSWORD, redirectTo: "x".repeat(FORM_MAX_BYTES) }),
      ),
      413,
      "request.tooLarge",
    );
    // A chunked body that never ends: the reader stops at the limit.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new TextEncoder().encode(`contactName=${"a".repeat(64 * 1024 - 12)}`));
      },
    });
    await expectRefused(await post("/checkout", endless, { Cookie: browser.cookie }), 413, "request.tooLarge");
    expect(sent).toBeLessThan(FORM_MAX_BYTES * 2);
    await healthy();
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a declared length larger than any route takes before Remix sees it", async () => {
    const response = await app(
      new Request(`${SITE}/checkout`, {
        method: "POST",
        body: "contactName=x",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: SITE,
          "Content-Length": String(10 ** 12),
        },
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toBe(text("request.tooLarge"));
  });
});

describe("a body that is not a form", () => {
  it("answers 415 to JSON, text and XML sent to a form action, and writes nothing", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    const json = JSON.stringify({ identifier: buyer.phone, password: TEST_PASSWORD });
    for (const [path, type, body] of [
      ["/login", "application/json", json],
      [
        "/signup",
        "application/json",
        JSON.stringify({ name: "x", identifier: "13900000000", password: TEST_PASSWORD }),
      ],
      ["/cart/add", "application/json", JSON.stringify({ variantId: f.a.p6.id, quantity: 1 })],
      ["/checkout", "text/plain", "intent=place"],
      ["/orders", "application/xml", "<a/>"],
    ] as const) {
      const response = await post(path, body, { "Content-Type": type, Cookie: browser.cookie });
      await expectRefused(response, 415, "request.notAForm");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 400 to a multipart body that does not parse", async () => {
    const response = await post("/login", "--x\r\nContent-Disposition: form-data; name=", {
      "Content-Type": "multipart/form-data; boundary=x",
    });
    await expectRefused(response, 400, "request.badForm");
  });
});

describe("a POST from another origin, or from an opaque one", () => {
  it.each(["null", "http://evil.example", "https://localhost.evil.example", "not a url", "http://localhost:8080"])(
    "Origin: %s is a clean 403 on every form, and writes nothing",
    async (origin) => {
      const browser = await guestWithCart();
      const before = await snapshot();
      for (const [path, fields] of [
        ["/login", { identifier: buyer.phone, password: TEST_PASSWORD }],
        ["/cart/add", { variantId: f.a.p6.id, quantity: "1" }],
        ["/checkout", { intent: "place" }],
        ["/logout", {}],
      ] as const) {
        const response = await post(path, encoded(fields), {
          Origin: origin,
          Cookie: `${browser.cookie}; ${buyerSession.cookie}`,
        });
        expect(response.status).toBe(403);
        expect(await response.text()).toContain(text("auth.errors.csrf"));
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(["", "null", "http://evil.example"])(
    "a HEAD or PUT on a single-fetch .data URL with Origin %j is a 403 too (Remix handles it as an action)",
    async (origin) => {
      const before = await snapshot();
      for (const method of ["HEAD", "PUT"]) {
        const response = await app(new Request(`${SITE}/_root.data`, { method, headers: { Origin: origin } }));
        expect(response.status).toBe(403);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it("a forwarded host that is not the origin's is a 403 too, and the site's own origin still signs in", async () => {
    const refused = await post("/login", encoded({ identifier: buyer.phone, password: TEST_PASSWORD }), {
      "X-Forwarded-Host": "elsewhere.example",
    });
    expect(refused.status).toBe(403);
    const ok = await post("/login", encoded({ identifier: buyer.phone, password: TEST_PASSWORD }));
    expect(ok.status).toBe(302);
  });
});

describe("control characters", () => {
  it.each([
    "/search?q=%00",
    "/search?q=%E6%A1%83%00",
    "/search?q=a%0Db",
    "/s/%00",
    `/s/${"cart-alpha"}/p/%00`,
    "/t/%00",
    "/orders/%00",
  ])("GET %s answers 400 with the reason, not a 500", async (path) => {
    const response = await app(new Request(`${SITE}${path}`));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(text("request.controlCharacters"));
  });

  it("the admin's product and order searches answer 400 to a NUL", async () => {
    for (const path of [
      `/admin/${team.shop.slug}/products?q=%00`,
      `/admin/${team.shop.slug}/orders?q=a%00b`,
      "/platform/shops?q=%00",
    ]) {
      const response = await app(new Request(`${SITE}${path}`, { headers: { Cookie: team.owner.session.cookie } }));
      expect(response.status).toBe(400);
    }
  });

  it("a NUL in the sign-up name is refused with the reason, and no account is made", async () => {
    const before = await snapshot();
    for (const name of ["王\u0000小明", "\u0000", "名字\u0007", "x\u001b[31m"]) {
      const response = await post("/signup", encoded({ name, identifier: "13911112222", password: TEST_PASSWORD }));
      await expectRefused(response, 400, "request.controlCharacters");
    }
    expect(await unscopedDb().user.count({ where: { phone: "13911112222" } })).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("a NUL in a product's title is refused, and no product is made; line ends in a description are kept", async () => {
    const before = await snapshot();
    const fields = { ...produceFields({ titleZh: "阳山\u0000水蜜桃" }) } as Record<string, string | string[]>;
    const response = await post(`/admin/${team.shop.slug}/products/new`, encoded(fields), {
      Cookie: team.owner.session.cookie,
    });
    await expectRefused(response, 400, "request.controlCharacters");
    expect(await snapshot()).toEqual(before);

    const fine = await post(
      `/admin/${team.shop.slug}/products/new`,
      encoded({
        ...produceFields({
          titleZh: "阳山水蜜桃\t礼盒",
          summaryZh: "皮薄汁多\r\n个大味甜",
          titleEn: "Yangshan Peach Gift",
        }),
      }),
      { Cookie: team.owner.session.cookie },
    );
    expect(fine.status).toBe(302);
  });

  it("a NUL in the order look-up is refused and records no attempt", async () => {
    const before = await snapshot();
    const response = await post("/orders", encoded({ number: "YC\u0000", phone: "13800138000" }));
    await expectRefused(response, 400, "request.controlCharacters");
    expect(await snapshot()).toEqual(before);
  });
});

describe("numbers are decimal digits only", () => {
  it.each(["0x10", "1e1", "0b11", "0o7", " 0x1 ", "１", "Infinity", "1.5", "+2", "1_0"])(
    "quantity=%s is not read as a number: the cart is unchanged",
    async (quantity) => {
      const browser = await guest();
      const before = await snapshot();
      const response = await post("/cart/add", encoded({ variantId: f.a.p6.id, quantity, redirectTo: "/cart" }), {
        Cookie: browser.cookie,
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/cart?cartError=quantityInvalid");
      expect(await snapshot()).toEqual(before);
    },
  );

  it("the cart page's quantity update refuses 0x10 and keeps the line as it was", async () => {
    const browser = await guestWithCart();
    const cart = await unscopedDb().cart.findFirstOrThrow({
      where: { id: cartIdOf(browser.visitor) ?? "" },
      include: { lines: true },
    });
    const line = cart.lines[0]!;
    const before = await snapshot();
    const response = await post("/cart", encoded({ intent: "update", lineId: line.id, quantity: "0x10" }), {
      Cookie: browser.cookie,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await unscopedDb().cartLine.findFirstOrThrow({ where: { id: line.id } })).quantity).toBe(line.quantity);
    expect(await snapshot()).toEqual(before);
  });

  it("a product's whole-number fields refuse hexadecimal and exponents", async () => {
    const before = await snapshot();
    for (const value of ["0x10", "1e3"]) {
      const response = await post(
        `/admin/${team.shop.slug}/products/new`,
        encoded({ ...produceFields({ shelfLifeDays: value, titleEn: `Hex ${value}` }) }),
        { Cookie: team.owner.session.cookie },
      );
      expect(response.status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("search pages read ?page=0x2 as no page at all", async () => {
    const hex = await app(new Request(`${SITE}/search.data?q=${encodeURIComponent("桃")}&page=0x2`));
    const first = await app(new Request(`${SITE}/search.data?q=${encodeURIComponent("桃")}&page=1`));
    expect(hex.status).toBe(200);
    expect(await hex.text()).toBe(await first.text());
  });
});

describe("over HTTP, as server.ts serves the app (Express, the same guard, Remix)", () => {
  let server: Awaited<ReturnType<typeof startHttpApp>>;
  beforeAll(async () => {
    server = await startHttpApp();
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers the shops[99999999] body with a 400 while /healthz keeps answering", async () => {
    const browser = await guestWithCart();
    const before = await snapshot();
    const body =
      "intent=place&contactName=x&contactPhone=13800138000&shops[99999999].shopId=x&shops[99999999].delivery=HOME&provider=OFFLINE";
    const headers = {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: `http://127.0.0.1:${server.port}`,
      Cookie: browser.cookie,
    };
    const [refused, ...health] = await Promise.all([
      sendHttp(server.port, "/checkout", { method: "POST", headers, body }),
      sendHttp(server.port, "/healthz"),
      sendHttp(server.port, "/healthz"),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(text("request.badForm"));
    expect(health.map((h) => h.status)).toEqual([200, 200]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses Origin: null and a foreign origin with a 403, a URL with a NUL with a 400, a huge declared body with a 413", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const body = encoded({ identifier: buyer.phone, password: TEST_PASSWORD });
    for (const origin of ["null", "http://evil.example"]) {
      const response = await sendHttp(server.port, "/login", {
        method: "POST",
        headers: { ...form, Origin: origin },
        body,
      });
      expect(response.status).toBe(403);
      expect(response.text).toBe(text("auth.errors.csrf"));
    }
    expect((await sendHttp(server.port, "/search?q=%00")).status).toBe(400);
    const huge = await sendHttp(server.port, "/login", {
      method: "POST",
      headers: { ...form, "Content-Length": String(10 ** 12) },
    });
    expect(huge.status).toBe(413);
  });
});
