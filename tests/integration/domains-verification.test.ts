import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { resetEnv } from "~/env.server";
import { DOMAIN_CHECK_LIMIT } from "~/modules/domains/domains.server";
import { checkDueDomains } from "~/modules/domains/due-checks.cross-shop.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { action as brandingAction, loader as brandingLoader } from "~/routes/admin.$shop.branding";
import { loader as homeLoader } from "~/routes/_index";
import { loader as productLoader } from "~/routes/s.$shop.p.$product";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { startDnsServer, type TestDnsServer } from "../support/dns-server";
import { samplePack, writePacks } from "../support/packs";
import { callLoader } from "../support/routes";
import { startApp, stopApp } from "../support/remix-app";

// Finding 7 of issue #9: a custom domain is served only once a DNS TXT record carrying the
// shop's token proves the owner holds it. The app asks a real DNS server on 127.0.0.1 (UDP)
// through its own resolver (DOMAIN_DNS_SERVERS), whose records the tests add and remove.

const A = "dom-alpha";
const B = "dom-beta";
const PACKED = "dom-packed";
const GRACE = 3;
const EVERY_MINUTES = 60;

let dns: TestDnsServer;
let ownerA: Session;
let ownerB: Session;
let app: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dns = await startDnsServer();
  process.env.DOMAIN_DNS_SERVERS = dns.address;
  process.env.DOMAIN_CHECK_GRACE = String(GRACE);
  process.env.DOMAIN_CHECK_MINUTES = String(EVERY_MINUTES);
  resetEnv();
  const packed = samplePack(PACKED, "320282");
  (packed as Record<string, unknown>).customDomain = "packed.example.cn";
  const results = await syncTenants(writePacks([samplePack(A), samplePack(B, "320507"), packed]), {
    now: new Date("2026-11-27T00:00:00Z"),
  });
  expect(results.every((r) => r.ok)).toBe(true);
  for (const [slug, set] of [
    [A, (s: Session) => (ownerA = s)],
    [B, (s: Session) => (ownerB = s)],
  ] as const) {
    const user = await createUser();
    await addMember(await shopId(slug), user.id, "OWNER");
    set(await signedIn(user.id));
  }
  app = await startApp();
});

afterAll(async () => {
  await stopApp();
  await dns.close();
  delete process.env.DOMAIN_DNS_SERVERS;
  delete process.env.DOMAIN_CHECK_GRACE;
  delete process.env.DOMAIN_CHECK_MINUTES;
  resetEnv();
});

async function shopId(slug: string) {
  return (await unscopedDb().shop.findUniqueOrThrow({ where: { slug } })).id;
}

const brandingUrl = (slug: string) => `http://localhost/admin/${slug}/branding`;

async function setDomain(owner: Session, slug: string, domain: string) {
  return run(brandingAction, postAs(owner, brandingUrl(slug), { intent: "domain", customDomain: domain }), {
    shop: slug,
  });
}

async function checkNow(owner: Session, slug: string) {
  return run(brandingAction, postAs(owner, brandingUrl(slug), { intent: "checkDomain" }), { shop: slug });
}

type DomainStatus = {
  domain: string;
  state: "pending" | "verified" | "failing";
  record: { type: string; name: string; value: string };
  error: string | null;
  verifiedAt: string | null;
  failingSince: string | null;
  checksLeft: number;
};

async function domainStatus(owner: Session, slug: string): Promise<DomainStatus | null> {
  const page = await run(brandingLoader, getAs(owner, brandingUrl(slug)), { shop: slug });
  expect(page.status).toBe(200);
  return (page.data as unknown as { domain: DomainStatus | null }).domain;
}

/** Which shop the home page on `host` shows, or its status when it is not a shop. */
async function servedOn(host: string): Promise<string | number> {
  const result = await callLoader<{ kind: string; shop: { header: { slug: string } } }>(homeLoader, `http://${host}/`);
  return result.status === 200 ? result.data!.shop.header.slug : result.status;
}

/** Publishes the TXT record the branding page asks for. */
function publish(status: DomainStatus) {
  dns.txt.set(status.record.name, [[status.record.value]]);
}

