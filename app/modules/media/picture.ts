import { pick } from "~/lib/i18n";
import type { PictureData } from "./presets";

export interface ImageWithRenditions {
  width: number;
  height: number;
  dominantColor: string;
  altZh: string | null;
  altEn: string | null;
  renditions: { preset: number; format: string; width: number; storageKey: string }[];
}

export function mediaUrl(key: string) {
  return `/media/${key}`;
}

/** Builds srcsets from the stored presets; the JPEG set is the fallback for browsers without AVIF or WebP. */
export function toPicture(image: ImageWithRenditions, lng: string, fallbackAlt: string): PictureData {
  const srcSet = (format: string) =>
    image.renditions
      .filter((r) => r.format === format)
      .sort((a, b) => a.preset - b.preset)
      .map((r) => `${mediaUrl(r.storageKey)} ${r.width}w`)
      .join(", ");
  const jpegs = image.renditions.filter((r) => r.format === "jpeg").sort((a, b) => a.preset - b.preset);
  const middle = jpegs[Math.min(1, jpegs.length - 1)];
  return {
    alt: pick(lng, image.altZh, image.altEn) ?? fallbackAlt,
    width: image.width,
    height: image.height,
    color: image.dominantColor,
    avifSrcSet: srcSet("avif"),
    webpSrcSet: srcSet("webp"),
    jpegSrcSet: srcSet("jpeg"),
    src: middle ? mediaUrl(middle.storageKey) : "",
  };
}
