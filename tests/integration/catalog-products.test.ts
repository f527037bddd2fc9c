import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { slugFromTitles } from "~/modules/catalog/admin-products.server";
import {
  admin,
  createProductAs,
  dataOf,
  experienceFields,
  produceFields,
  productIdFrom,
  shopWithTeam,
  specialtyFields,
  type ShopWithTeam,
} from "./catalog-fixtures";

let a: ShopWithTeam;
let b: ShopWithTeam;

beforeAll(async () => {
  a = await shopWithTeam();
  b = await shopWithTeam();
});

const productCount = (shopId: string) => db().product.count({ where: { shopId } });

describe("creating products of each kind", () => {
  it("creates fresh produce with its season, cold chain, pre-sale and GI", async () => {
    const result = await admin.create(a.owner.session, a.shop.slug, produceFields());
    expect(result.status).toBe(302);
    expect(result.location).toMatch(new RegExp(`^/admin/${a.shop.slug}/products/\\w+\\?saved=created$`));
    const product = await db().product.findFirstOrThrow({
      where: { id: productIdFrom(result.location), shopId: a.shop.id },
    });
    expect(product).toMatchObject({
      kind: "PRODUCE",
      status: "ACTIVE",
      slug: "yangshan-honey-peach",
      titleZh: "阳山水蜜桃",
      harvestMonths: [6, 7, 8],
      coldChain: true,
      shelfLifeDays: 5,
      presale: true,
      presaleYieldCap: 800,
      giName: "阳山水蜜桃",
      giAuthNumber: "GI-2027-001",
      durationMinutes: null,
      meetingPointZh: null,
    });
    expect(product.presaleShipBy?.toISOString().slice(0, 10)).toBe("2027-07-10");
  });

  it("creates a specialty with its GI authorisation, shelf life and storage", async () => {
    const id = await createProductAs(a.staff.session, a.shop.slug, specialtyFields());
    const product = await db().product.findFirstOrThrow({ where: { id, shopId: a.shop.id } });
    expect(product).toMatchObject({
      kind: "SPECIALTY",
      status: "DRAFT",
      giAuthNumber: "GI-BLC-9",
      shelfLifeDays: 540,
      storageZh: "密封避光",
      coldChain: false,
      presale: false,
    });
    // No English title: the slug is the pinyin of the Chinese one.
    expect(product.slug).toBe("dong-ting-shan-bi-luo-chun");
    expect(slugFromTitles("【新品】碧螺春 500g", null)).toBe("xin-pin-bi-luo-chun-500g");
    expect(slugFromTitles("女儿红", "")).toBe("nv-er-hong");
  });

  it("creates an experience with its duration, meeting point and what is included", async () => {
    const id = await createProductAs(a.owner.session, a.shop.slug, experienceFields());
    const product = await db().product.findFirstOrThrow({ where: { id, shopId: a.shop.id } });
    expect(product).toMatchObject({
      kind: "EXPERIENCE",
      durationMinutes: 120,
      meetingPointZh: "村口大樟树",
      meetingPointEn: "The camphor tree at the village gate",
      includedZh: "门票、采摘篮",
      giName: null,
      shelfLifeDays: null,
    });
  });

  it("suggests a free slug when the titles repeat, and refuses a slug typed twice", async () => {
    const first = await createProductAs(
      a.owner.session,
      a.shop.slug,
      specialtyFields({ titleZh: "太湖白鱼", titleEn: "Taihu Whitefish", giName: "", giAuthNumber: "" }),
    );
    const second = await createProductAs(
      a.owner.session,
      a.shop.slug,
      specialtyFields({ titleZh: "太湖白鱼", titleEn: "Taihu Whitefish", giName: "", giAuthNumber: "" }),
    );
    const slugs = await db().product.findMany({
      where: { shopId: a.shop.id, id: { in: [first, second] } },
      select: { slug: true },
    });
    expect(slugs.map((s) => s.slug).sort()).toEqual(["taihu-whitefish", "taihu-whitefish-2"]);

    const before = await productCount(a.shop.id);
    const taken = await admin.create(a.owner.session, a.shop.slug, specialtyFields({ slug: "taihu-whitefish" }));
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.data)).toContain("catalog.errors.slugTaken");
    expect(await productCount(a.shop.id)).toBe(before);

    // Another shop may use the same slug.
    await createProductAs(b.owner.session, b.shop.slug, specialtyFields({ slug: "taihu-whitefish" }));
  });

  it("stores descriptions as typed text; HTML is kept as text, never interpreted", async () => {
    const id = await createProductAs(
      a.owner.session,
      a.shop.slug,
      specialtyFields({ titleZh: "手工粽子", descriptionZh: "**好吃**\n\n<script>alert(1)</script>" }),
    );
    const product = await db().product.findFirstOrThrow({ where: { id, shopId: a.shop.id } });
    expect(product.descriptionZh).toBe("**好吃**\n\n<script>alert(1)</script>");
  });
});

