import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { resetEnv } from "~/env.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { addMember, createUser, shopIdOf, signedIn } from "../support/auth";
import { sendHttp, startHttpApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";

// Issue #9, findings 2 and 8. Whoever sends a request chooses its Host, X-Forwarded-Host and
// X-Forwarded-Proto. Links in messages (password reset, staff invitation) and every absolute
// URL of a publicly cached answer (canonical, Open Graph, hreflang, JSON-LD, sitemap.xml,
// robots.txt) come from configuration only. The app runs behind Express as server.ts serves it,
// both trusting no proxy and trusting every X-Forwarded-* header (a misconfigured proxy).
const PUBLIC = "https://localhost:8443";
const shopPublic = (slug: string) => `https://${slug}.localhost:8443`;
process.env.PUBLIC_ORIGIN = PUBLIC;
resetEnv();

let trusting: Awaited<ReturnType<typeof startHttpApp>>;
let trustingNone: Awaited<ReturnType<typeof startHttpApp>>;
let traceCode: string;

beforeAll(async () => {
  await twoShops();
  traceCode = (
    await unscopedDb().batch.findFirstOrThrow({ where: { shop: { slug: SHOP_A } }, select: { traceCode: true } })
  ).traceCode;
  trusting = await startHttpApp(true);
  trustingNone = await startHttpApp(false);
});

afterAll(async () => {
  await trusting?.close();
  await trustingNone?.close();
  await stopApp();
});

/** Poisoned requests: a host of another site, and our host on a forged scheme and port. */
const POISONS: { name: string; headers: Record<string, string> }[] = [
  { name: "Host of another site", headers: { Host: "evil.example" } },
  { name: "X-Forwarded-Host of another site", headers: { Host: "localhost", "X-Forwarded-Host": "evil.example" } },
  {
    name: "a forwarded scheme and port",
    headers: { Host: "localhost", "X-Forwarded-Host": "localhost:6666", "X-Forwarded-Proto": "https" },
  },
  {
    name: "a platform alias on a forged port",
    headers: { Host: "www.localhost:6666", "X-Forwarded-Proto": "https" },
  },
];
/** The same, aimed at a shop's own host. */
const SHOP_HOST_POISONS: { name: string; headers: Record<string, string> }[] = [
  {
    name: "a forged port on the shop's host",
    headers: { Host: `${SHOP_A}.localhost:6666`, "X-Forwarded-Proto": "https" },
  },
  {
    name: "X-Forwarded-Host and -Proto naming the shop on a forged port",
    headers: { Host: "localhost", "X-Forwarded-Host": `${SHOP_A}.localhost:6666`, "X-Forwarded-Proto": "https" },
  },
];

const ALLOWED_ORIGINS = new Set([PUBLIC, shopPublic(SHOP_A), shopPublic(SHOP_B)]);
const FOREIGN_BUT_FINE = /^https?:\/\/(schema\.org|www\.w3\.org|www\.sitemaps\.org)(\/|$)/;

/** Every absolute URL in a body (HTML, XML, text or Remix's turbo-stream data). */
function absoluteUrls(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>\\)]+/g)].map((m) => m[0]);
}

function expectOnlyConfiguredUrls(text: string) {
  expect(text).not.toContain("evil.example");
  expect(text).not.toContain("6666");
  for (const url of absoluteUrls(text)) {
    if (FOREIGN_BUT_FINE.test(url)) continue;
    expect(ALLOWED_ORIGINS, `${url} is on a configured origin`).toContain(new URL(url).origin);
  }
}

const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];

const platformPages = () => [
  { path: "/", canonical: `${PUBLIC}/` },
  { path: `/search?q=${encodeURIComponent("桃")}`, canonical: `${PUBLIC}/search` },
  { path: `/s/${SHOP_A}`, canonical: `${shopPublic(SHOP_A)}/` },
  { path: `/s/${SHOP_A}/p/peach-box`, canonical: `${shopPublic(SHOP_A)}/p/peach-box` },
  { path: `/t/${traceCode}`, canonical: undefined },
  { path: `/s/${SHOP_A}/p/peach-box.data`, canonical: undefined },
  { path: "/_root.data", canonical: undefined },
  { path: `/search.data?q=${encodeURIComponent("桃")}`, canonical: undefined },
  { path: "/sitemap.xml", canonical: undefined },
  { path: "/robots.txt", canonical: undefined },
];
const shopHostPages = () => [
  { path: "/", canonical: `${shopPublic(SHOP_A)}/` },
  { path: "/p/peach-box", canonical: `${shopPublic(SHOP_A)}/p/peach-box` },
  { path: "/p/peach-box.data", canonical: undefined },
  { path: "/_root.data", canonical: undefined },
  { path: "/sitemap.xml", canonical: undefined },
  { path: "/robots.txt", canonical: undefined },
];

