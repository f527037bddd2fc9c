import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { action as newShopAction, loader as newShopLoader } from "~/routes/admin.new";
import { loader as slugLoader } from "~/routes/admin.new.slug";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.$shop.settings";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { createCounty, createShopAs, creditCode, shopFields } from "./shops-fixtures";

let countyId: string;
let owner: { id: string };
let session: Session;

beforeAll(async () => {
  countyId = (await createCounty()).id;
  owner = await createUser({ name: "王建国" });
  session = await signedIn(owner.id);
});

const post = (fields: Record<string, string>) =>
  run(newShopAction, postAs(session, "http://localhost/admin/new", fields));
const errorsOf = (data: unknown) => (data as { error?: Record<string, string[]> }).error ?? {};

describe("creating a shop (/admin/new)", () => {
  it("lists the counties to choose from", async () => {
    const result = await run(newShopLoader, getAs(session, "http://localhost/admin/new"));
    expect(result.status).toBe(200);
    expect((result.data as unknown as { counties: { id: string; label: string }[] }).counties).toContainEqual({
      id: countyId,
      label: "无锡市 · 测试区320206",
    });
  });

  it("creates a DRAFT shop owned by its creator, with a slug from the pinyin of its name", async () => {
    const result = await post(
      shopFields(countyId, {
        nameZh: "阳山桃源",
        townZh: "阳山镇",
        taglineZh: "太湖边的百年桃园",
        storyZh: "我们种桃三十年。",
        contactEmail: "Taoyuan@Example.cn",
        "certifications[0].kind": "GEOGRAPHIC_INDICATION",
        "certifications[0].nameZh": "阳山水蜜桃",
        "certifications[0].number": "AGI-001",
        "certifications[1].kind": "GREEN_FOOD",
        "certifications[1].nameZh": "绿色食品",
        // A third row left blank is not a certification.
        "certifications[2].number": "",
      }),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/admin/yangshan-taoyuan?created=1");
    const shop = await db().shop.findUniqueOrThrow({ where: { slug: "yangshan-taoyuan" } });
    expect(shop).toMatchObject({
      status: "DRAFT",
      isDemo: false,
      nameZh: "阳山桃源",
      nameEn: "",
      townZh: "阳山镇",
      villageZh: "桃源村",
      contactPhone: "13800138000",
      contactEmail: "taoyuan@example.cn",
      creditCode: null,
    });
    const members = await db().membership.findMany({ where: { shopId: shop.id } });
    expect(members).toEqual([expect.objectContaining({ userId: owner.id, role: "OWNER" })]);
    const certifications = await db().shopCertification.findMany({
      where: { shopId: shop.id },
      orderBy: { position: "asc" },
    });
    expect(certifications.map((c) => [c.kind, c.nameZh, c.number])).toEqual([
      ["GEOGRAPHIC_INDICATION", "阳山水蜜桃", "AGI-001"],
      ["GREEN_FOOD", "绿色食品", null],
    ]);
  });

  it("suggests a free slug: a suffix when the name's slug is taken, the English name when given", async () => {
    const suggested = await run(
      slugLoader,
      getAs(session, `http://localhost/admin/new/slug?zh=${encodeURIComponent("阳山桃源")}`),
    );
    expect(suggested.data).toEqual({ slug: "yangshan-taoyuan-2" });
    const second = await post(shopFields(countyId, { nameZh: "阳山桃源" }));
    expect(second.location).toBe("/admin/yangshan-taoyuan-2?created=1");
    const english = await post(shopFields(countyId, { nameZh: "马山杨梅专业合作社", nameEn: "Mashan Bayberry Co-op" }));
    expect(english.location).toBe("/admin/mashan-bayberry-co-op?created=1");
    const pinyinOnly = await run(
      slugLoader,
      getAs(session, `http://localhost/admin/new/slug?zh=${encodeURIComponent("马山杨梅专业合作社")}`),
    );
    expect(pinyinOnly.data).toEqual({ slug: "mashan-yangmei" });
  });

  it("refuses a chosen slug that is taken, badly formed or reserved, suggesting another and creating nothing", async () => {
    const before = await db().shop.count();
    const taken = await post(shopFields(countyId, { nameZh: "另一家", slug: "yangshan-taoyuan" }));
    expect(taken.status).toBe(400);
    expect(errorsOf(taken.data).slug).toEqual([
      `shopsetup.errors.slugTaken|${JSON.stringify({ suggestion: "yangshan-taoyuan-3" })}`,
    ]);
    const bad = await post(shopFields(countyId, { slug: "Not A Slug!" }));
    expect(errorsOf(bad.data).slug).toEqual(["shopsetup.errors.slugFormat"]);
    const reserved = await post(shopFields(countyId, { slug: "new" }));
    expect(errorsOf(reserved.data).slug).toEqual(["shopsetup.errors.slugReserved"]);
    expect(await db().shop.count()).toBe(before);
  });

  it("refuses an invalid or taken credit code with a field error and no row", async () => {
    const before = await db().shop.count();
    const invalid = await post(shopFields(countyId, { nameZh: "信用代码错误社", creditCode: "91320206MA1XXXXXX0" }));
    expect(invalid.status).toBe(400);
    expect(errorsOf(invalid.data).creditCode).toEqual(["shopsetup.errors.creditCodeInvalid"]);

    const code = creditCode();
    const first = await post(shopFields(countyId, { nameZh: "有代码社", creditCode: code.toLowerCase() }));
    expect(first.status).toBe(302);
    expect((await db().shop.findUniqueOrThrow({ where: { creditCode: code } })).nameZh).toBe("有代码社");
    const again = await post(shopFields(countyId, { nameZh: "抢代码社", creditCode: code }));
    expect(again.status).toBe(400);
    expect(errorsOf(again.data).creditCode).toEqual(["shopsetup.errors.creditCodeTaken"]);
    expect(await db().shop.count()).toBe(before + 1);
    expect(await db().shop.findFirst({ where: { nameZh: { in: ["信用代码错误社", "抢代码社"] } } })).toBeNull();
  });

  it("names every missing or wrong field, in translatable keys", async () => {
    const result = await post({
      contactPhone: "12345",
      contactEmail: "not-an-email",
      "certifications[0].number": "X-1",
    });
    expect(result.status).toBe(400);
    expect(errorsOf(result.data)).toMatchObject({
      nameZh: ["shopsetup.errors.nameRequired"],
      countyId: ["shopsetup.errors.countyRequired"],
      villageZh: ["shopsetup.errors.villageRequired"],
      contactName: ["shopsetup.errors.contactNameRequired"],
      contactPhone: ["shopsetup.errors.contactPhoneInvalid"],
      contactEmail: ["shopsetup.errors.emailInvalid"],
      "certifications[0].kind": ["shopsetup.errors.certKindRequired"],
      "certifications[0].nameZh": ["shopsetup.errors.certNameRequired"],
    });
    const unknownCounty = await post(shopFields("no-such-county", { nameZh: "无县社" }));
    expect(unknownCounty.status).toBe(400);
    expect(errorsOf(unknownCounty.data).countyId).toEqual(["shopsetup.errors.countyUnknown"]);
    expect(await db().shop.findFirst({ where: { nameZh: "无县社" } })).toBeNull();
  });

  it("adds a certification row without JavaScript: the form comes back with it, nothing saved", async () => {
    const before = await db().shop.count();
    const result = await post({
      ...shopFields(countyId, { nameZh: "加证书社" }),
      __intent__: JSON.stringify({ type: "insert", payload: { name: "certifications", defaultValue: {} } }),
    });
    expect(result.status).toBe(200);
    expect(JSON.stringify(result.data)).toContain("加证书社");
    expect(await db().shop.count()).toBe(before);
  });

  it("sends signed-out visitors to sign in", async () => {
    const result = await run(newShopAction, postAs(null, "http://localhost/admin/new", shopFields(countyId)));
    expect(result.status).toBe(403); // no CSRF cookie: refused before anything else
    const page = await run(newShopLoader, getAs(null, "http://localhost/admin/new"));
    expect(page.status).toBe(302);
    expect(page.location).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("shop settings (/admin/:shop/settings)", () => {
  it("shows the profile and saves changes, certifications added, edited and removed", async () => {
    const { slug, id } = await createShopAs(
      session,
      shopFields(countyId, {
        nameZh: "设置测试社",
        "certifications[0].kind": "ORGANIC",
        "certifications[0].nameZh": "有机产品",
        "certifications[1].kind": "OTHER",
        "certifications[1].nameZh": "将被删除",
      }),
    );
    const url = `http://localhost/admin/${slug}/settings`;
    const page = await run(settingsLoader, getAs(session, url), { shop: slug });
    expect(page.status).toBe(200);
    const values = (
      page.data as unknown as {
        profile: { values: { nameZh: string; certifications: { id: string; nameZh: string }[] } };
      }
    ).profile.values;
    expect(values.nameZh).toBe("设置测试社");
    const [organic] = values.certifications;

    const code = creditCode();
    const saved = await run(
      settingsAction,
      postAs(session, url, {
        ...shopFields(countyId, {
          nameZh: "设置测试社",
          nameEn: "Settings Test Co-op",
          villageEn: "Taoyuan",
          storyEn: "Our story.",
          creditCode: code,
        }),
        contactPhone: "0510-87654321",
        "certifications[0].id": organic!.id,
        "certifications[0].kind": "ORGANIC",
        "certifications[0].nameZh": "有机产品认证",
        "certifications[0].nameEn": "Organic",
        "certifications[1].kind": "GREEN_FOOD",
        "certifications[1].nameZh": "绿色食品",
      }),
      { shop: slug },
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/admin/${slug}/settings?saved=1`);
    const shop = await db().shop.findUniqueOrThrow({ where: { id } });
    expect(shop).toMatchObject({
      slug,
      nameEn: "Settings Test Co-op",
      villageEn: "Taoyuan",
      storyEn: "Our story.",
      creditCode: code,
      contactPhone: "0510-87654321",
    });
    const certifications = await db().shopCertification.findMany({
      where: { shopId: id },
      orderBy: { position: "asc" },
    });
    expect(certifications.map((c) => [c.kind, c.nameZh, c.nameEn])).toEqual([
      ["ORGANIC", "有机产品认证", "Organic"],
      ["GREEN_FOOD", "绿色食品", ""],
    ]);
    expect(certifications[0]!.id).toBe(organic!.id);
  });

  it("refuses bad input with field errors and changes nothing; the slug cannot be changed here", async () => {
    const { slug, id } = await createShopAs(session, shopFields(countyId, { nameZh: "校验测试社" }));
    const url = `http://localhost/admin/${slug}/settings`;
    const before = await db().shop.findUniqueOrThrow({ where: { id } });
    const result = await run(
      settingsAction,
      postAs(session, url, { ...shopFields(countyId, { nameZh: "", creditCode: "123" }), taglineZh: "很".repeat(61) }),
      { shop: slug },
    );
    expect(result.status).toBe(400);
    expect(errorsOf(result.data)).toMatchObject({
      nameZh: ["shopsetup.errors.nameRequired"],
      creditCode: ["shopsetup.errors.creditCodeInvalid"],
      taglineZh: [`shopsetup.errors.tooLong|${JSON.stringify({ max: 60 })}`],
    });
    const renamed = await run(
      settingsAction,
      postAs(session, url, { ...shopFields(countyId, { nameZh: "校验测试社" }), slug: "hijack" }),
      { shop: slug },
    );
    expect(renamed.status).toBe(302);
    const after = await db().shop.findUniqueOrThrow({ where: { id } });
    expect(after.slug).toBe(slug);
    expect(after.nameZh).toBe(before.nameZh);
  });

  it("keeps the credit code once the shop has been submitted", async () => {
    const code = creditCode();
    const { slug, id } = await createShopAs(session, shopFields(countyId, { nameZh: "已提交社", creditCode: code }));
    await db().shop.update({ where: { id }, data: { status: "SUBMITTED" } });
    const result = await run(
      settingsAction,
      postAs(session, `http://localhost/admin/${slug}/settings`, shopFields(countyId, { nameZh: "已提交社" })),
      { shop: slug },
    );
    expect(result.status).toBe(400);
    expect(errorsOf(result.data).creditCode).toEqual(["shopsetup.errors.creditCodeRequiredAfterSubmit"]);
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).creditCode).toBe(code);
  });

  it("lets staff edit, and refuses a county coordinator (403) and strangers (404)", async () => {
    const { slug, id } = await createShopAs(session, shopFields(countyId, { nameZh: "权限测试社" }));
    const staff = await createUser();
    await addMember(id, staff.id, "STAFF");
    const url = `http://localhost/admin/${slug}/settings`;
    const staffSession = await signedIn(staff.id);
    expect((await run(settingsLoader, getAs(staffSession, url), { shop: slug })).status).toBe(200);
    const edited = await run(
      settingsAction,
      postAs(staffSession, url, shopFields(countyId, { nameZh: "权限测试社", taglineZh: "店员改的" })),
      { shop: slug },
    );
    expect(edited.status).toBe(302);

    const coordinator = await createUser();
    await db().countyCoordinator.create({ data: { countyId, userId: coordinator.id } });
    const coordinatorSession = await signedIn(coordinator.id);
    expect((await run(settingsLoader, getAs(coordinatorSession, url), { shop: slug })).status).toBe(403);
    expect(
      (await run(settingsAction, postAs(coordinatorSession, url, shopFields(countyId)), { shop: slug })).status,
    ).toBe(403);

    const stranger = await signedIn((await createUser()).id);
    expect((await run(settingsLoader, getAs(stranger, url), { shop: slug })).status).toBe(404);
    expect(
      (await run(settingsAction, postAs(stranger, url, shopFields(countyId, { nameZh: "被改了" })), { shop: slug }))
        .status,
    ).toBe(404);
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).nameZh).toBe("权限测试社");
  });
});