describe("kind-specific validation", () => {
  async function refuses(fields: Record<string, string | string[]>, field: string, key: string) {
    const before = await productCount(a.shop.id);
    const result = await admin.create(a.owner.session, a.shop.slug, fields);
    expect(result.status).toBe(400);
    const reply = dataOf<{ form: string; result: { error: Record<string, string[]> } }>(result);
    expect(reply.form).toBe("product");
    expect(reply.result.error[field]).toEqual([key]);
    expect(await productCount(a.shop.id)).toBe(before);
  }

  it("refuses a pre-sale without a ship-by date or a cap", async () => {
    await refuses(produceFields({ presaleShipBy: "" }), "presaleShipBy", "catalog.errors.presaleShipByRequired");
    await refuses(produceFields({ presaleYieldCap: "" }), "presaleYieldCap", "catalog.errors.presaleYieldCapRequired");
  });

  it("refuses fresh produce without a month in season", async () => {
    await refuses(produceFields({ harvestMonths: [] }), "harvestMonths", "catalog.errors.harvestMonthsRequired");
  });

  it("refuses an experience without a duration or a meeting point", async () => {
    await refuses(experienceFields({ durationMinutes: "" }), "durationMinutes", "catalog.errors.durationRequired");
    await refuses(experienceFields({ durationMinutes: "abc" }), "durationMinutes", "catalog.errors.wholeNumber");
    await refuses(experienceFields({ meetingPointZh: "  " }), "meetingPointZh", "catalog.errors.meetingPointRequired");
  });

  it("refuses half a geographic indication, a missing title and an unknown kind", async () => {
    await refuses(specialtyFields({ giAuthNumber: "" }), "giAuthNumber", "catalog.errors.giAuthRequired");
    await refuses(specialtyFields({ titleZh: "" }), "titleZh", "catalog.errors.titleRequired");
    await refuses(specialtyFields({ kind: "TOY" }), "kind", "catalog.errors.kindInvalid");
    await refuses(specialtyFields({ slug: "Not a slug!" }), "slug", "catalog.errors.slugInvalid");
  });
});