async function securityEvents(slug: string) {
  const events = await unscopedDb().securityEvent.findMany({
    where: { subjectShopId: await shopId(slug), type: { in: ["domain_changed", "domain_verified"] } },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => ({ type: e.type, detail: e.detail }));
}

/** A worker round a check interval after the last one (or now): every domain is due once. */
let clock = 0;
async function workerRound() {
  clock = Math.max(clock, Date.now()) + EVERY_MINUTES * 60_000 + 1_000;
  return checkDueDomains({ now: new Date(clock) });
}

describe("custom domain verification", () => {
  it("serves an unverified custom domain nothing: the translated 404, by loader and by page", async () => {
    expect((await setDomain(ownerA, A, "peach.example.cn")).status).toBe(302);
    expect(await servedOn("peach.example.cn")).toBe(404);
    expect(
      (await callLoader(productLoader, "http://peach.example.cn/p/peach-box", { product: "peach-box" })).status,
    ).toBe(404);

    const page = await app(new Request("http://peach.example.cn/", { headers: { "Accept-Language": "en" } }));
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain("Shop not found or not live");
    expect(html).not.toContain(`${A} Cooperative`);
    const zh = await app(new Request("http://peach.example.cn/", { headers: { "Accept-Language": "zh-CN" } }));
    expect(await zh.text()).toContain("店铺不存在或未上线");
  });

  it("shows the owner the record to add; once it appears and the check runs, the domain is served", async () => {
    const pending = (await domainStatus(ownerA, A))!;
    expect(pending).toMatchObject({
      domain: "peach.example.cn",
      state: "pending",
      record: {
        type: "TXT",
        name: "_yicun-verify.peach.example.cn",
        value: expect.stringMatching(/^yicun-verify=[0-9a-f]{32}$/),
      },
    });

    // Checked before the record exists: still pending, and the page says why.
    expect((await checkNow(ownerA, A)).status).toBe(302);
    expect(await domainStatus(ownerA, A)).toMatchObject({ state: "pending", error: "missing" });
    expect(await servedOn("peach.example.cn")).toBe(404);
    expect(dns.asked).toContain("_yicun-verify.peach.example.cn");

    // A record with someone else's value does not count.
    dns.txt.set(pending.record.name, [["yicun-verify=0123456789abcdef0123456789abcdef"]]);
    await checkNow(ownerA, A);
    expect(await domainStatus(ownerA, A)).toMatchObject({ state: "pending", error: "mismatch" });
    expect(await servedOn("peach.example.cn")).toBe(404);

    // The page itself (server-rendered, as a browser without JavaScript gets it) shows the
    // state, the exact record and a plain form that checks now.
    const html = await (
      await app(new Request(brandingUrl(A), { headers: { Cookie: ownerA.cookie, "Accept-Language": "en" } }))
    ).text();
    expect(html).toContain("peach.example.cn: waiting for verification");
    expect(html).toContain(pending.record.name);
    expect(html).toContain(pending.record.value);
    expect(html).toContain(
      "a TXT record named _yicun-verify.peach.example.cn exists, but its value is not this shop&#x27;s",
    );
    expect(html).toMatch(/<form method="post"[^>]*>(?:(?!<\/form>).)*name="intent" value="checkDomain"/s);

    publish(pending);
    // Pressed without JavaScript: a plain form post to the page.
    const noJs = await app(
      new Request(brandingUrl(A), {
        method: "POST",
        body: new URLSearchParams({ csrf: ownerA.csrf, intent: "checkDomain" }),
        headers: {
          Host: "localhost",
          Origin: "http://localhost",
          Cookie: ownerA.cookie,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        redirect: "manual",
      }),
    );
    expect(noJs.status).toBe(302);
    expect(noJs.headers.get("Location")).toBe(`/admin/${A}/branding?saved=domainChecked#own-domain`);
    const checked = await checkNow(ownerA, A);
    expect(checked.location).toContain("saved=domainChecked");
    expect(await domainStatus(ownerA, A)).toMatchObject({
      state: "verified",
      error: null,
      verifiedAt: expect.any(String),
    });
    expect(await servedOn("peach.example.cn")).toBe(A);
    expect(await servedOn("PEACH.example.cn.")).toBe(A);
    const product = await callLoader<{ header: { slug: string } }>(
      productLoader,
      "http://peach.example.cn/p/peach-box",
      { product: "peach-box" },
    );
    expect(product.data!.header.slug).toBe(A);

    expect(await securityEvents(A)).toEqual([
      { type: "domain_changed", detail: expect.objectContaining({ from: null, to: "peach.example.cn" }) },
      { type: "domain_verified", detail: { domain: "peach.example.cn" } },
    ]);
    const changed = await unscopedDb().securityEvent.findFirstOrThrow({
      where: { subjectShopId: await shopId(A), type: "domain_changed" },
    });
    expect(changed.userId).not.toBeNull();
  });

  it("forgives a DNS outage shorter than the grace, and stops serving a domain whose record is gone after it", async () => {
    // The worker's rounds keep it verified while the record is there.
    expect(await workerRound()).toMatchObject({ checked: 2 }); // A's domain and the packed shop's
    expect(await servedOn("peach.example.cn")).toBe(A);

    // DNS fails for fewer rounds than the grace: still served, then back to normal.
    dns.failing = true;
    for (let i = 1; i < GRACE; i++) {
      await workerRound();
      expect(await servedOn("peach.example.cn")).toBe(A);
    }
    expect(await domainStatus(ownerA, A)).toMatchObject({
      state: "failing",
      error: "dns",
      checksLeft: 1,
      failingSince: expect.any(String),
    });
    dns.failing = false;
    await workerRound();
    expect(await domainStatus(ownerA, A)).toMatchObject({
      state: "verified",
      error: null,
      failingSince: null,
      checksLeft: GRACE,
    });

    // The record is removed: served through the grace, then no longer.
    const status = (await domainStatus(ownerA, A))!;
    dns.txt.delete(status.record.name);
    for (let i = 1; i < GRACE; i++) {
      await workerRound();
      expect(await servedOn("peach.example.cn"), `after ${i} failed checks`).toBe(A);
    }
    expect(await workerRound()).toMatchObject({ unverified: 1 });
    expect(await servedOn("peach.example.cn")).toBe(404);
    expect(await domainStatus(ownerA, A)).toMatchObject({ state: "pending", error: "missing" });
    expect((await securityEvents(A)).at(-1)).toEqual({
      type: "domain_changed",
      detail: expect.objectContaining({
        from: "peach.example.cn",
        to: null,
        change: "verification_lost",
        failures: GRACE,
      }),
    });

    // Put back: verified again on the next check.
    publish(status);
    expect(await workerRound()).toMatchObject({ verified: 1 });
    expect(await servedOn("peach.example.cn")).toBe(A);
  });

  it("never lets a second shop take a verified domain, nor verify with another shop's record", async () => {
    // Entering A's verified domain is refused outright.
    const taken = await setDomain(ownerB, B, "peach.example.cn");
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.data)).toContain("media.branding.errors.domainTaken");
    expect(await domainStatus(ownerB, B)).toBeNull();

    // A name nobody verified yet may be claimed by both; A's record does not verify B.
    expect((await setDomain(ownerA, A, "tea.example.cn")).status).toBe(302);
    expect(await servedOn("peach.example.cn")).toBe(404); // A's old domain: no longer A's
    expect((await setDomain(ownerB, B, "tea.example.cn")).status).toBe(302);
    const a = (await domainStatus(ownerA, A))!;
    const b = (await domainStatus(ownerB, B))!;
    expect(a.record.name).toBe(b.record.name);
    expect(a.record.value).not.toBe(b.record.value);
    publish(a);
    await checkNow(ownerB, B);
    expect(await domainStatus(ownerB, B)).toMatchObject({ state: "pending", error: "mismatch" });
    await checkNow(ownerA, A);
    expect(await servedOn("tea.example.cn")).toBe(A);

    // Even with B's own record published beside A's, B cannot verify it too.
    dns.txt.set(a.record.name, [[a.record.value], [b.record.value]]);
    await checkNow(ownerB, B);
    expect(await domainStatus(ownerB, B)).toMatchObject({ state: "pending", error: "taken" });
    expect(await servedOn("tea.example.cn")).toBe(A);
    expect(await unscopedDb().shop.count({ where: { verifiedDomain: "tea.example.cn" } })).toBe(1);
  });

  it("starts a changed domain unverified, and keeps the verification when the same name is saved again", async () => {
    expect(await servedOn("tea.example.cn")).toBe(A);
    expect((await setDomain(ownerA, A, "TEA.example.cn")).status).toBe(302); // the same name
    expect(await servedOn("tea.example.cn")).toBe(A);
    expect((await setDomain(ownerA, A, "")).status).toBe(302); // removed
    expect(await servedOn("tea.example.cn")).toBe(404);
    expect(await domainStatus(ownerA, A)).toBeNull();
    expect((await securityEvents(A)).at(-1)).toEqual({
      type: "domain_changed",
      detail: expect.objectContaining({ from: "tea.example.cn", to: null, wasVerified: true }),
    });
  });

  it("refuses the platform's own names and changes nothing", async () => {
    const before = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: B } });
    for (const name of ["localhost", "www.localhost", `${A}.localhost`, "x.y.localhost"]) {
      const result = await setDomain(ownerB, B, name);
      expect(result.status, name).toBe(400);
    }
    expect(await unscopedDb().shop.findUniqueOrThrow({ where: { slug: B } })).toEqual(before);
  });

  it("imports a pack's domain as a request only: not served until its record is checked", async () => {
    const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: PACKED } });
    expect(shop).toMatchObject({
      customDomain: "packed.example.cn",
      verifiedDomain: null,
      customDomainVerifiedAt: null,
    });
    expect(await servedOn("packed.example.cn")).toBe(404);
    const token = shop.customDomainToken!;
    expect(token).toMatch(/^[0-9a-f]{32}$/); // made by the first check or page view
    dns.txt.set("_yicun-verify.packed.example.cn", [[`yicun-verify=${token}`]]);
    await workerRound();
    expect(await servedOn("packed.example.cn")).toBe(PACKED);
  });

  it(`limits "check now" to ${DOMAIN_CHECK_LIMIT.points} presses per shop in ${DOMAIN_CHECK_LIMIT.windowSeconds / 60} minutes, with a translated refusal; other shops still check`, async () => {
    const owner = await createUser();
    await addMember(await shopId(PACKED), owner.id, "OWNER");
    const session = await signedIn(owner.id);
    const recordName = "_yicun-verify.packed.example.cn";
    const asks = () => dns.asked.filter((name) => name === recordName).length;

    for (let i = 0; i < DOMAIN_CHECK_LIMIT.points; i++) {
      expect((await checkNow(session, PACKED)).location, `press ${i + 1}`).toContain("saved=domainChecked");
    }
    const asked = asks();
    expect(asked).toBeGreaterThanOrEqual(DOMAIN_CHECK_LIMIT.points);

    const refused = await checkNow(session, PACKED);
    expect(refused.status).toBe(429);
    expect(JSON.stringify(refused.data)).toContain("media.branding.domainStatus.tooManyChecks");
    expect(asks()).toBe(asked); // refused before any DNS query

    // Pressed without JavaScript: the page comes back with the reason, in the reader's language.
    const press = (language: string) =>
      app(
        new Request(brandingUrl(PACKED), {
          method: "POST",
          body: new URLSearchParams({ csrf: session.csrf, intent: "checkDomain" }),
          headers: {
            Host: "localhost",
            Origin: "http://localhost",
            Cookie: session.cookie,
            "Accept-Language": language,
            "Content-Type": "application/x-www-form-urlencoded",
          },
          redirect: "manual",
        }),
      );
    const en = await press("en");
    expect(en.status).toBe(429);
    expect(Number(en.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await en.text()).toMatch(/Checked too often: please wait \d+ minutes before pressing “Check now” again/);
    const zh = await press("zh-CN");
    expect(zh.status).toBe(429);
    expect(await zh.text()).toMatch(/检查太频繁了：请 \d+ 分钟后再点“立即检查”/);
    expect(asks()).toBe(asked);

    // The limit is the shop's: another shop's owner checks as usual.
    expect((await checkNow(ownerB, B)).location).toContain("saved=domainChecked");
  });
});
