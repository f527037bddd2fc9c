import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { createUser, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops } from "./cart-fixtures";

// The partner pages as a browser without JavaScript gets them (the whole app, server-rendered):
// the list, a plain form POST that adds a partner and shows its key and secret once in the
// answer's HTML, the partner's page without them, both languages.

let app: (request: Request) => Promise<Response>;
let admin: Session;
let coordinator: Session;
let county: { id: string; code: string };

function get(session: Session, path: string, lang = "zh-CN") {
  const url = new URL(`http://localhost${path}`);
  url.searchParams.set("lng", lang);
  return app(new Request(url, { headers: { Cookie: session.cookie, Accept: "text/html" } }));
}

function post(session: Session, path: string, fields: [string, string][]) {
  const body = new URLSearchParams([["csrf", session.csrf], ...fields]);
  return app(
    new Request(`http://localhost${path}`, {
      method: "POST",
      body,
      headers: {
        Cookie: session.cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
      },
    }),
  );
}

beforeAll(async () => {
  app = await startApp();
  await twoShops();
  county = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A }, select: { county: true } })).county;
  admin = await signedIn((await createUser({ isPlatformAdmin: true })).id);
  const c = await createUser();
  await unscopedDb().countyCoordinator.create({ data: { countyId: county.id, userId: c.id } });
  coordinator = await signedIn(c.id);
});

afterAll(async () => {
  await stopApp();
});

describe("the partner pages without JavaScript", () => {
  it("an empty county says what to do; a form POST adds a partner and shows its key and secret once", async () => {
    const empty = await get(coordinator, `/county/${county.code}/logistics`);
    expect(empty.status).toBe(200);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain("还没有物流伙伴");
    expect(emptyHtml).toContain("添加物流伙伴");
    expect(emptyHtml).toContain("没有待分配的包裹");

    const created = await post(coordinator, `/county/${county.code}/logistics`, [
      ["intent", "create"],
      ["nameZh", "县物流中心"],
      ["kind", "COUNTY_CENTRE"],
      ["services", "HOME"],
      ["services", "LOCKER"],
      ["coverage", "some"],
      ["areas", "测试村"],
      ["webhookUrl", "https://partner.example/hook"],
    ]);
    expect(created.status).toBe(200);
    expect(created.headers.get("Cache-Control")).toContain("no-store");
    const html = await created.text();
    const key = /lk_[A-Za-z0-9_-]{43}/.exec(html)?.[0];
    const secret = /whsec_[A-Za-z0-9+/=]{32}/.exec(html)?.[0];
    expect(key).toBeDefined();
    expect(secret).toBeDefined();
    expect(html).toContain("只显示这一次");

    const partner = await unscopedDb().logisticsPartner.findFirstOrThrow({ where: { countyId: county.id } });
    expect(partner.areas).toEqual(["测试村"]);
    const page = await get(coordinator, `/county/${county.code}/logistics/${partner.id}`, "en");
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain("API keys");
    expect(pageHtml).toContain(`/county/${county.code}/logistics/${partner.id}/deliveries`);
    expect(pageHtml).not.toContain(key!);
    expect(pageHtml).not.toContain(secret!);

    const bad = await post(coordinator, `/county/${county.code}/logistics`, [
      ["intent", "create"],
      ["nameZh", ""],
      ["kind", "COUNTY_CENTRE"],
      ["coverage", "all"],
      ["webhookUrl", "ftp://x"],
    ]);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("请填写伙伴的中文名称");
    expect(badHtml).toContain("请至少勾选一项服务");
    expect(await unscopedDb().logisticsPartner.count()).toBe(1);
  });

  it("the platform admin's page lists every county's partners and warns of a switched-off endpoint", async () => {
    const { id } = await createPartner({
      countyId: county.id,
      nameZh: "快递公司",
      kind: "EXPRESS",
      services: ["HOME"],
      areas: [],
      webhookUrl: "https://express.example/hook",
    });
    await unscopedDb().logisticsPartner.update({ where: { id }, data: { webhookDisabledAt: new Date() } });
    const list = await get(admin, "/platform/logistics", "en");
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("快递公司");
    expect(html).toContain("Push switched off since");
    const page = await (await get(admin, `/platform/logistics/${id}`)).text();
    expect(page).toContain("推送已关闭");
    expect(page).toContain("重新开启");
  });
});