describe("editing a product", () => {
  it("shows the form's values, saves changes, and never changes the kind", async () => {
    const id = await createProductAs(a.owner.session, a.shop.slug, produceFields({ titleEn: "Edit me" }));
    const page = await admin.page(a.staff.session, a.shop.slug, id);
    expect(page.status).toBe(200);
    const { formDefaults, canEdit } = dataOf<{ formDefaults: Record<string, unknown>; canEdit: boolean }>(page);
    expect(canEdit).toBe(true);
    expect(formDefaults).toMatchObject({
      kind: "PRODUCE",
      titleZh: "阳山水蜜桃",
      harvestMonths: ["6", "7", "8"],
      presaleShipBy: "2027-07-10",
      presaleYieldCap: "800",
    });

    const saved = await admin.post(
      a.staff.session,
      a.shop.slug,
      id,
      "product",
      produceFields({
        titleEn: "Edit me",
        presale: [],
        presaleYieldCap: "",
        presaleShipBy: "",
        status: "ARCHIVED",
        slug: "",
      }),
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/admin/${a.shop.slug}/products/${id}?saved=product#product`);
    const product = await db().product.findFirstOrThrow({ where: { id, shopId: a.shop.id } });
    expect(product).toMatchObject({
      status: "ARCHIVED",
      presale: false,
      presaleYieldCap: null,
      presaleShipBy: null,
      slug: "edit-me",
    });

    const kindChange = await admin.post(a.owner.session, a.shop.slug, id, "product", experienceFields());
    expect(kindChange.status).toBe(400);
    expect(JSON.stringify(kindChange.data)).toContain("catalog.errors.kindChange");
    expect((await db().product.findFirstOrThrow({ where: { id, shopId: a.shop.id } })).kind).toBe("PRODUCE");
  });

  it("shows the saved message after a redirect", async () => {
    const id = await createProductAs(a.owner.session, a.shop.slug, specialtyFields({ titleZh: "米酒" }));
    const page = await admin.page(a.owner.session, a.shop.slug, id, "?saved=created");
    expect(dataOf<{ saved: { key: string } }>(page).saved.key).toBe("created");
  });
});

describe("who may do what", () => {
  let productA: string;
  let productB: string;
  beforeAll(async () => {
    productA = await createProductAs(a.owner.session, a.shop.slug, specialtyFields({ titleZh: "A店商品" }));
    productB = await createProductAs(b.owner.session, b.shop.slug, specialtyFields({ titleZh: "B店商品" }));
  });

  it("lets a county coordinator look but answers 403 to every change", async () => {
    const c = a.coordinator.session;
    expect((await admin.list(c, a.shop.slug)).status).toBe(200);
    const page = await admin.page(c, a.shop.slug, productA);
    expect(page.status).toBe(200);
    expect(dataOf<{ canEdit: boolean }>(page).canEdit).toBe(false);
    expect((await admin.newPage(c, a.shop.slug, "?kind=PRODUCE")).status).toBe(403);
    expect((await admin.create(c, a.shop.slug, specialtyFields())).status).toBe(403);
    for (const intent of ["product", "variant-create", "stock-adjust", "slot-bulk"]) {
      expect((await admin.post(c, a.shop.slug, productA, intent, specialtyFields())).status).toBe(403);
    }
    expect((await db().product.findFirstOrThrow({ where: { id: productA, shopId: a.shop.id } })).titleZh).toBe(
      "A店商品",
    );
  });

  it("refuses a change without the CSRF token", async () => {
    const { postAs, run } = await import("../support/auth");
    const { action } = await import("~/routes/admin.$shop.products.new");
    const forged = postAs(a.owner.session, `http://localhost/admin/${a.shop.slug}/products/new`, specialtyFields(), {
      csrf: false,
    });
    expect((await run(action, forged, { shop: a.shop.slug })).status).toBe(403);
  });

  const INTENTS = [
    "product",
    "variant-create",
    "variant-update",
    "variant-archive",
    "variant-restore",
    "stock-adjust",
    "slot-create",
    "slot-bulk",
    "slot-capacity",
    "slot-delete",
  ];

  it("answers 404 to shop A's member for every loader and action under shop B", async () => {
    const s = a.owner.session;
    expect((await admin.list(s, b.shop.slug)).status).toBe(404);
    expect((await admin.newPage(s, b.shop.slug, "?kind=PRODUCE")).status).toBe(404);
    expect((await admin.create(s, b.shop.slug, specialtyFields())).status).toBe(404);
    expect((await admin.page(s, b.shop.slug, productB)).status).toBe(404);
    for (const intent of INTENTS) {
      expect((await admin.post(s, b.shop.slug, productB, intent, specialtyFields())).status, intent).toBe(404);
    }
  });

  it("answers 404 for shop B's product under shop A's URL, for the page and every action", async () => {
    const s = a.owner.session;
    expect((await admin.page(s, a.shop.slug, productB)).status).toBe(404);
    for (const intent of INTENTS) {
      expect((await admin.post(s, a.shop.slug, productB, intent, specialtyFields())).status, intent).toBe(404);
    }
    expect((await db().product.findFirstOrThrow({ where: { id: productB, shopId: b.shop.id } })).titleZh).toBe(
      "B店商品",
    );
  });

  it("answers 404 for shop B's variant posted to shop A's product", async () => {
    const variantB = await db().variant.create({
      data: {
        shopId: b.shop.id,
        productId: productB,
        sku: "B-ONLY-1",
        titleZh: "B规格",
        unit: "盒",
        priceFen: 1000,
        stock: 5,
      },
    });
    const s = a.owner.session;
    const variantFields = { variantId: variantB.id, titleZh: "改", unit: "盒", price: "1" };
    expect((await admin.post(s, a.shop.slug, productA, "variant-update", variantFields)).status).toBe(404);
    expect((await admin.post(s, a.shop.slug, productA, "variant-archive", { variantId: variantB.id })).status).toBe(
      404,
    );
    expect(
      (
        await admin.post(s, a.shop.slug, productA, "stock-adjust", {
          variantId: variantB.id,
          delta: "-5",
          reason: "damaged",
        })
      ).status,
    ).toBe(404);
    expect(await db().variant.findFirstOrThrow({ where: { id: variantB.id, shopId: b.shop.id } })).toMatchObject({
      titleZh: "B规格",
      stock: 5,
      status: "ACTIVE",
    });
  });

  it("gives a signed-out visitor the sign-in page", async () => {
    const result = await admin.list(null as never, a.shop.slug);
    expect(result.status).toBe(302);
    expect(result.location).toMatch(/^\/login/);
  });
});
