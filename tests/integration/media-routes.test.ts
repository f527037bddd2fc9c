import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { deleteImage } from "~/modules/media/images.server";
import { uploadMaxBytes } from "~/modules/media/upload.server";
import { action as brandingAction, loader as brandingLoader } from "~/routes/admin.$shop.branding";
import { action as photosAction, loader as photosLoader } from "~/routes/admin.$shop.products.$product.photos";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import {
  createProduct,
  createShopWithProduct,
  fileOf,
  mediaFileExists,
  mediaFiles,
  mediaRows,
  picture,
} from "./media-fixtures";

type Shop = Awaited<ReturnType<typeof createShopWithProduct>>;
let a: Shop;
let b: Shop;
let owner: Session; // owner of A only
let staff: Session; // staff of B only

beforeAll(async () => {
  a = await createShopWithProduct("routes-a");
  b = await createShopWithProduct("routes-b");
  const ownerUser = await createUser();
  await addMember(a.shop.id, ownerUser.id, "OWNER");
  owner = await signedIn(ownerUser.id);
  const staffUser = await createUser();
  await addMember(b.shop.id, staffUser.id, "STAFF");
  staff = await signedIn(staffUser.id);
});

const photosUrl = (shop: Shop, productId = shop.product.id) =>
  `http://localhost/admin/${shop.shop.slug}/products/${productId}/photos`;
const photosParams = (shop: Shop, productId = shop.product.id) => ({ shop: shop.shop.slug, product: productId });
const brandingUrl = (shop: Shop) => `http://localhost/admin/${shop.shop.slug}/branding`;

async function photoIds(shop: Shop, productId = shop.product.id) {
  const images = await db().image.findMany({
    where: { shopId: shop.shop.id, productId },
    orderBy: { position: "asc" },
  });
  return images.map((i) => i.id);
}

