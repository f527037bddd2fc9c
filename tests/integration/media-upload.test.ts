import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { MEDIA_KEY_PATTERN } from "~/modules/media/presets";
import { storeUpload, uploadMaxBytes } from "~/modules/media/upload.server";
import { loader as mediaLoader } from "~/routes/media.$";
import {
  createProduct,
  createShopWithProduct,
  exifHasGps,
  fileOf,
  mediaFileExists,
  mediaFiles,
  mediaRows,
  picture,
} from "./media-fixtures";

async function serve(key: string) {
  const response = (await mediaLoader({ request: new Request(`http://localhost/media/${key}`), params: { "*": key }, context: {} })) as Response;
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("storeUpload refuses what is not a real JPEG, PNG or WebP, and stores nothing", async () => {
  const jpeg = await picture("jpeg", 1200, 900);
  const png = await picture("png", 1200, 900);
  // 100 megapixels of one colour: a few hundred KB on disk, 300 MB once decoded.
  const bomb = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: "#ffffff" } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const cases: [string, () => File, string][] = [
    ["a PDF renamed .jpg", () => fileOf("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "harvest.jpg"), "media.errors.notAnImage"],
    [
      "an SVG",
      () => fileOf('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>', "logo.svg", "image/svg+xml"),
      "media.errors.notAnImage",
    ],
    ["an HTML page named .png", () => fileOf("<!doctype html><html><script>alert(1)</script></html>", "peach.png", "image/png"), "media.errors.notAnImage"],
    ["a truncated JPEG", () => fileOf(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), "cut.jpg"), "media.errors.damaged"],
    ["a truncated PNG", () => fileOf(png.subarray(0, Math.floor(png.length * 0.6)), "cut.png", "image/png"), "media.errors.damaged"],
    ["a decompression bomb", () => fileOf(bomb, "huge.png", "image/png"), "media.errors.tooManyPixels"],
    ["an empty file", () => fileOf(Buffer.alloc(0), "empty.jpg"), "media.errors.empty"],
    ["a file over the size limit", () => fileOf(Buffer.concat([jpeg, Buffer.alloc(uploadMaxBytes())]), "big.jpg"), "media.errors.tooLarge"],
  ];

  for (const [name, file, error] of cases) {
    it(`refuses ${name}`, async () => {
      const { shop, product } = await createShopWithProduct(`refuse-${cases.findIndex((c) => c[0] === name)}`);
      const before = mediaFiles();
      const result = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: file() });
      expect(result).toMatchObject({ ok: false, error });
      expect(await mediaRows(shop.id)).toEqual({ images: 0, renditions: 0, jobs: 0 });
      expect(mediaFiles()).toEqual(before);
      expect(mediaFiles().filter((f) => f.startsWith(shop.id))).toEqual([]);
    });
  }

  it("says how large a file may be and how many megapixels", async () => {
    const { shop } = await createShopWithProduct("refuse-values");
    const big = await storeUpload({ shopId: shop.id, role: "LOGO", file: fileOf(Buffer.alloc(uploadMaxBytes() + 1, 0xff), "x.jpg") });
    expect(big).toEqual({ ok: false, error: "media.errors.tooLarge", values: { max: "15.0" } });
    const huge = await storeUpload({ shopId: shop.id, role: "LOGO", file: fileOf(bomb, "huge.png") });
    expect(huge).toEqual({ ok: false, error: "media.errors.tooManyPixels", values: { megapixels: 50 } });
  });
});

