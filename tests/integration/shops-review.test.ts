import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { makePlatformAdmin } from "~/modules/platform/admins.server";
import { action as overviewAction, loader as overviewLoader } from "~/routes/admin.$shop._index";
import { loader as platformLayoutLoader } from "~/routes/platform";
import { action as reviewAction, loader as reviewLoader } from "~/routes/platform._index";
import { action as countiesAction, loader as countiesLoader } from "~/routes/platform.counties";
import { action as shopsAction, loader as shopsLoader } from "~/routes/platform.shops";
import { loader as storefrontLoader } from "~/routes/s.$shop._index";
import { addMember, createUser, getAs, postAs, run, signedIn, TEST_PASSWORD, type Session } from "../support/auth";
import { createCounty, createShopAs, makeReadyForReview, shopFields } from "./shops-fixtures";

let countyId: string;
let owner: Session;
let admin: Session;

beforeAll(async () => {
  countyId = (await createCounty()).id;
  owner = await signedIn((await createUser()).id);
  admin = await signedIn((await createUser({ isPlatformAdmin: true })).id);
});

const overviewUrl = (slug: string) => `http://localhost/admin/${slug}`;
const storefrontStatus = async (slug: string) =>
  (await run(storefrontLoader, getAs(null, `http://localhost/s/${slug}`), { shop: slug })).status;
const submit = (session: Session, slug: string) =>
  run(overviewAction, postAs(session, overviewUrl(slug), {}), { shop: slug });
const review = (session: Session, fields: Record<string, string>) =>
  run(reviewAction, postAs(session, "http://localhost/platform", fields));

describe("submitting a shop for review", () => {
  it("shows what submission needs and refuses it, translated, until the checklist is complete", async () => {
    const { slug, id } = await createShopAs(owner, shopFields(countyId, { nameZh: "清单测试社" }));
    const page = await run(overviewLoader, getAs(owner, overviewUrl(slug)), { shop: slug });
    expect(page.data).toMatchObject({
      status: "DRAFT",
      checklist: { creditCode: false, logo: false, productWithPhoto: false },
      ready: false,
      canSubmit: true,
    });
    const refused = await submit(owner, slug);
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ error: "shopsetup.submit.incomplete" });
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("DRAFT");

    // A product with a photo that is not on sale does not count.
    const { productId } = await makeReadyForReview(id);
    await db().product.update({ where: { shopId_id: { shopId: id, id: productId } }, data: { status: "DRAFT" } });
    expect(
      (
        (await run(overviewLoader, getAs(owner, overviewUrl(slug)), { shop: slug })).data as unknown as {
          checklist: unknown;
        }
      ).checklist,
    ).toEqual({
      creditCode: true,
      logo: true,
      productWithPhoto: false,
    });
    expect((await submit(owner, slug)).status).toBe(400);
  });

  it("moves a complete DRAFT to SUBMITTED, once, and only for the owner", async () => {
    const { slug, id } = await createShopAs(owner, shopFields(countyId, { nameZh: "提交测试社" }));
    await makeReadyForReview(id);
    const staff = await createUser();
    await addMember(id, staff.id, "STAFF");
    const staffSession = await signedIn(staff.id);
    expect(
      (
        (await run(overviewLoader, getAs(staffSession, overviewUrl(slug)), { shop: slug })).data as unknown as {
          canSubmit: boolean;
        }
      ).canSubmit,
    ).toBe(false);
    expect((await submit(staffSession, slug)).status).toBe(403);
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("DRAFT");

    const submitted = await submit(owner, slug);
    expect(submitted.status).toBe(302);
    expect(submitted.location).toBe(`/admin/${slug}?submitted=1`);
    const shop = await db().shop.findUniqueOrThrow({ where: { id } });
    expect(shop.status).toBe("SUBMITTED");
    expect(shop.submittedAt).toBeInstanceOf(Date);
    const again = await submit(owner, slug);
    expect(again.status).toBe(400);
    expect(again.data).toEqual({ error: "shopsetup.submit.notDraft" });
  });
});

