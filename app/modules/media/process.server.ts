import { createHash } from "node:crypto";
import type { Metadata, SharpOptions } from "sharp";
import { sharp } from "./sharp.server";
import { IMAGE_FORMATS, IMAGE_PRESETS, storageKey, type ImageFormat, type ImageRoleName } from "./presets";
import type { MediaStorage } from "./storage.server";

/**
 * Bump when the output of the pipeline changes, so URLs (which carry the hash) change too.
 * 2: rasters are decoded once, straight to the largest preset (no full-size re-encode in between).
 */
const PIPELINE_VERSION = "2";

/**
 * The most pixels an original may declare (a 12 MP phone photo has 12 million). sharp checks the
 * header against it before allocating any pixels, so a small file claiming a huge size is refused.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/** How every original is decoded: refuse truncated files and decompression bombs. */
const DECODE_OPTIONS: SharpOptions = { failOn: "truncated", limitInputPixels: MAX_INPUT_PIXELS };

export interface Rendition {
  preset: number;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  storageKey: string;
}

export interface ProcessedImage {
  contentHash: string;
  width: number;
  height: number;
  bytes: number;
  dominantColor: string;
  renditions: Rendition[];
}

/** A processed image whose new files are still in memory, not yet stored. */
export interface RenderedImage extends ProcessedImage {
  /** Files to store, by key; presets already in storage are not rendered again and are not here. */
  files: Map<string, Buffer>;
}

export class ImageProcessingError extends Error {}

/** Names an original's stored files: its bytes and the pipeline that made them. */
export function contentHashOf(original: Buffer): string {
  return createHash("sha256").update(PIPELINE_VERSION).update(original).digest("hex").slice(0, 24);
}

function toHex({ r, g, b }: { r: number; g: number; b: number }) {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Decodes the original once, auto-rotated, to the largest preset's width as raw pixels
 * (JPEGs shrink while they load, so a 12 MP photo never sits in memory at full size).
 * Vector art is rasterised at that width. Returns the original's oriented size too.
 */
async function decode(original: Buffer, largest: number) {
  let meta: Metadata;
  try {
    meta = await sharp(original, DECODE_OPTIONS).metadata();
  } catch (error) {
    throw new ImageProcessingError(`not a readable image: ${(error as Error).message}`);
  }
  try {
    const input =
      meta.format === "svg"
        ? sharp(original, {
            ...DECODE_OPTIONS,
            density: Math.min(2400, (72 * largest) / Math.max(1, meta.width ?? largest)),
          })
        : sharp(original, DECODE_OPTIONS).rotate();
    const { data, info } = await input
      .resize({ width: largest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const size = meta.format === "svg" ? info : (meta.autoOrient ?? info);
    if (!size.width || !size.height) throw new ImageProcessingError("image has no size");
    return { pixels: data, info, width: size.width, height: size.height };
  } catch (error) {
    if (error instanceof ImageProcessingError) throw error;
    throw new ImageProcessingError(`the image could not be decoded: ${(error as Error).message}`);
  }
}

/**
 * Turns an original (raster or SVG) into the role's named presets in WebP and JPEG,
 * auto-rotated and without metadata, in memory. Presets already in storage are not rendered again.
 */
export async function renderImage(
  original: Buffer,
  role: ImageRoleName,
  shopId: string,
  storage: MediaStorage,
): Promise<RenderedImage> {
  const contentHash = contentHashOf(original);
  const presets = IMAGE_PRESETS[role];
  const largest = presets[presets.length - 1]!;
  const { pixels, info, width, height } = await decode(original, largest);
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const { dominant } = await sharp(pixels, raw).stats();

  const renditions: Rendition[] = [];
  const files = new Map<string, Buffer>();
  for (const preset of presets) {
    const targetWidth = Math.min(preset, width);
    const targetHeight = Math.round((height * targetWidth) / width);
    for (const format of IMAGE_FORMATS) {
      const key = storageKey(shopId, contentHash, preset, format);
      let bytes: number;
      const stored = await storage.get(key);
      if (stored) {
        bytes = stored.length;
      } else {
        const pipeline = sharp(pixels, raw).resize({ width: targetWidth, height: targetHeight, fit: "fill" });
        const output =
          format === "webp"
            ? await pipeline.webp({ quality: 78 }).toBuffer()
            : await pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 80, mozjpeg: true }).toBuffer();
        files.set(key, output);
        bytes = output.length;
      }
      renditions.push({ preset, format, width: targetWidth, height: targetHeight, bytes, storageKey: key });
    }
  }
  return { contentHash, width, height, bytes: original.length, dominantColor: toHex(dominant), renditions, files };
}

/** Stores the files a render produced. */
export async function storeRendered(rendered: RenderedImage, storage: MediaStorage): Promise<void> {
  for (const [key, bytes] of rendered.files) await storage.put(key, bytes);
}

/** Renders an original's presets and stores them (files already stored are not written again). */
export async function processImage(
  original: Buffer,
  role: ImageRoleName,
  shopId: string,
  storage: MediaStorage,
): Promise<ProcessedImage> {
  const rendered = await renderImage(original, role, shopId, storage);
  await storeRendered(rendered, storage);
  const { files: _stored, ...processed } = rendered;
  return processed;
}
