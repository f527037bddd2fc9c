import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { db } from "~/db/index.server";

// Shops, products and real pictures (made with sharp) for the media tests.

let serial = 0;

/** A bare shop (with its county) and one product, created directly. */
export async function createShopWithProduct(slug: string, options: { mediaQuotaBytes?: number } = {}) {
  const county = await db().county.upsert({
    where: { code: "320281" },
    update: {},
    create: { code: "320281", slug: "jiangyin", nameZh: "江阴市", nameEn: "Jiangyin", cityZh: "无锡市", cityEn: "Wuxi" },
  });
  const shop = await db().shop.create({
    data: {
      slug,
      nameZh: `${slug} 合作社`,
      nameEn: `${slug} Cooperative`,
      countyId: county.id,
      villageZh: "华西村",
      villageEn: "Huaxi Village",
      ...(options.mediaQuotaBytes ? { mediaQuotaBytes: options.mediaQuotaBytes } : {}),
    },
  });
  const product = await createProduct(shop.id);
  return { shop, product };
}

export async function createProduct(shopId: string) {
  return db().product.create({
    data: { shopId, slug: `peach-${++serial}`, kind: "PRODUCE", titleZh: "水蜜桃", titleEn: "Honey peach" },
  });
}

/** A picture with some detail in it (a flat colour compresses to nothing). */
export async function picture(
  format: "jpeg" | "png" | "webp",
  width: number,
  height: number,
  colour = "#3a7d44",
): Promise<Buffer> {
  const circle = Buffer.from(
    `<svg width="${width}" height="${height}"><circle cx="${width / 3}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#f2c14e"/></svg>`,
  );
  const image = sharp({ create: { width, height, channels: 3, background: colour } }).composite([{ input: circle }]);
  return format === "jpeg" ? image.jpeg({ quality: 90 }).toBuffer() : format === "png" ? image.png().toBuffer() : image.webp().toBuffer();
}

export function fileOf(bytes: Buffer | string, name: string, type = "image/jpeg"): File {
  return new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name, { type });
}

/** Every file under MEDIA_DIR (each test file has its own folder). */
export function mediaFiles(): string[] {
  const root = process.env.MEDIA_DIR!;
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((entry) => fs.statSync(path.join(root, entry)).isFile())
    .sort();
}

export function mediaFileExists(key: string): boolean {
  return fs.existsSync(path.join(process.env.MEDIA_DIR!, key));
}

/** Rows the media module writes for a shop, for "nothing was stored" checks. */
export async function mediaRows(shopId: string) {
  const [images, renditions, jobs] = await Promise.all([
    db().image.count({ where: { shopId } }),
    db().imageRendition.count({ where: { shopId } }),
    db().outboxJob.count({ where: { kind: "image.avif", payload: { path: ["shopId"], equals: shopId } } }),
  ]);
  return { images, renditions, jobs };
}

/** True if an EXIF block (as sharp's metadata().exif returns it) has a GPS IFD pointer (tag 0x8825). */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.indexOf("Exif\0\0") >= 0 ? exif.indexOf("Exif\0\0") + 6 : 0);
  const little = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}