describe("product photos page", () => {
  it("shows an empty state, then uploads several photos at once and reports each refused one", async () => {
    const empty = await run(photosLoader, getAs(owner, photosUrl(a)), photosParams(a));
    expect(empty.status).toBe(200);
    expect(empty.data).toMatchObject({ photos: [], productTitle: "水蜜桃" });

    // Several files in one field (postAs takes one Blob per field, so append the others).
    const request = postAs(owner, photosUrl(a), { intent: "upload" });
    const form = await request.formData();
    form.append("photos", fileOf(await picture("jpeg", 1200, 900), "front.jpg"));
    form.append("photos", fileOf(await picture("png", 800, 800), "side.png", "image/png"));
    form.append("photos", fileOf("%PDF-1.4 not a photo", "invoice.jpg"));
    const multi = new Request(request.url, { method: "POST", body: form, headers: { Cookie: owner.cookie } });
    const result = await run(photosAction, multi, photosParams(a));
    expect(result.status).toBe(200);
    expect(result.data).toEqual({
      intent: "upload",
      uploaded: ["front.jpg", "side.png"],
      refused: [{ name: "invoice.jpg", reason: "media.errors.notAnImage" }],
    });
    const page = await run(photosLoader, getAs(owner, photosUrl(a)), photosParams(a));
    const webpSrcSet = expect.stringMatching(
      /^\/media\/\S+\/320\.webp 320w, \S+\/640\.webp 640w, \S+\/1280\.webp 1200w$/,
    );
    expect(page.data).toMatchObject({ photos: [{ picture: { webpSrcSet } }, { picture: {} }] });
  });

  it("cuts off a file over the size limit with a clear message and stores nothing", async () => {
    const before = { rows: await mediaRows(a.shop.id), files: mediaFiles() };
    const huge = Buffer.alloc(uploadMaxBytes() + 1024, 0xff);
    const result = await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "upload", photos: fileOf(huge, "huge.jpg") }),
      photosParams(a),
    );
    expect(result.status).toBe(400);
    expect(result.data).toEqual({ intent: "upload", formError: 'media.errors.tooLarge|{"max":"15.0"}' });
    expect(await mediaRows(a.shop.id)).toEqual(before.rows);
    expect(mediaFiles()).toEqual(before.files);
  });

  it("asks to choose photos when none were chosen, and refuses a form without the CSRF token", async () => {
    const none = await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "upload", photos: new File([], "") }),
      photosParams(a),
    );
    expect(none.status).toBe(400);
    expect(none.data).toMatchObject({ formError: "media.photos.errors.noneChosen" });
    const forged = await run(
      photosAction,
      postAs(
        owner,
        photosUrl(a),
        { intent: "upload", photos: fileOf(await picture("jpeg", 300, 200), "x.jpg") },
        { csrf: false },
      ),
      photosParams(a),
    );
    expect(forged.status).toBe(403);
  });

  it("saves alt texts, refusing an overlong one with a field error", async () => {
    const [first] = await photoIds(a);
    const saved = await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "alt", imageId: first!, altZh: " 正面 ", altEn: "Front" }),
      photosParams(a),
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toContain("?saved=alt");
    expect(await db().image.findFirst({ where: { shopId: a.shop.id, id: first! } })).toMatchObject({
      altZh: "正面",
      altEn: "Front",
    });

    const long = await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "alt", imageId: first!, altZh: "长".repeat(201) }),
      photosParams(a),
    );
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.data)).toContain("media.photos.errors.altLong");
    expect(await db().image.findFirst({ where: { shopId: a.shop.id, id: first! } })).toMatchObject({ altZh: "正面" });
  });

  it("reorders photos with move up and move down", async () => {
    const [first, second] = await photoIds(a);
    const down = await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "move", imageId: first!, direction: "down" }),
      photosParams(a),
    );
    expect(down.status).toBe(302);
    expect(await photoIds(a)).toEqual([second, first]);
    // Already last: nothing changes.
    await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "move", imageId: first!, direction: "down" }),
      photosParams(a),
    );
    expect(await photoIds(a)).toEqual([second, first]);
    await run(
      photosAction,
      postAs(owner, photosUrl(a), { intent: "move", imageId: first!, direction: "up" }),
      photosParams(a),
    );
    expect(await photoIds(a)).toEqual([first, second]);
  });

  it("deletes a photo's rows, and its files only once no other image uses them", async () => {
    const other = await createProduct(a.shop.id);
    const bytes = await picture("jpeg", 900, 600, "#224488");
    const post = (productId: string, fields: Record<string, string | File>) =>
      run(photosAction, postAs(owner, photosUrl(a, productId), fields), photosParams(a, productId));
    await post(a.product.id, { intent: "upload", photos: fileOf(bytes, "shared.jpg") });
    await post(other.id, { intent: "upload", photos: fileOf(bytes, "shared.jpg") });
    const [mine] = (await photoIds(a)).slice(-1);
    const [theirs] = await photoIds(a, other.id);
    const keys = (await db().imageRendition.findMany({ where: { shopId: a.shop.id, imageId: mine! } })).map(
      (r) => r.storageKey,
    );
    expect(keys).toHaveLength(6);

    const first = await post(a.product.id, { intent: "delete", imageId: mine! });
    expect(first.status).toBe(302);
    expect(await db().image.count({ where: { shopId: a.shop.id, id: mine! } })).toBe(0);
    expect(await db().imageRendition.count({ where: { shopId: a.shop.id, imageId: mine! } })).toBe(0);
    expect(keys.every(mediaFileExists)).toBe(true); // still used by the other product's photo

    // A photo is deleted only through its own product's page.
    expect((await post(a.product.id, { intent: "delete", imageId: theirs! })).status).toBe(404);
    await post(other.id, { intent: "delete", imageId: theirs! });
    expect(keys.some(mediaFileExists)).toBe(false);
  });

  it("lets staff upload, and gives a member of one shop 404 for another shop's photos", async () => {
    const staffPage = await run(photosLoader, getAs(staff, photosUrl(b)), photosParams(b));
    expect(staffPage.status).toBe(200);

    const [photoOfA] = await photoIds(a);
    const attempts: [string, Record<string, string | File>][] = [
      ["upload", { intent: "upload", photos: fileOf(await picture("jpeg", 300, 200), "x.jpg") }],
      ["alt", { intent: "alt", imageId: photoOfA!, altZh: "改" }],
      ["move", { intent: "move", imageId: photoOfA!, direction: "down" }],
      ["delete", { intent: "delete", imageId: photoOfA! }],
    ];
    // B's staff on A's pages, and on B's pages with A's product id or A's photo.
    expect((await run(photosLoader, getAs(staff, photosUrl(a)), photosParams(a))).status).toBe(404);
    expect(
      (await run(photosLoader, getAs(staff, photosUrl(b, a.product.id)), photosParams(b, a.product.id))).status,
    ).toBe(404);
    for (const [, fields] of attempts) {
      expect((await run(photosAction, postAs(staff, photosUrl(a), fields), photosParams(a))).status).toBe(404);
      expect(
        (await run(photosAction, postAs(staff, photosUrl(b, a.product.id), fields), photosParams(b, a.product.id)))
          .status,
      ).toBe(404);
    }
    // B's own product page cannot touch A's photo either.
    for (const [intent, fields] of attempts.slice(1)) {
      const result = await run(photosAction, postAs(staff, photosUrl(b), fields), photosParams(b));
      expect(result.status, intent).toBe(404);
    }
    expect(await db().image.findFirst({ where: { shopId: a.shop.id, id: photoOfA! } })).toMatchObject({
      altZh: "正面",
    });
    expect(await db().image.count({ where: { shopId: b.shop.id } })).toBe(0);
  });
});

