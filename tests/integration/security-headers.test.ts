import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { resetEnv } from "~/env.server";
import { contentSecurityPolicy } from "~/modules/security/content-security-policy.server";
import { securityHeaders } from "~/modules/security/http-headers.server";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops } from "./cart-fixtures";

// Issue #9, finding 9: every document carries a strict Content-Security-Policy whose nonce is on
// every script the page has (Remix's own, scroll restoration, streamed data, JSON-LD), and the
// server adds HSTS (on https), a Permissions-Policy and the other helmet headers. A cached page
// keeps its body and its policy together: a 304 never brings a policy of its own.
// The local Stripe test server's origin is where the e2e checkout's payment page lives.
const STRIPE_TEST_BASE = "http://127.0.0.1:12999";
process.env.STRIPE_API_BASE = STRIPE_TEST_BASE;
process.env.PUBLIC_ORIGIN = "http://localhost";
resetEnv();

let app: (request: Request) => Promise<Response>;
let traceCode: string;

beforeAll(async () => {
  await twoShops();
  traceCode = (
    await unscopedDb().batch.findFirstOrThrow({ where: { shop: { slug: SHOP_A } }, select: { traceCode: true } })
  ).traceCode;
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
});

const get = (url: string, headers: Record<string, string> = {}) => app(new Request(url, { headers }));

const documents = () => [
  { name: "marketplace", url: "http://localhost/" },
  { name: "search", url: `http://localhost/search?q=${encodeURIComponent("桃")}` },
  { name: "shop home by path", url: `http://localhost/s/${SHOP_A}` },
  { name: "shop home on its host", url: `http://${SHOP_A}.localhost/` },
  { name: "product (JSON-LD) by path", url: `http://localhost/s/${SHOP_A}/p/peach-box` },
  { name: "product on the shop's host", url: `http://${SHOP_A}.localhost/p/peach-box` },
  { name: "trace record", url: `http://localhost/t/${traceCode}` },
  { name: "sign-in page", url: "http://localhost/login" },
  { name: "cart", url: "http://localhost/cart" },
  { name: "a page that does not exist", url: "http://localhost/s/no-such-shop" },
];

/** The policy's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function nonceOf(policy: string): string {
  const match = /'nonce-([A-Za-z0-9+/=]+)'/.exec(directives(policy).get("script-src")!.join(" "));
  expect(match, "script-src has a nonce").not.toBeNull();
  return match![1]!;
}

describe("Content-Security-Policy on every document", () => {
  for (const page of documents()) {
    it(`${page.name}: a strict policy, and every script in the page carries its nonce`, async () => {
      const response = await get(page.url);
      expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
      const policy = response.headers.get("Content-Security-Policy");
      expect(policy).toBeTruthy();
      const d = directives(policy!);
      const nonce = nonceOf(policy!);
      expect(d.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(d.get("object-src")).toEqual(["'none'"]);
      expect(d.get("base-uri")).toEqual(["'none'"]);
      expect(d.get("frame-ancestors")).toEqual(["'none'"]);
      expect(d.get("default-src")).toEqual(["'self'"]);
      expect(d.get("form-action")).toEqual([
        "'self'",
        "http://localhost",
        "https://checkout.stripe.com",
        STRIPE_TEST_BASE,
      ]);
      expect(policy).not.toMatch(/unsafe-eval|\*/);
      expect(d.get("style-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(d.has("upgrade-insecure-requests")).toBe(false);

      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      // No inline event handlers, no <style> element without the nonce, no javascript: URLs.
      expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
      expect(html).not.toMatch(/javascript:/i);
      for (const tag of html.matchAll(/<style\b[^>]*>/g)) expect(tag[0]).toContain(`nonce="${nonce}"`);
    });
  }

  it("puts the nonce on the product's JSON-LD", async () => {
    const response = await get(`http://localhost/s/${SHOP_A}/p/peach-box`);
    const nonce = nonceOf(response.headers.get("Content-Security-Policy")!);
    expect(await response.text()).toContain(`<script type="application/ld+json" nonce="${nonce}">`);
  });

  it("makes a new nonce for every response, unguessable from the last", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await get(`http://localhost/s/${SHOP_A}/p/peach-box`);
      const nonce = nonceOf(response.headers.get("Content-Security-Policy")!);
      expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
      expect(await response.text()).toContain(`nonce="${nonce}"`);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(5);
  });

  it("answers a revalidation (304) without a policy, so a cache keeps the one stored with its body", async () => {
    const url = `http://localhost/s/${SHOP_A}/p/peach-box`;
    const first = await get(url);
    const etag = first.headers.get("ETag")!;
    expect(etag).toBeTruthy();
    const revalidated = await get(url, { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("Content-Security-Policy")).toBeNull();
  });

  it("upgrades insecure requests when the platform is served over https", () => {
    process.env.PUBLIC_ORIGIN = "https://yicun.example";
    resetEnv();
    try {
      const d = directives(contentSecurityPolicy("abc"));
      expect(d.has("upgrade-insecure-requests")).toBe(true);
      expect(d.get("form-action")).toContain("https://yicun.example");
    } finally {
      process.env.PUBLIC_ORIGIN = "http://localhost";
      resetEnv();
    }
  });
});

describe("headers on every response of the server", () => {
  async function headersOf(publicOrigin: string) {
    process.env.PUBLIC_ORIGIN = publicOrigin;
    resetEnv();
    const server = express()
      .use(securityHeaders())
      .get("/", (_req, res) => {
        res.send("ok");
      })
      .listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return response.headers;
    } finally {
      server.close();
      process.env.PUBLIC_ORIGIN = "http://localhost";
      resetEnv();
    }
  }

  it("denies unused browser features, framing and MIME sniffing; no HSTS on plain http", async () => {
    const headers = await headersOf("http://localhost:3000");
    const policy = headers.get("Permissions-Policy")!;
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]) {
      expect(policy).toContain(`${feature}=()`);
    }
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
    expect(headers.get("Strict-Transport-Security")).toBeNull();
    // The document's policy is made per response by entry.server, never here.
    expect(headers.get("Content-Security-Policy")).toBeNull();
  });

  it("sends HSTS for a year, shops' sub-domains included, when the platform is on https", async () => {
    const headers = await headersOf("https://yicun.example");
    expect(headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
  });
});
