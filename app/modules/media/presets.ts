// Named presets are the only sizes ever stored or served (no arbitrary resizing).
export const IMAGE_PRESETS = {
  PRODUCT: [320, 640, 1280],
  BATCH: [320, 640, 1280],
  LOGO: [96, 192, 384],
  BANNER: [640, 1280, 1920],
  REVIEW: [320, 640, 1280],
} as const;

export type ImageRoleName = keyof typeof IMAGE_PRESETS;
export const IMAGE_FORMATS = ["webp", "jpeg"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number] | "avif";

export const FILE_EXTENSION: Record<ImageFormat, string> = { webp: "webp", jpeg: "jpg", avif: "avif" };

export function storageKey(shopId: string, contentHash: string, preset: number, format: ImageFormat) {
  return `${shopId}/${contentHash}/${preset}.${FILE_EXTENSION[format]}`;
}

export const MEDIA_KEY_PATTERN = /^[a-z0-9]{6,40}\/[0-9a-f]{24}\/\d{2,4}\.(webp|jpg|avif)$/;

/** What a page needs to draw a responsive picture without layout jumps. */
export interface PictureData {
  alt: string;
  width: number;
  height: number;
  color: string;
  /** "" until the background job has made the AVIF presets. */
  avifSrcSet: string;
  webpSrcSet: string;
  jpegSrcSet: string;
  src: string;
}
