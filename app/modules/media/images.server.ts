import { db } from "~/db/index.server";
import { Prisma } from "~/generated/prisma/client";
import { pick } from "~/lib/i18n";
import { imageJsonById } from "./image-json.server";
import { megabytes } from "./limits";
import { toPicture, type ImageWithRenditions } from "./picture";
import { mediaStorage, type MediaStorage } from "./storage.server";

// A shop's stored pictures: usage against the quota, product photo lists, order, alt text
// and deletion. Files are content-addressed per shop and may be shared by several images,
// so a file goes only when no rendition row refers to it any more.

export type BrandImages = { logo: ImageWithRenditions | null; banner: ImageWithRenditions | null };

/**
 * A shop's logo and banner with their renditions, read within the shop. Their ids have no foreign
 * key to Image (docs/decisions/028-citus.md): an id whose image is gone reads as no picture.
 */
export async function shopBrandImages(
  shop: { id: string; logoImageId: string | null; bannerImageId: string | null },
  client: ReturnType<typeof db> = db(),
): Promise<BrandImages> {
  if (!shop.logoImageId && !shop.bannerImageId) return { logo: null, banner: null };
  const rows = await client.$queryRaw<BrandImages[]>`
    SELECT ${imageJsonById(Prisma.sql`${shop.logoImageId}`, Prisma.sql`${shop.id}`)} AS logo,
           ${imageJsonById(Prisma.sql`${shop.bannerImageId}`, Prisma.sql`${shop.id}`)} AS banner`;
  return rows[0] ?? { logo: null, banner: null };
}

export interface MediaUsage {
  usedBytes: number;
  quotaBytes: number;
}

/** Bytes of all stored renditions of the shop, and what it may use. */
export async function mediaUsage(shopId: string): Promise<MediaUsage> {
  const [sum, shop] = await Promise.all([
    db().imageRendition.aggregate({ where: { shopId }, _sum: { bytes: true } }),
    db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { mediaQuotaBytes: true } }),
  ]);
  return { usedBytes: sum._sum.bytes ?? 0, quotaBytes: shop.mediaQuotaBytes };
}

/** The refusal for an upload that would take the shop over its quota, if it would. */
export function quotaRefusal(usage: MediaUsage, incomingBytes: number) {
  if (usage.usedBytes + incomingBytes <= usage.quotaBytes) return null;
  return {
    ok: false as const,
    error: "media.errors.quota",
    values: { used: megabytes(usage.usedBytes), limit: megabytes(usage.quotaBytes) },
  };
}

/** Deletes the files among `keys` that no rendition of the shop refers to. */
export async function removeUnreferencedFiles(shopId: string, keys: string[], storage: MediaStorage = mediaStorage()) {
  if (!keys.length) return;
  const referenced = await db().imageRendition.findMany({
    where: { shopId, storageKey: { in: keys } },
    select: { storageKey: true },
  });
  const keep = new Set(referenced.map((r) => r.storageKey));
  for (const key of new Set(keys)) if (!keep.has(key)) await storage.remove(key);
}

/** The product whose photos are managed, if it is this shop's. */
export async function findProductForPhotos({ shopId, productId }: { shopId: string; productId: string }) {
  return db().product.findFirst({
    where: { shopId, id: productId },
    select: { id: true, slug: true, titleZh: true, titleEn: true },
  });
}

/** A product's photos in their order, ready to draw, with their alt texts. */
export async function listProductPhotos({
  shopId,
  productId,
  lng,
}: {
  shopId: string;
  productId: string;
  lng: string;
}) {
  const images = await db().image.findMany({
    where: { shopId, productId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: { renditions: true },
  });
  return images.map((image) => ({
    id: image.id,
    altZh: image.altZh ?? "",
    altEn: image.altEn ?? "",
    width: image.width,
    height: image.height,
    storedBytes: image.renditions.reduce((sum, r) => sum + r.bytes, 0),
    hasAvif: image.renditions.some((r) => r.format === "avif"),
    picture: toPicture(image, lng, pick(lng, image.altZh, image.altEn) ?? ""),
  }));
}

export type ProductPhoto = Awaited<ReturnType<typeof listProductPhotos>>[number];

/** Sets a photo's alt texts (an empty text clears it). False if it is not the product's. */
export async function updatePhotoAlt({
  shopId,
  productId,
  imageId,
  altZh,
  altEn,
}: {
  shopId: string;
  productId: string;
  imageId: string;
  altZh: string;
  altEn: string;
}): Promise<boolean> {
  const { count } = await db().image.updateMany({
    where: { shopId, productId, id: imageId },
    data: { altZh: altZh.trim() || null, altEn: altEn.trim() || null },
  });
  return count === 1;
}

/** Moves a photo one place up or down; positions are renumbered 0…n-1 on the way. */
export async function movePhoto({
  shopId,
  productId,
  imageId,
  direction,
}: {
  shopId: string;
  productId: string;
  imageId: string;
  direction: "up" | "down";
}): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const photos = await tx.image.findMany({
      where: { shopId, productId },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      select: { id: true, position: true },
    });
    const from = photos.findIndex((p) => p.id === imageId);
    if (from < 0) return false;
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= photos.length) return true; // already first or last
    [photos[from], photos[to]] = [photos[to]!, photos[from]!];
    for (const [position, photo] of photos.entries()) {
      if (photo.position !== position)
        await tx.image.update({ where: { shopId_id: { shopId, id: photo.id } }, data: { position } });
    }
    return true;
  });
}

/**
 * Deletes an image of the shop (of the product, when given) with its renditions, then the
 * files nothing else refers to. False if there is no such image.
 */
export async function deleteImage({
  shopId,
  imageId,
  productId,
  storage = mediaStorage(),
}: {
  shopId: string;
  imageId: string;
  productId?: string;
  storage?: MediaStorage;
}): Promise<boolean> {
  const image = await db().image.findFirst({
    where: { shopId, id: imageId, ...(productId ? { productId } : {}) },
    select: { id: true, renditions: { select: { storageKey: true } } },
  });
  if (!image) return false;
  const count = await db().$transaction(async (tx) => {
    const deleted = await tx.image.deleteMany({ where: { shopId, id: image.id } });
    // The shop's logo and banner name their image without a foreign key (028): forget a deleted one.
    await tx.shop.updateMany({ where: { id: shopId, logoImageId: image.id }, data: { logoImageId: null } });
    await tx.shop.updateMany({ where: { id: shopId, bannerImageId: image.id }, data: { bannerImageId: null } });
    return deleted.count;
  });
  if (count)
    await removeUnreferencedFiles(
      shopId,
      image.renditions.map((r) => r.storageKey),
      storage,
    );
  return count === 1;
}
