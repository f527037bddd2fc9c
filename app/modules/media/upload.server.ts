import type { Metadata } from "sharp";
import { sharp } from "./sharp.server";
import { db } from "~/db/index.server";
import { env } from "~/env.server";
import { enqueue } from "~/modules/jobs/queue.server";
import { AVIF_JOB } from "./avif.server";
import { mediaUsage, quotaRefusal, removeUnreferencedFiles } from "./images.server";
import { megabytes } from "./limits";
import type { ImageRoleName } from "./presets";
import {
  contentHashOf,
  ImageProcessingError,
  MAX_INPUT_PIXELS,
  renderImage,
  storeRendered,
  type RenderedImage,
} from "./process.server";
import { mediaStorage, type MediaStorage } from "./storage.server";

// A cooperative's photo upload: only real JPEG, PNG and WebP pictures are accepted, judged by
// their bytes (never the name or the declared type) and by decoding them completely. A refusal
// stores nothing; an accepted picture is stored as its named presets, without metadata.

export type UploadRefusal = { ok: false; error: string; values?: Record<string, string | number> };
export type UploadResult = { ok: true; imageId: string; reused: boolean } | UploadRefusal;

/** The largest file accepted, in bytes. */
export function uploadMaxBytes(): number {
  return env().UPLOAD_MAX_BYTES;
}

type AcceptedFormat = "jpeg" | "png" | "webp";

/** What a file's first bytes say it is, among the accepted formats. */
export function sniffImageFormat(bytes: Uint8Array): AcceptedFormat | null {
  const has = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  if (has([0xff, 0xd8, 0xff])) return "jpeg";
  if (has([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (has([0x52, 0x49, 0x46, 0x46]) && has([0x57, 0x45, 0x42, 0x50], 8)) return "webp"; // RIFF….WEBP
  return null;
}

function refuse(error: string, values?: UploadRefusal["values"]): UploadRefusal {
  return { ok: false, error: `media.errors.${error}`, ...(values ? { values } : {}) };
}

/** Header checks, before any pixel is decoded: the format (magic bytes and sharp agree) and the size. */
async function checkHeader(original: Buffer): Promise<UploadRefusal | null> {
  const sniffed = sniffImageFormat(original);
  if (!sniffed) return refuse("notAnImage");
  let meta: Metadata;
  try {
    meta = await sharp(original).metadata();
  } catch {
    return refuse("damaged");
  }
  if (meta.format !== sniffed) return refuse("notAnImage");
  if (!meta.width || !meta.height) return refuse("damaged");
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    return refuse("tooManyPixels", { megapixels: Math.round(MAX_INPUT_PIXELS / 1_000_000) });
  }
  return null;
}

class QuotaExceeded extends Error {
  constructor(public refusal: UploadRefusal) {
    super(refusal.error);
  }
}

function sumBytes(rendered: RenderedImage) {
  return rendered.renditions.reduce((sum, r) => sum + r.bytes, 0);
}

/**
 * Checks and stores one uploaded picture for the shop: the role's presets in WebP and JPEG
 * now, AVIF later (a background job). The same picture uploaded again for the same product
 * (or as the same brand role) is the image already stored.
 */
export async function storeUpload({
  shopId,
  role,
  productId = null,
  file,
  alt,
  storage = mediaStorage(),
}: {
  shopId: string;
  role: ImageRoleName;
  productId?: string | null;
  file: Blob;
  alt?: { zh?: string; en?: string };
  storage?: MediaStorage;
}): Promise<UploadResult> {
  if (file.size === 0) return refuse("empty");
  const maxBytes = uploadMaxBytes();
  if (file.size > maxBytes) return refuse("tooLarge", { max: megabytes(maxBytes) });
  if (productId && !(await db().product.findFirst({ where: { shopId, id: productId }, select: { id: true } }))) {
    return refuse("productNotFound");
  }

  const original = Buffer.from(await file.arrayBuffer());
  const headerProblem = await checkHeader(original);
  if (headerProblem) return headerProblem;

  const contentHash = contentHashOf(original);
  const existing = await db().image.findFirst({
    where: { shopId, productId, role, contentHash },
    select: { id: true },
  });
  if (existing) return { ok: true, imageId: existing.id, reused: true };

  // Decoding it completely is the real test: a truncated or corrupt file fails here.
  let rendered: RenderedImage;
  try {
    rendered = await renderImage(original, role, shopId, storage);
  } catch (error) {
    if (error instanceof ImageProcessingError) return refuse("damaged");
    throw error;
  }
  const incomingBytes = sumBytes(rendered);
  const overQuota = quotaRefusal(await mediaUsage(shopId), incomingBytes);
  if (overQuota) return overQuota;

  // Files first, then the rows that point at them (a row never names a missing file).
  await storeRendered(rendered, storage);
  try {
    const imageId = await db().$transaction(async (tx) => {
      // One upload per shop at a time past this point, so two cannot both fit under the quota.
      await tx.$queryRaw`SELECT "id" FROM "Shop" WHERE "id" = ${shopId} FOR UPDATE`;
      const [sum, shop] = await Promise.all([
        tx.imageRendition.aggregate({ where: { shopId }, _sum: { bytes: true } }),
        tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { mediaQuotaBytes: true } }),
      ]);
      const refusal = quotaRefusal({ usedBytes: sum._sum.bytes ?? 0, quotaBytes: shop.mediaQuotaBytes }, incomingBytes);
      if (refusal) throw new QuotaExceeded(refusal);
      const last = await tx.image.findFirst({
        where: { shopId, productId, role },
        orderBy: { position: "desc" },
        select: { position: true },
      });
      const image = await tx.image.create({
        data: {
          shopId,
          productId,
          role,
          contentHash,
          width: rendered.width,
          height: rendered.height,
          bytes: rendered.bytes,
          dominantColor: rendered.dominantColor,
          altZh: alt?.zh?.trim() || null,
          altEn: alt?.en?.trim() || null,
          position: last ? last.position + 1 : 0,
          // The image's shop is its renditions' (their key to it is ("shopId", "imageId")).
          renditions: { create: rendered.renditions },
        },
        select: { id: true },
      });
      await enqueue(AVIF_JOB, { shopId, imageId: image.id }, { tx });
      return image.id;
    });
    return { ok: true, imageId, reused: false };
  } catch (error) {
    await removeUnreferencedFiles(shopId, [...rendered.files.keys()], storage);
    if (error instanceof QuotaExceeded) return error.refusal;
    throw error;
  }
}