describe("branding page", () => {
  const colours = (primary: string, accent: string, was = { primary: "#2f6b3a", accent: "#f2c14e" }) => ({
    intent: "colours",
    themePrimary: primary,
    themePrimaryPicker: primary,
    themePrimaryWas: was.primary,
    themeAccent: accent,
    themeAccentPicker: accent,
    themeAccentWas: was.accent,
  });

  it("saves readable brand colours", async () => {
    const result = await run(brandingAction, postAs(owner, brandingUrl(a), colours("#1C3F6E", "#ffe36e")), {
      shop: a.shop.slug,
    });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/${a.shop.slug}/branding?saved=colours`);
    expect(await db().shop.findUnique({ where: { id: a.shop.id } })).toMatchObject({
      themePrimary: "#1c3f6e",
      themeAccent: "#ffe36e",
    });
    const page = await run(brandingLoader, getAs(owner, brandingUrl(a)), { shop: a.shop.slug });
    expect(page.data).toMatchObject({
      branding: { themePrimary: "#1c3f6e", themeAccent: "#ffe36e", name: "routes-a 合作社" },
    });
  });

  it("refuses colours that fail WCAG AA, showing the ratio, and changes nothing", async () => {
    const was = { primary: "#1c3f6e", accent: "#ffe36e" };
    const light = await run(brandingAction, postAs(owner, brandingUrl(a), colours("#f2c14e", "#ffe36e", was)), {
      shop: a.shop.slug,
    });
    expect(light.status).toBe(400);
    expect(JSON.stringify(light.data)).toContain(
      'media.branding.errors.primaryContrast|{\\"min\\":\\"4.5\\",\\"ratio\\":\\"1.67\\"}',
    );
    const dark = await run(brandingAction, postAs(owner, brandingUrl(a), colours("#1c3f6e", "#4b3f8f", was)), {
      shop: a.shop.slug,
    });
    expect(dark.status).toBe(400);
    expect(JSON.stringify(dark.data)).toContain("media.branding.errors.accentContrast");
    const bad = await run(brandingAction, postAs(owner, brandingUrl(a), colours("green", "#ffe36e", was)), {
      shop: a.shop.slug,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.data)).toContain("media.branding.errors.colour");
    expect(await db().shop.findUnique({ where: { id: a.shop.id } })).toMatchObject({
      themePrimary: "#1c3f6e",
      themeAccent: "#ffe36e",
    });
  });

  it("without JavaScript, takes the picker's colour when only the picker changed", async () => {
    const fields = {
      ...colours("#1c3f6e", "#ffe36e", { primary: "#1c3f6e", accent: "#ffe36e" }),
      themePrimaryPicker: "#6b3a2a",
    };
    const result = await run(brandingAction, postAs(owner, brandingUrl(a), fields), { shop: a.shop.slug });
    expect(result.status).toBe(302);
    expect(await db().shop.findUnique({ where: { id: a.shop.id } })).toMatchObject({ themePrimary: "#6b3a2a" });
  });

  it("stores a custom domain in lower case, not verified yet, and refuses one another shop verified", async () => {
    const saved = await run(
      brandingAction,
      postAs(owner, brandingUrl(a), { intent: "domain", customDomain: " Shop.Example.CN " }),
      { shop: a.shop.slug },
    );
    expect(saved.status).toBe(302);
    const shopA = await db().shop.findUnique({ where: { id: a.shop.id } });
    expect(shopA).toMatchObject({
      customDomain: "shop.example.cn",
      verifiedDomain: null,
      customDomainVerifiedAt: null,
    });
    const page = await run(brandingLoader, getAs(owner, brandingUrl(a)), { shop: a.shop.slug });
    expect(page.data).toMatchObject({ domain: { domain: "shop.example.cn", state: "pending" } });

    // As a passing DNS check would (domains-verification.test.ts tests the check itself).
    await db().shop.update({
      where: { id: a.shop.id },
      data: { verifiedDomain: "shop.example.cn", customDomainVerifiedAt: new Date() },
    });
    const taken = await run(
      brandingAction,
      postAs(staff, brandingUrl(b), { intent: "domain", customDomain: "shop.example.cn" }),
      { shop: b.shop.slug },
    );
    expect(taken.status).toBe(400);
    expect(JSON.stringify(taken.data)).toContain("media.branding.errors.domainTaken");
    for (const invalid of ["not a domain", "shop.example.cn:8080", "localhost", "x.localhost"]) {
      const result = await run(
        brandingAction,
        postAs(staff, brandingUrl(b), { intent: "domain", customDomain: invalid }),
        { shop: b.shop.slug },
      );
      expect(result.status, invalid).toBe(400);
    }
    expect(await db().shop.findUnique({ where: { id: b.shop.id } })).toMatchObject({ customDomain: null });

    // Cleared with an empty field.
    await run(brandingAction, postAs(owner, brandingUrl(a), { intent: "domain", customDomain: "" }), {
      shop: a.shop.slug,
    });
    expect(await db().shop.findUnique({ where: { id: a.shop.id } })).toMatchObject({ customDomain: null });
  });

  it("uploads and replaces the logo, deleting the old one, and refuses a non-image", async () => {
    const first = await run(
      brandingAction,
      postAs(owner, brandingUrl(a), {
        intent: "logo",
        logo: fileOf(await picture("png", 600, 600), "logo.png", "image/png"),
      }),
      { shop: a.shop.slug },
    );
    expect(first.status).toBe(302);
    const oldLogo = (await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).logoImageId!;
    const oldKeys = (await db().imageRendition.findMany({ where: { shopId: a.shop.id, imageId: oldLogo } })).map(
      (r) => r.storageKey,
    );
    expect(oldKeys.map((k) => k.split("/").pop()).sort()).toEqual([
      "192.jpg",
      "192.webp",
      "384.jpg",
      "384.webp",
      "96.jpg",
      "96.webp",
    ]);

    const svg = await run(
      brandingAction,
      postAs(owner, brandingUrl(a), {
        intent: "logo",
        logo: fileOf("<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "image/svg+xml"),
      }),
      { shop: a.shop.slug },
    );
    expect(svg.status).toBe(400);
    expect(svg.data).toEqual({ intent: "image", slot: "logo", formError: "media.errors.notAnImage" });

    await run(
      brandingAction,
      postAs(owner, brandingUrl(a), {
        intent: "logo",
        logo: fileOf(await picture("jpeg", 500, 500, "#aa3300"), "new.jpg"),
      }),
      { shop: a.shop.slug },
    );
    const newLogo = (await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).logoImageId!;
    expect(newLogo).not.toBe(oldLogo);
    expect(await db().image.count({ where: { shopId: a.shop.id, id: oldLogo } })).toBe(0);
    expect(oldKeys.some(mediaFileExists)).toBe(false);
    const page = await run(brandingLoader, getAs(owner, brandingUrl(a)), { shop: a.shop.slug });
    expect(page.data).toMatchObject({ branding: { logo: { src: expect.stringMatching(/\/192\.jpg$/) } } });

    const removed = await run(brandingAction, postAs(owner, brandingUrl(a), { intent: "removeLogo" }), {
      shop: a.shop.slug,
    });
    expect(removed.location).toContain("saved=logoRemoved");
    expect(await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).toMatchObject({ logoImageId: null });
  });

  // The logo and banner ids have no foreign key to Image (docs/decisions/028-citus.md, follow-up 6).
  it("deleting the logo's image forgets the logo, and an id without its image shows no picture", async () => {
    await run(
      brandingAction,
      postAs(owner, brandingUrl(a), {
        intent: "logo",
        logo: fileOf(await picture("png", 600, 600), "logo.png", "image/png"),
      }),
      { shop: a.shop.slug },
    );
    const logo = (await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).logoImageId!;
    expect(logo).toBeTruthy();
    expect(await deleteImage({ shopId: a.shop.id, imageId: logo })).toBe(true);
    expect(await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).toMatchObject({ logoImageId: null });

    await db().shop.update({ where: { id: a.shop.id }, data: { bannerImageId: "gone-image" } });
    const page = await run(brandingLoader, getAs(owner, brandingUrl(a)), { shop: a.shop.slug });
    expect(page.data).toMatchObject({ branding: { logo: null, banner: null } });
    await db().shop.update({ where: { id: a.shop.id }, data: { bannerImageId: null } });
  });

  it("gives a member of another shop 404 for every loader and action", async () => {
    expect((await run(brandingLoader, getAs(staff, brandingUrl(a)), { shop: a.shop.slug })).status).toBe(404);
    const attempts: Record<string, string | File>[] = [
      colours("#000000", "#ffffff"),
      { intent: "domain", customDomain: "stolen.example.cn" },
      { intent: "logo", logo: fileOf(await picture("jpeg", 300, 300), "x.jpg") },
      { intent: "banner", banner: fileOf(await picture("jpeg", 300, 300), "x.jpg") },
      { intent: "removeLogo" },
    ];
    const before = await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } });
    for (const fields of attempts) {
      expect(
        (await run(brandingAction, postAs(staff, brandingUrl(a), fields), { shop: a.shop.slug })).status,
        String(fields.intent),
      ).toBe(404);
    }
    expect(await db().shop.findUniqueOrThrow({ where: { id: a.shop.id } })).toEqual(before);
  });
});