describe("storeUpload stores a photo as its presets", () => {
  it("auto-rotates by EXIF orientation and leaves no EXIF or GPS in what it stores", async () => {
    const { shop, product } = await createShopWithProduct("exif-shop");
    // 800×600 pixels marked "rotate 90°" (orientation 6): a portrait photo, with a GPS position.
    const original = await sharp(await picture("jpeg", 800, 600))
      .jpeg()
      .withExif({
        IFD0: { Make: "VillageCam", Model: "Peach 1" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "31/1 34/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "120/1 17/1 0/1" },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const input = await sharp(original).metadata();
    expect(input.orientation).toBe(6);
    expect(exifHasGps(input.exif)).toBe(true);

    const result = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: fileOf(original, "IMG_0001.JPG") });
    expect(result.ok).toBe(true);
    const image = await db().image.findFirstOrThrow({ where: { shopId: shop.id }, include: { renditions: true } });
    expect([image.width, image.height]).toEqual([600, 800]);
    expect(image.renditions).toHaveLength(6);
    for (const rendition of image.renditions) {
      const { bytes } = await serve(rendition.storageKey);
      const stored = await sharp(bytes).metadata();
      expect(stored.exif).toBeUndefined();
      expect(stored.orientation ?? 1).toBe(1);
      expect(stored.height).toBeGreaterThan(stored.width);
      expect(bytes.includes(Buffer.from("VillageCam"))).toBe(false);
    }
  });

  it("writes a 12-megapixel JPEG's presets as WebP and JPEG, served with immutable caching, and queues AVIF", async () => {
    const { shop, product } = await createShopWithProduct("twelve-mp");
    const result = await storeUpload({
      shopId: shop.id,
      productId: product.id,
      role: "PRODUCT",
      file: fileOf(await picture("jpeg", 4000, 3000), "orchard.jpg"),
      alt: { zh: "桃园", en: "Orchard" },
    });
    if (!result.ok) throw new Error(result.error);
    const image = await db().image.findFirstOrThrow({ where: { shopId: shop.id, id: result.imageId }, include: { renditions: true } });
    expect(image).toMatchObject({ width: 4000, height: 3000, altZh: "桃园", altEn: "Orchard", role: "PRODUCT", productId: product.id });
    expect(image.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const summary = image.renditions.map((r) => `${r.preset}.${r.format} ${r.width}x${r.height}`).sort();
    expect(summary).toEqual([
      "1280.jpeg 1280x960",
      "1280.webp 1280x960",
      "320.jpeg 320x240",
      "320.webp 320x240",
      "640.jpeg 640x480",
      "640.webp 640x480",
    ]);
    for (const rendition of image.renditions) {
      expect(rendition.storageKey).toMatch(MEDIA_KEY_PATTERN);
      expect(rendition.storageKey.startsWith(`${shop.id}/${image.contentHash}/`)).toBe(true);
      const { response, bytes } = await serve(rendition.storageKey);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("Content-Type")).toBe(rendition.format === "webp" ? "image/webp" : "image/jpeg");
      expect(bytes.length).toBe(rendition.bytes);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([rendition.format, rendition.width, rendition.height]);
    }
    const jobs = await db().outboxJob.findMany({ where: { kind: "image.avif", payload: { path: ["shopId"], equals: shop.id } } });
    expect(jobs.map((j) => j.payload)).toEqual([{ shopId: shop.id, imageId: image.id }]);
    expect(jobs[0]!.status).toBe("PENDING");
  });

  it("accepts PNG (keeping transparency in WebP) and WebP, with the role's presets", async () => {
    const { shop } = await createShopWithProduct("png-webp");
    const transparentPng = await sharp({ create: { width: 500, height: 500, channels: 4, background: { r: 47, g: 107, b: 58, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const logo = await storeUpload({ shopId: shop.id, role: "LOGO", file: fileOf(transparentPng, "logo.png", "image/png") });
    const banner = await storeUpload({ shopId: shop.id, role: "BANNER", file: fileOf(await picture("webp", 2400, 800), "banner.webp", "image/webp") });
    if (!logo.ok || !banner.ok) throw new Error("upload refused");
    const renditions = await db().imageRendition.findMany({ where: { shopId: shop.id }, orderBy: [{ preset: "asc" }] });
    const of = (imageId: string, format: string) => renditions.filter((r) => r.imageId === imageId && r.format === format);
    expect(of(logo.imageId, "webp").map((r) => r.preset)).toEqual([96, 192, 384]);
    expect(of(banner.imageId, "jpeg").map((r) => [r.preset, r.width, r.height])).toEqual([
      [640, 640, 213],
      [1280, 1280, 427],
      [1920, 1920, 640],
    ]);
    const logoWebp = await serve(of(logo.imageId, "webp")[0]!.storageKey);
    expect((await sharp(logoWebp.bytes).metadata()).hasAlpha).toBe(true);
  });

  it("reuses the stored image when the same picture is uploaded again for the same product", async () => {
    const { shop, product } = await createShopWithProduct("same-twice");
    const bytes = await picture("jpeg", 1000, 800);
    const first = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: fileOf(bytes, "a.jpg") });
    const filesAfterFirst = mediaFiles();
    const again = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: fileOf(bytes, "a-copy.jpg") });
    expect(first).toMatchObject({ ok: true, reused: false });
    expect(again).toEqual({ ok: true, reused: true, imageId: (first as { imageId: string }).imageId });
    expect(await mediaRows(shop.id)).toEqual({ images: 1, renditions: 6, jobs: 1 });

    // Another product of the shop gets its own image, sharing the stored files.
    const other = await createProduct(shop.id);
    const shared = await storeUpload({ shopId: shop.id, productId: other.id, role: "PRODUCT", file: fileOf(bytes, "a.jpg") });
    expect(shared).toMatchObject({ ok: true, reused: false });
    expect((await mediaRows(shop.id)).images).toBe(2);
    expect(mediaFiles()).toEqual(filesAfterFirst);
  });

  it("refuses an upload past the shop's quota, saying what is used, and stores nothing", async () => {
    const { shop, product } = await createShopWithProduct("small-quota");
    const first = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: fileOf(await picture("jpeg", 1600, 1200), "1.jpg") });
    expect(first.ok).toBe(true);
    const used = (await db().imageRendition.aggregate({ where: { shopId: shop.id }, _sum: { bytes: true } }))._sum.bytes!;
    await db().shop.update({ where: { id: shop.id }, data: { mediaQuotaBytes: used + 1000 } });
    const before = { rows: await mediaRows(shop.id), files: mediaFiles() };

    const second = await storeUpload({
      shopId: shop.id,
      productId: product.id,
      role: "PRODUCT",
      file: fileOf(await picture("jpeg", 1600, 1200, "#884422"), "2.jpg"),
    });
    expect(second).toEqual({
      ok: false,
      error: "media.errors.quota",
      values: { used: (used / 1048576).toFixed(1), limit: ((used + 1000) / 1048576).toFixed(1) },
    });
    expect(await mediaRows(shop.id)).toEqual(before.rows);
    expect(mediaFiles()).toEqual(before.files);
  });

  it("never attaches a photo to another shop's product", async () => {
    const { shop } = await createShopWithProduct("shop-a-upload");
    const { product: theirs } = await createShopWithProduct("shop-b-upload");
    const result = await storeUpload({ shopId: shop.id, productId: theirs.id, role: "PRODUCT", file: fileOf(await picture("jpeg", 400, 300), "x.jpg") });
    expect(result).toEqual({ ok: false, error: "media.errors.productNotFound" });
    expect(await mediaRows(shop.id)).toMatchObject({ images: 0, renditions: 0 });
    expect(mediaFileExists(shop.id)).toBe(false);
  });
});