describe("publicly cached answers name configured origins only", () => {
  for (const [label, server] of [
    ["trusting every proxy", () => trusting],
    ["trusting none", () => trustingNone],
  ] as const) {
    for (const poison of POISONS) {
      it(`platform pages, .data, sitemap and robots with ${poison.name} (${label})`, async () => {
        let served = 0;
        for (const page of platformPages()) {
          const res = await sendHttp(server().port, page.path, { headers: poison.headers });
          expect(res.status, page.path).toBeLessThan(500);
          expectOnlyConfiguredUrls(res.text);
          if (res.status !== 200) continue; // another site's host: no shop there (404)
          served++;
          if (page.canonical) expect(canonicalOf(res.text), page.path).toBe(page.canonical);
        }
        // Only a foreign host is refused; our own host on a forged scheme or port is served.
        const forwarded = label === "trusting every proxy" ? poison.headers["X-Forwarded-Host"] : undefined;
        const foreign = (forwarded ?? poison.headers.Host) === "evil.example";
        if (!foreign) expect(served).toBe(platformPages().length);
      });
    }
    for (const poison of SHOP_HOST_POISONS) {
      it(`a shop's host with ${poison.name} (${label})`, async () => {
        for (const page of shopHostPages()) {
          const res = await sendHttp(server().port, page.path, { headers: poison.headers });
          expect(res.status, page.path).toBeLessThan(500);
          expectOnlyConfiguredUrls(res.text);
          // Trusting no proxy, X-Forwarded-Host is ignored and the platform's home answers.
          const onShop = label === "trusting every proxy" || !poison.headers["X-Forwarded-Host"];
          if (page.canonical && onShop) expect(canonicalOf(res.text), page.path).toBe(page.canonical);
        }
      });
    }
  }

  it("names the sitemap of the host asked, on its configured origin", async () => {
    const platform = await sendHttp(trusting.port, "/robots.txt", {
      headers: { Host: "localhost", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost:6666" },
    });
    expect(platform.text).toContain(`Sitemap: ${PUBLIC}/sitemap.xml`);
    const shop = await sendHttp(trusting.port, "/robots.txt", { headers: { Host: `${SHOP_A}.localhost:6666` } });
    expect(shop.text).toContain(`Sitemap: ${shopPublic(SHOP_A)}/sitemap.xml`);
    const sitemap = await sendHttp(trusting.port, "/sitemap.xml", {
      headers: { Host: "localhost:6666", "X-Forwarded-Proto": "https" },
    });
    expect(sitemap.text).toContain(`<loc>${PUBLIC}/</loc>`);
    expect(sitemap.text).toContain(`<loc>${shopPublic(SHOP_B)}/p/peach-box</loc>`);
  });
});

describe("links in messages", () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" };

  async function lastMessage(template: string, recipient: string) {
    const row = await db().notification.findFirstOrThrow({
      where: { template, recipient },
      orderBy: { createdAt: "desc" },
    });
    return (row.payload as { url: string }).url;
  }

  for (const poison of POISONS) {
    it(`a password reset requested with ${poison.name} links to the configured origin`, async () => {
      const user = await createUser();
      const res = await sendHttp(trusting.port, "/forgot-password", {
        method: "POST",
        headers: { ...formHeaders, ...poison.headers },
        body: form({ identifier: user.phone }),
      });
      expect(res.status).toBe(200);
      const url = await lastMessage("password-reset", user.phone);
      expect(url).toMatch(new RegExp(`^${PUBLIC}/reset-password\\?token=[\\w-]{20,}$`));
    });
  }

  it("a staff invitation sent with a poisoned Host and X-Forwarded-Host links to the configured origin", async () => {
    const owner = await createUser();
    await addMember(await shopIdOf(SHOP_B), owner.id, "OWNER");
    const session = await signedIn(owner.id);
    for (const poison of POISONS) {
      const invitee = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
      const res = await sendHttp(trusting.port, `/admin/${SHOP_B}/members`, {
        method: "POST",
        headers: { ...formHeaders, ...poison.headers, Cookie: session.cookie },
        body: form({ intent: "invite", identifier: invitee }),
      });
      expect(res.status, poison.name).toBe(302);
      expect(await lastMessage("staff-invitation", invitee)).toMatch(new RegExp(`^${PUBLIC}/invite/[\\w-]{20,}$`));
    }
  });
});

describe("CSRF: an Origin header must be a configured origin of the host asked", () => {
  // Called directly: Remix's own origin check answers cross-origin posts before the app does.
  async function status(url: string, headers: Record<string, string>) {
    try {
      await requireCsrf(new Request(url, { method: "POST", headers }), new FormData());
      return 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }

  it("accepts the configured origin of the platform and of a shop's host", async () => {
    expect(await status("http://localhost:8443/cart/add", { Origin: PUBLIC })).toBe(200);
    expect(await status(`http://${SHOP_A}.localhost/cart/add`, { Origin: shopPublic(SHOP_A) })).toBe(200);
    // The browser's own Fetch Metadata is enough (a local run on http://127.0.0.1:3000).
    expect(
      await status("http://127.0.0.1:3000/cart/add", {
        Origin: "http://127.0.0.1:3000",
        "Sec-Fetch-Site": "same-origin",
      }),
    ).toBe(200);
  });

  it("refuses an origin that only a forwarded header vouches for, another shop's, or another scheme", async () => {
    // The old check accepted an Origin equal to X-Forwarded-Host, which the sender chooses.
    expect(
      await status("http://localhost/cart/add", { Origin: "https://evil.example", "X-Forwarded-Host": "evil.example" }),
    ).toBe(403);
    expect(await status("http://evil.example/cart/add", { Origin: "http://evil.example" })).toBe(403);
    expect(await status("http://localhost/cart/add", { Origin: "http://localhost" })).toBe(403);
    expect(await status("http://localhost/cart/add", { Origin: shopPublic(SHOP_A) })).toBe(403);
    expect(await status(`http://${SHOP_B}.localhost/cart/add`, { Origin: shopPublic(SHOP_A) })).toBe(403);
    expect(await status("http://localhost/cart/add", { Origin: PUBLIC, "Sec-Fetch-Site": "same-site" })).toBe(403);
  });
});
