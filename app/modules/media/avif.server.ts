import { sharp } from "./sharp.server";
import { z } from "zod";
import { db } from "~/db/index.server";
import { removeUnreferencedFiles } from "./images.server";
import { IMAGE_PRESETS, storageKey } from "./presets";
import { mediaStorage, type MediaStorage } from "./storage.server";

// AVIF is 10–25× slower to encode than WebP, so uploads leave it to a background job
// (docs/decisions/006-images.md). The original is not kept: the AVIF presets are made from
// the largest WebP preset, which has the original's alpha and is at least as large as each.

export const AVIF_JOB = "image.avif";

const payloadSchema = z.object({ shopId: z.string().min(1), imageId: z.string().min(1) });

/** Adds the AVIF presets an image lacks. An image deleted meanwhile needs nothing. */
export async function writeAvifRenditions(
  { shopId, imageId }: z.infer<typeof payloadSchema>,
  storage: MediaStorage = mediaStorage(),
): Promise<void> {
  const image = await db().image.findFirst({ where: { shopId, id: imageId }, include: { renditions: true } });
  if (!image) return;
  const has = (preset: number, format: string) =>
    image.renditions.find((r) => r.preset === preset && r.format === format);
  const missing = IMAGE_PRESETS[image.role].filter((preset) => !has(preset, "avif"));
  if (!missing.length) return;

  const source = image.renditions.filter((r) => r.format === "webp").sort((a, b) => b.preset - a.preset)[0];
  const sourceBytes = source ? await storage.get(source.storageKey) : null;
  if (!source || !sourceBytes) throw new Error(`image ${imageId} has no stored WebP preset to make AVIF from`);

  const rows = [];
  for (const preset of missing) {
    const sibling = has(preset, "webp");
    const width = sibling?.width ?? Math.min(preset, source.width);
    const height = sibling?.height ?? Math.round((source.height * width) / source.width);
    const key = storageKey(shopId, image.contentHash, preset, "avif");
    let bytes = await storage.get(key);
    if (!bytes) {
      bytes = await sharp(sourceBytes)
        .resize({ width, height, fit: "fill" })
        .avif({ quality: 50, effort: 2 })
        .toBuffer();
      await storage.put(key, bytes);
    }
    rows.push({ shopId, imageId, preset, format: "avif", width, height, bytes: bytes.length, storageKey: key });
  }
  try {
    await db().imageRendition.createMany({ data: rows, skipDuplicates: true });
  } catch (error) {
    // Deleted while we encoded: its rows are gone, so are the files no one else uses.
    if (await db().image.findFirst({ where: { shopId, id: imageId }, select: { id: true } })) throw error;
    await removeUnreferencedFiles(
      shopId,
      rows.map((r) => r.storageKey),
      storage,
    );
  }
}

/** The "image.avif" job: its payload names the shop and the image. */
export async function runAvifJob(payload: unknown): Promise<void> {
  await writeAvifRenditions(payloadSchema.parse(payload));
}
