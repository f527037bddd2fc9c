import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { action as addAction } from "~/routes/cart.add";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as signupAction, loader as signupLoader } from "~/routes/signup";
import { createUser, getAs, run, signedIn, TEST_PASSWORD, type Session } from "../support/auth";
import { guest, twoShops, type Fixture } from "./cart-fixtures";

// Where a sign-in, a sign-up or an "add to cart" sends the browser next (issue #9, finding 6).
// A redirectTo that a browser would resolve to another host — a tab or a new line that the URL
// parser strips, a backslash it reads as a slash, the same encoded — is refused for the
// route's own default, and never answers 500. Each Location is resolved the way a browser
// does (the WHATWG URL parser) and must stay on this site.

const SITE = "http://localhost";

/** Values an attacker puts in redirectTo (as the route receives them, after one decoding). */
const HOSTILE = [
  "/\t/evil.example/path",
  "/\n/evil.example/path",
  "/\r\n/evil.example/path",
  "/\\evil.example/path",
  "/\t\\evil.example/path",
  "/\\\t/evil.example/path",
  "/%09/evil.example/path",
  "/%0A/evil.example/path",
  "/%5C/evil.example/path",
  "/\u0000/evil.example",
  "//evil.example/path",
  "https://evil.example/path",
  "/\u001F/evil.example",
];

/** A form POST from a page of this site, as a browser sends it (its Origin vouches for it). */
function formPost(url: string, fields: Record<string, string>, cookie?: string) {
  return new Request(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: SITE,
      "Sec-Fetch-Site": "same-origin",
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
}

let serial = 0;

function expectOnSite(location: string | null, expected: string) {
  expect(location).not.toBeNull();
  const resolved = new URL(location!, `${SITE}/login`);
  expect(resolved.origin).toBe(SITE);
  expect(location).toBe(expected);
}

let f: Fixture;
let user: { id: string; phone: string };
let session: Session;
beforeAll(async () => {
  f = await twoShops();
  user = await createUser();
  session = await signedIn(user.id);
});

describe("after signing in", () => {
  it.each(HOSTILE)("refuses redirectTo %j for /admin, and no 500", async (redirectTo) => {
    const result = await run(
      loginAction as never,
      formPost(`${SITE}/login`, { identifier: user.phone, password: TEST_PASSWORD, redirectTo }),
    );
    expect(result.status).toBe(302);
    expectOnSite(result.location, "/admin");
  });

  it("keeps a path on this site, its query and its non-ASCII characters", async () => {
    for (const [redirectTo, expected] of [
      ["/cart", "/cart"],
      ["/s/yangshan-peach/p/peach-box?from=share#reviews", "/s/yangshan-peach/p/peach-box?from=share#reviews"],
      ["/search?q=桃", "/search?q=%E6%A1%83"],
      ["/s/桃源", "/s/%E6%A1%83%E6%BA%90"],
    ] as const) {
      const result = await run(
        loginAction as never,
        formPost(`${SITE}/login`, { identifier: user.phone, password: TEST_PASSWORD, redirectTo }),
      );
      expect(result.status).toBe(302);
      expectOnSite(result.location, expected);
    }
  });

  it.each(["/\t/evil.example/path", "/\n/evil.example/path", "/\\evil.example", "/%0D%0A/evil.example"])(
    "a signed-in visit to /login?redirectTo=%j goes to /admin",
    async (redirectTo) => {
      const url = `${SITE}/login?redirectTo=${encodeURIComponent(redirectTo)}`;
      const result = await run(loginLoader as never, getAs(session, url));
      expect(result.status).toBe(302);
      expectOnSite(result.location, "/admin");
      const signup = await run(signupLoader as never, getAs(session, url.replace("/login", "/signup")));
      expect(signup.status).toBe(302);
      expectOnSite(signup.location, "/admin");
    },
  );
});

describe("after signing up", () => {
  it.each(["/\t/evil.example/path", "/\n/evil.example/path", "/\\evil.example/path", "/%09/evil.example"])(
    "refuses redirectTo %j",
    async (redirectTo) => {
      const phone = `137${String(Date.now() + ++serial).slice(-8)}`;
      const result = await run(
        signupAction as never,
        formPost(`${SITE}/signup`, { name: "王小明", identifier: phone, password: TEST_PASSWORD, redirectTo }),
      );
      expect(result.status).toBe(302);
      expectOnSite(result.location, "/admin");
      await unscopedDb().user.deleteMany({ where: { phone } });
    },
  );
});

describe("after adding to the cart without JavaScript", () => {
  it.each(["/\t/evil.example/path", "/\n/evil.example/path", "/\\evil.example/path", "/%0A/evil.example"])(
    "refuses redirectTo %j for the cart",
    async (redirectTo) => {
      const browser = await guest();
      const result = await run(
        addAction as never,
        formPost(`${SITE}/cart/add`, { variantId: f.a.p6.id, quantity: "1", redirectTo }, browser.cookie),
      );
      expect(result.status).toBe(302);
      expectOnSite(result.location, "/cart?added=1");
    },
  );
});
