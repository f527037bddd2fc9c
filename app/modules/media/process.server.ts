import { createHash } from "node:crypto";
import sharp from "sharp";
import { IMAGE_FORMATS, IMAGE_PRESETS, storageKey, type ImageFormat, type ImageRoleName } from "./presets";
import type { MediaStorage } from "./storage.server";

/** Bump when the output of the pipeline changes, so URLs (which carry the hash) change too. */
const PIPELINE_VERSION = "1";

export interface ProcessedImage {
  contentHash: string;
  width: number;
  height: number;
  bytes: number;
  dominantColor: string;
  renditions: { preset: number; format: ImageFormat; width: number; height: number; bytes: number; storageKey: string }[];
}

export class ImageProcessingError extends Error {}

function toHex({ r, g, b }: { r: number; g: number; b: number }) {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Turns an original (raster or SVG) into the role's named presets in WebP and JPEG,
 * auto-rotated and without metadata. Files already stored are not written again.
 */
export async function processImage(
  original: Buffer,
  role: ImageRoleName,
  shopId: string,
  storage: MediaStorage,
): Promise<ProcessedImage> {
  const contentHash = createHash("sha256")
    .update(PIPELINE_VERSION)
    .update(original)
    .digest("hex")
    .slice(0, 24);
  const presets = IMAGE_PRESETS[role];
  const largest = presets[presets.length - 1]!;

  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(original).metadata();
  } catch (error) {
    throw new ImageProcessingError(`not a readable image: ${(error as Error).message}`);
  }
  const isVector = meta.format === "svg";
  // Vector art is rasterised once at the largest preset's size; rasters keep their pixels.
  const source = isVector
    ? await sharp(original, { density: Math.min(2400, (72 * largest * 1.0) / Math.max(1, meta.width ?? largest)) })
        .png()
        .toBuffer()
    : await sharp(original).rotate().toBuffer();
  const base = sharp(source);
  const { width = 0, height = 0 } = await base.metadata();
  if (!width || !height) throw new ImageProcessingError("image has no size");
  const { dominant } = await base.stats();

  const renditions: ProcessedImage["renditions"] = [];
  for (const preset of presets) {
    const targetWidth = Math.min(preset, width);
    const targetHeight = Math.round((height * targetWidth) / width);
    for (const format of IMAGE_FORMATS) {
      const key = storageKey(shopId, contentHash, preset, format);
      let bytes: number;
      if (await storage.exists(key)) {
        bytes = (await storage.get(key))!.length;
      } else {
        const pipeline = sharp(source).resize({ width: targetWidth, withoutEnlargement: true });
        const output =
          format === "webp"
            ? await pipeline.webp({ quality: 78 }).toBuffer()
            : await pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 80, mozjpeg: true }).toBuffer();
        await storage.put(key, output);
        bytes = output.length;
      }
      renditions.push({ preset, format, width: targetWidth, height: targetHeight, bytes, storageKey: key });
    }
  }
  return { contentHash, width, height, bytes: original.length, dominantColor: toHex(dominant), renditions };
}