describe("platform review", () => {
  async function submittedShop(nameZh: string) {
    const shop = await createShopAs(owner, shopFields(countyId, { nameZh }));
    await makeReadyForReview(shop.id);
    expect((await submit(owner, shop.slug)).status).toBe(302);
    return shop;
  }

  it("keeps DRAFT and SUBMITTED shops off the storefront, and shows them once approved", async () => {
    const { slug, id } = await createShopAs(owner, shopFields(countyId, { nameZh: "上线测试社" }));
    expect(await storefrontStatus(slug)).toBe(404);
    await makeReadyForReview(id);
    await submit(owner, slug);
    expect(await storefrontStatus(slug)).toBe(404);

    const queue = await run(reviewLoader, getAs(admin, "http://localhost/platform"));
    expect(queue.status).toBe(200);
    const listed = (
      queue.data as unknown as {
        shops: { id: string; name: string; creditCode: string | null; activeProducts: number }[];
      }
    ).shops.find((s) => s.id === id);
    expect(listed).toMatchObject({ name: "上线测试社", activeProducts: 1 });
    expect(listed!.creditCode).toMatch(/^[0-9A-Z]{18}$/);

    await db().shop.update({ where: { id }, data: { reviewNote: "旧的退回意见" } });
    const approved = await review(admin, { intent: "approve", shopId: id });
    expect(approved.status).toBe(302);
    const shop = await db().shop.findUniqueOrThrow({ where: { id } });
    expect(shop).toMatchObject({ status: "LIVE", reviewNote: null });
    expect(shop.approvedAt).toBeInstanceOf(Date);
    expect(await storefrontStatus(slug)).toBe(200);
    const overview = await run(overviewLoader, getAs(owner, overviewUrl(slug)), { shop: slug });
    expect(overview.data).toMatchObject({ status: "LIVE", slug });
  });

  it("sends a shop back with a note the owner sees; a note is required", async () => {
    const { slug, id } = await submittedShop("退回测试社");
    const noNote = await review(admin, { intent: "sendBack", shopId: id, note: "  " });
    expect(noNote.status).toBe(400);
    expect(noNote.data).toEqual({ shopId: id, error: "platform.errors.noteRequired" });
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");

    const sentBack = await review(admin, { intent: "sendBack", shopId: id, note: "请上传更清晰的标志。" });
    expect(sentBack.status).toBe(302);
    expect(await db().shop.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "DRAFT",
      reviewNote: "请上传更清晰的标志。",
    });
    const overview = await run(overviewLoader, getAs(owner, overviewUrl(slug)), { shop: slug });
    expect(overview.data).toMatchObject({ status: "DRAFT", reviewNote: "请上传更清晰的标志。" });
    // Approving what is no longer submitted is refused.
    expect((await review(admin, { intent: "approve", shopId: id })).status).toBe(409);
    expect(await storefrontStatus(slug)).toBe(404);
  });

  it("suspends a LIVE shop (off the storefront) and restores it", async () => {
    const { slug, id } = await submittedShop("暂停测试社");
    await review(admin, { intent: "approve", shopId: id });
    const suspended = await run(
      shopsAction,
      postAs(admin, "http://localhost/platform/shops?status=LIVE", { intent: "suspend", shopId: id }),
    );
    expect(suspended.status).toBe(302);
    expect(suspended.location).toBe("/platform/shops?status=LIVE&done=suspend");
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("SUSPENDED");
    expect(await storefrontStatus(slug)).toBe(404);

    const list = await run(shopsLoader, getAs(admin, "http://localhost/platform/shops?status=SUSPENDED"));
    expect((list.data as unknown as { shops: { id: string }[] }).shops.map((s) => s.id)).toContain(id);
    expect(
      (await run(shopsAction, postAs(admin, "http://localhost/platform/shops", { intent: "suspend", shopId: id })))
        .status,
    ).toBe(409);

    expect(
      (await run(shopsAction, postAs(admin, "http://localhost/platform/shops", { intent: "unsuspend", shopId: id })))
        .status,
    ).toBe(302);
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("LIVE");
    expect(await storefrontStatus(slug)).toBe(200);
  });

  it("refuses everyone but platform admins (403), and sends signed-out visitors to sign in", async () => {
    const { slug, id } = await submittedShop("越权测试社");
    const coordinator = await createUser();
    await db().countyCoordinator.create({ data: { countyId, userId: coordinator.id } });
    for (const session of [owner, await signedIn(coordinator.id)]) {
      expect((await run(platformLayoutLoader, getAs(session, "http://localhost/platform"))).status).toBe(403);
      expect((await run(reviewLoader, getAs(session, "http://localhost/platform"))).status).toBe(403);
      expect((await run(shopsLoader, getAs(session, "http://localhost/platform/shops"))).status).toBe(403);
      expect((await run(countiesLoader, getAs(session, "http://localhost/platform/counties"))).status).toBe(403);
      expect((await review(session, { intent: "approve", shopId: id })).status).toBe(403);
      expect((await review(session, { intent: "sendBack", shopId: id, note: "x" })).status).toBe(403);
      expect(
        (await run(shopsAction, postAs(session, "http://localhost/platform/shops", { intent: "suspend", shopId: id })))
          .status,
      ).toBe(403);
      expect(
        (
          await run(
            countiesAction,
            postAs(session, "http://localhost/platform/counties", {
              code: "320281",
              slug: "jiangyin",
              nameZh: "江阴市",
              nameEn: "Jiangyin",
              cityZh: "无锡市",
              cityEn: "Wuxi",
            }),
          )
        ).status,
      ).toBe(403);
    }
    const signedOut = await run(reviewLoader, getAs(null, "http://localhost/platform"));
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/login?redirectTo=${encodeURIComponent("/platform")}`);
    expect((await db().shop.findUniqueOrThrow({ where: { id } })).status).toBe("SUBMITTED");
    expect(await db().county.findUnique({ where: { code: "320281" } })).toBeNull();
    expect(await storefrontStatus(slug)).toBe(404);
  });
});

describe("counties", () => {
  const county = {
    code: "320282",
    slug: "yixing",
    nameZh: "宜兴市",
    nameEn: "Yixing",
    cityZh: "无锡市",
    cityEn: "Wuxi",
  };
  const add = (fields: Record<string, string>) =>
    run(countiesAction, postAs(admin, "http://localhost/platform/counties", fields));

  it("lists counties and adds one, which the new-shop form then offers", async () => {
    const added = await add(county);
    expect(added.status).toBe(302);
    const list = await run(countiesLoader, getAs(admin, "http://localhost/platform/counties"));
    expect((list.data as unknown as { counties: { code: string; nameZh: string }[] }).counties).toContainEqual(
      expect.objectContaining({ code: "320282", nameZh: "宜兴市" }),
    );
  });

  it("refuses a bad or duplicate code or slug with field errors", async () => {
    const bad = await add({ ...county, code: "3202", slug: "Bad Slug", nameEn: "" });
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as { error: Record<string, string[]> }).error).toMatchObject({
      code: ["platform.errors.codeFormat"],
      slug: ["platform.errors.slugFormat"],
      nameEn: ["platform.errors.nameEnRequired"],
    });
    const sameCode = await add({ ...county, slug: "yixing-2" });
    expect((sameCode.data as unknown as { error: Record<string, string[]> }).error).toEqual({
      code: ["platform.errors.codeTaken"],
    });
    const sameSlug = await add({ ...county, code: "320299" });
    expect((sameSlug.data as unknown as { error: Record<string, string[]> }).error).toEqual({
      slug: ["platform.errors.slugTaken"],
    });
    expect(await db().county.count({ where: { OR: [{ slug: "yixing-2" }, { code: "320299" }] } })).toBe(0);
  });
});

describe("making a platform admin (scripts/make-platform-admin.ts)", () => {
  it("creates a missing account with the password, promotes an existing one, and explains what is wrong", async () => {
    expect(await makePlatformAdmin({ identifier: "nobody", locale: "zh-CN" })).toEqual({
      ok: false,
      error: "platform.cli.identifierInvalid",
    });
    expect(await makePlatformAdmin({ identifier: "boss@example.cn", locale: "zh-CN" })).toEqual({
      ok: false,
      error: "platform.cli.passwordNeeded",
    });
    expect(await makePlatformAdmin({ identifier: "boss@example.cn", password: "short", locale: "zh-CN" })).toEqual({
      ok: false,
      error: "platform.cli.passwordInvalid",
    });
    const created = await makePlatformAdmin({
      identifier: "Boss@Example.cn",
      password: TEST_PASSWORD,
      name: "平台",
      locale: "zh-CN",
    });
    expect(created).toMatchObject({ ok: true, created: true });
    expect(await db().user.findUnique({ where: { email: "boss@example.cn" } })).toMatchObject({
      isPlatformAdmin: true,
      name: "平台",
    });

    const existing = await createUser();
    expect(await makePlatformAdmin({ identifier: existing.phone, locale: "zh-CN" })).toMatchObject({
      ok: true,
      created: false,
      alreadyAdmin: false,
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: existing.id } })).isPlatformAdmin).toBe(true);
    expect(await makePlatformAdmin({ identifier: existing.phone, locale: "zh-CN" })).toMatchObject({
      ok: true,
      alreadyAdmin: true,
    });
  });
});
