import { MEDIA_KEY_PATTERN } from "./presets";
import { mediaStorage } from "./storage.server";

const CONTENT_TYPES: Record<string, string> = { webp: "image/webp", jpg: "image/jpeg", avif: "image/avif" };

/** A stored preset by its key; anything not shaped like one is never looked up. */
export async function readMedia(key: string): Promise<{ bytes: Buffer; contentType: string } | null> {
  if (!MEDIA_KEY_PATTERN.test(key)) return null;
  const bytes = await mediaStorage().get(key);
  if (!bytes) return null;
  return { bytes, contentType: CONTENT_TYPES[key.split(".").pop()!]! };
}
