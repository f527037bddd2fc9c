import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connection, unscopedDb } from "~/db/index.server";
import { languageCookie } from "~/lib/i18n.server";
import { PAGE_CACHE_HEADER } from "~/modules/caching/compression.server";
import { ServerListener } from "~/modules/caching/page-changes.server";
import { csrfCookie } from "~/modules/identity/cookies.server";
import { newToken } from "~/modules/identity/tokens.server";
import { createUser, signedIn } from "../support/auth";
import { startCachedApp, type CachedApp } from "../support/cached-app";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";

// Private pages made from a template (docs/decisions/033-private-pages-from-a-template.md):
// a public page rendered for someone with a session or a cart is kept as a template and the
// next visitor with as many cart lines gets it with their own CSRF token and a fresh CSP
// nonce. Proven here against the same app without the cache ("the slow way"): the same
// bytes for every kind of visitor, never anyone else's token or count, nothing kept for a
// page with other private parts, no stale price after a committed change, and rendering
// while the change notifications are down.

type Instance = CachedApp;

const startInstance = (withCache: boolean) => startCachedApp({ withCache, withSecurityHeaders: true });

let slow: Instance;
let fast: Instance;
let other: Instance;
let f: Fixture;
const PRODUCT = `/s/${SHOP_A}/p/peach-box`;
const PAGES = [PRODUCT, `/s/${SHOP_A}`, "/"];

beforeAll(async () => {
  f = await twoShops();
  await startApp();
  slow = await startInstance(false);
  fast = await startInstance(true);
  other = await startInstance(true);
});

afterAll(async () => {
  await slow?.close();
  await fast?.close();
  await other?.close();
  await stopApp();
});

async function page(instance: Instance, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(instance.base + path, {
    headers: { accept: "text/html,*/*;q=0.8", "accept-encoding": "br, gzip", ...headers },
  });
  const html = await response.text();
  const policy = response.headers.get("Content-Security-Policy") ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? "no nonce";
  const setCookie = response.headers.get("Set-Cookie");
  const issued = setCookie ? ((await csrfCookie.parse(setCookie.split(";")[0]!)) as string | null) : null;
  return { response, html, nonce, issued, cache: response.headers.get(PAGE_CACHE_HEADER) };
}

/** The page with this response's nonce (and a token it was just given) written as placeholders. */
function normalised(p: Awaited<ReturnType<typeof page>>) {
  let html = p.html.replaceAll(p.nonce, "NONCE");
  if (p.issued) html = html.replaceAll(p.issued, "ISSUED");
  return html;
}

/** A guest with `lines` cart lines (added through the app) and, unless told otherwise, a CSRF cookie. */
async function guestWith(lines: number, options: { csrf?: boolean } = {}) {
  const variants = [f.a.p6.id, f.a.p12.id, f.b.p6.id].slice(0, lines);
  let cart = "";
  for (const variantId of variants) {
    const response = await fetch(`${slow.base}/cart/add`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ variantId, quantity: "1", redirectTo: PRODUCT }),
      headers: { Origin: slow.base, "Sec-Fetch-Site": "same-origin", ...(cart ? { cookie: cart } : {}) },
    });
    expect(response.status).toBe(302);
    cart ||= (response.headers.get("Set-Cookie") ?? "").split(";")[0]!;
  }
  const csrf = newToken();
  const cookie = options.csrf === false ? cart : `${cart}; ${(await csrfCookie.serialize(csrf)).split(";")[0]}`;
  return { cookie, csrf: options.csrf === false ? null : csrf };
}

const SAME_HEADERS = [
  "cache-control",
  "vary",
  "content-type",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "permissions-policy",
];

describe("private pages made from a template", () => {
  it("are byte for byte the page rendered the slow way, for every kind of visitor", async () => {
    const user = await createUser();
    const session = await signedIn(user.id);
    const english = (await languageCookie.serialize("en")).split(";")[0]!;
    const visitors = [
      { name: "one line", ...(await guestWith(1)) },
      { name: "another with one line", ...(await guestWith(1)) },
      { name: "two lines", ...(await guestWith(2)) },
      { name: "signed in, empty cart", cookie: session.cookie, csrf: session.csrf },
      { name: "no CSRF cookie yet", ...(await guestWith(1, { csrf: false })) },
    ];
    const languages: Record<string, Record<string, string>> = {
      zh: {},
      "Accept-Language en": { "accept-language": "en-US,en;q=0.9" },
      "lng cookie en": { cookieSuffix: english },
    };
    let fromTemplate = 0;
    for (const path of PAGES)
      for (const [language, extra] of Object.entries(languages))
        for (const visitor of visitors) {
          const { cookieSuffix, ...headers } = extra;
          const cookie = cookieSuffix ? `${visitor.cookie}; ${cookieSuffix}` : visitor.cookie;
          const reference = await page(slow, path, { ...headers, cookie });
          expect(reference.response.status, `${path} ${language} ${visitor.name}`).toBe(200);
          for (let i = 0; i < 2; i++) {
            const answer = await page(fast, path, { ...headers, cookie });
            const what = `${path}, ${language}, ${visitor.name}, request ${i + 1} (${answer.cache})`;
            expect(answer.response.status, what).toBe(200);
            expect(normalised(answer), what).toBe(normalised(reference));
            for (const name of SAME_HEADERS)
              expect(answer.response.headers.get(name), `${what}: ${name}`).toBe(reference.response.headers.get(name));
            expect(answer.response.headers.get("Content-Security-Policy")!.replaceAll(answer.nonce, "N"), what).toBe(
              reference.response.headers.get("Content-Security-Policy")!.replaceAll(reference.nonce, "N"),
            );
            expect(answer.response.headers.get("ETag"), what).toBeNull();
            // A fresh nonce each time, in the policy and on every script.
            expect(answer.nonce, what).not.toBe(reference.nonce);
            expect(answer.html, what).toContain(`nonce="${answer.nonce}"`);
            // Their own token: the cookie's, or one just given (with its cookie, as the render would).
            if (visitor.csrf) expect(answer.issued, what).toBeNull();
            else expect(answer.issued, what).toMatch(/^[\w-]{40,}$/);
            expect(Boolean(reference.issued), what).toBe(Boolean(answer.issued));
            expect(answer.html, what).toContain(visitor.csrf ?? answer.issued!);
            if (answer.cache === "private") {
              fromTemplate++;
              expect(answer.response.headers.get("Content-Encoding"), what).toBe("br");
            } else expect(answer.cache, what).toBe("bypass");
          }
        }
    // Everything after each (page, language, count)'s first render came from a template.
    expect(fromTemplate).toBeGreaterThanOrEqual(PAGES.length * 3 * (visitors.length * 2 - 3));
  });

  it("never gives one visitor another's token or cart count", async () => {
    const path = `/s/${SHOP_B}/p/peach-box`;
    const first = await guestWith(1);
    const second = await guestWith(1);
    const three = await guestWith(3);
    const a = await page(other, path, { cookie: first.cookie });
    expect(a.cache).toBe("bypass");
    expect(a.html).toContain(first.csrf);
    expect(a.html).toContain("购物车 (1)");
    const b = await page(other, path, { cookie: second.cookie });
    expect(b.cache).toBe("private");
    expect(b.html).toContain(second.csrf);
    expect(b.html).not.toContain(first.csrf);
    expect(b.nonce).not.toBe(a.nonce);
    expect(b.html).not.toContain(a.nonce);
    // Another count is another template: never the one-line page.
    const c = await page(other, path, { cookie: three.cookie });
    expect(c.cache).toBe("bypass");
    expect(c.html).toContain("购物车 (3)");
    expect(c.html).not.toContain("购物车 (1)");
    expect(c.html).not.toContain(first.csrf);
    // Anonymous visitors never get a private page, nor a token.
    const anonymous = await page(other, path);
    expect(anonymous.html).toContain("购物车 (0)");
    expect(anonymous.html).not.toContain(first.csrf);
    expect(anonymous.html).not.toContain(second.csrf);
    expect(anonymous.html).toContain('name="csrf" value=""');
    // Many visitors at once, each with their own token.
    const crowd = await Promise.all(Array.from({ length: 8 }, () => guestWith(1)));
    const answers = await Promise.all(crowd.map((v) => page(other, path, { cookie: v.cookie })));
    answers.forEach((answer, i) => {
      expect(answer.cache).toBe("private");
      expect(answer.html).toContain(crowd[i]!.csrf);
      for (const [j, v] of crowd.entries()) if (j !== i) expect(answer.html).not.toContain(v.csrf);
      expect(answer.html).toContain("购物车 (1)");
    });
  });

  it("renders every time a page with other private parts, and never keeps it", async () => {
    const visitor = await guestWith(1);
    for (const path of ["/cart", `/s/${SHOP_A}?lng=en`, "/search?q=peach", "/orders"]) {
      for (let i = 0; i < 2; i++) {
        const rendersBefore = other.renders();
        const answer = await page(other, path, { cookie: visitor.cookie });
        expect(answer.cache, path).toBe("bypass");
        expect(other.renders() - rendersBefore, path).toBe(1);
        expect(answer.response.headers.get("Cache-Control"), path).toBe("private, no-store");
      }
    }
    // Remix's data requests are rendered for the visitor too.
    const data = await fetch(`${other.base}${PRODUCT}.data`, { headers: { cookie: visitor.cookie } });
    expect(data.headers.get(PAGE_CACHE_HEADER)).toBe("bypass");
    expect(await data.text()).toContain(visitor.csrf);
  });

  it("shows a committed price change on every process, and renders while the notifications are down", async () => {
    const visitor = await guestWith(1);
    const heard = () => Promise.all([fast.cache!.listener.sync(), other.cache!.listener.sync()]);
    for (const instance of [fast, other]) {
      await page(instance, PRODUCT, { cookie: visitor.cookie });
      expect((await page(instance, PRODUCT, { cookie: visitor.cookie })).cache).toBe("private");
    }
    await unscopedDb().variant.updateMany({ where: { id: f.a.p6.id }, data: { priceFen: 18_700 } });
    await heard();
    for (const instance of [fast, other]) {
      const changed = await page(instance, PRODUCT, { cookie: visitor.cookie });
      expect(changed.cache).toBe("bypass");
      expect(changed.html).toContain("187.00");
      const again = await page(instance, PRODUCT, { cookie: visitor.cookie });
      expect(again.cache).toBe("private");
      expect(again.html).toContain("187.00");
    }

    const listener = fast.cache!.listener;
    if (connection().kind !== "server" || !(listener instanceof ServerListener)) return;
    await unscopedDb().$queryRawUnsafe(`SELECT pg_terminate_backend(${listener.backendPid})`);
    await until(() => !listener.online);
    await unscopedDb().$executeRawUnsafe(`ALTER TABLE "Variant" DISABLE TRIGGER "Variant_page_changes_updated"`);
    try {
      await unscopedDb().variant.updateMany({ where: { id: f.a.p6.id }, data: { priceFen: 18_900 } });
    } finally {
      await unscopedDb().$executeRawUnsafe(`ALTER TABLE "Variant" ENABLE TRIGGER "Variant_page_changes_updated"`);
    }
    for (let i = 0; i < 2; i++) {
      const down = await page(fast, PRODUCT, { cookie: visitor.cookie });
      expect(down.cache).toBe("bypass");
      expect(down.html).toContain("189.00");
    }
    await until(() => listener.online);
    const back = await page(fast, PRODUCT, { cookie: visitor.cookie });
    expect(back.cache).toBe("bypass");
    expect(back.html).toContain("189.00");
    expect((await page(fast, PRODUCT, { cookie: visitor.cookie })).cache).toBe("private");
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
