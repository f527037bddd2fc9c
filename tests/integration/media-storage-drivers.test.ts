import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { parseEnv, resetEnv } from "~/env.server";
import { runDueJobs } from "~/modules/jobs/queue.server";
import { deleteImage } from "~/modules/media/images.server";
import { mediaStorage } from "~/modules/media/storage.server";
import { storeUpload } from "~/modules/media/upload.server";
import { loader as mediaLoader } from "~/routes/media.$";
import { createShopWithProduct, fileOf, mediaFiles, picture } from "./media-fixtures";

// The media scenarios every node relies on, on both storage drivers (docs/decisions/024-stateless-nodes.md):
// disk under MEDIA_DIR, and an S3-compatible store (s3rver, started here on a free port). The app
// code is the same; MEDIA_STORAGE and the S3_* settings pick the driver.

const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
const s3 = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory: s3Dir,
  configureBuckets: [{ name: "media-test", configs: [] }],
});
let s3Endpoint = "";

beforeAll(async () => {
  const { port } = await s3.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  useDriver("disk");
  await s3.close();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const S3_VARIABLES = ["MEDIA_STORAGE", "S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"];

/** Points the app's storage at a driver, as the environment of a fresh process would. */
function useDriver(driver: "disk" | "s3") {
  for (const name of S3_VARIABLES) delete process.env[name];
  if (driver === "s3") {
    Object.assign(process.env, {
      MEDIA_STORAGE: "s3",
      S3_ENDPOINT: s3Endpoint,
      S3_BUCKET: "media-test",
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
    });
  }
  resetEnv();
  (globalThis as unknown as { __singletons?: Map<string, unknown> }).__singletons?.delete("media:storage");
}

/** Every stored file's key, read from the store itself (not through the driver under test). */
async function storedKeys(driver: "disk" | "s3"): Promise<string[]> {
  if (driver === "disk") return mediaFiles();
  const client = new S3Client({
    endpoint: s3Endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: "media-test" }));
  client.destroy();
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

async function serve(key: string) {
  const response = (await mediaLoader({
    request: new Request(`http://localhost/media/${key}`),
    params: { "*": key },
    context: {},
  })) as Response;
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("MEDIA_STORAGE", () => {
  it("is disk by default and needs the store's address, bucket and keys for s3", () => {
    expect(parseEnv({}).MEDIA_STORAGE).toBe("disk");
    expect(() => parseEnv({ MEDIA_STORAGE: "s3" })).toThrow(/S3_ENDPOINT: is required when MEDIA_STORAGE=s3/);
    expect(() =>
      parseEnv({
        MEDIA_STORAGE: "s3",
        S3_ENDPOINT: "http://127.0.0.1:9000",
        S3_ACCESS_KEY_ID: "a",
        S3_SECRET_ACCESS_KEY: "b",
      }),
    ).toThrow(/S3_BUCKET/);
    expect(() => parseEnv({ MEDIA_STORAGE: "ftp" })).toThrow(/MEDIA_STORAGE/);
    expect(() => parseEnv({ S3_ENDPOINT: "not a url" })).toThrow(/S3_ENDPOINT/);
    const s3Settings = parseEnv({
      MEDIA_STORAGE: "s3",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_BUCKET: "photos",
      S3_ACCESS_KEY_ID: "a",
      S3_SECRET_ACCESS_KEY: "b",
    });
    expect(s3Settings).toMatchObject({ MEDIA_STORAGE: "s3", S3_BUCKET: "photos", S3_REGION: "us-east-1" });
  });
});

describe.each(["disk", "s3"] as const)("photos on the %s driver", (driver) => {
  beforeAll(() => useDriver(driver));
  afterAll(() => useDriver("disk"));

  it("stores an upload's presets in the store, serves them, and the worker adds AVIF there", async () => {
    const { shop, product } = await createShopWithProduct(`drivers-${driver}`);
    const before = await storedKeys(driver);
    const result = await storeUpload({
      shopId: shop.id,
      productId: product.id,
      role: "PRODUCT",
      file: fileOf(await picture("jpeg", 1600, 1200), "orchard.jpg"),
    });
    if (!result.ok) throw new Error(result.error);
    const renditions = await db().imageRendition.findMany({ where: { shopId: shop.id, imageId: result.imageId } });
    expect(renditions).toHaveLength(6);
    const added = (await storedKeys(driver)).filter((key) => !before.includes(key));
    expect(added).toEqual(renditions.map((r) => r.storageKey).sort());
    for (const rendition of renditions) {
      const { response, bytes } = await serve(rendition.storageKey);
      expect(response.status).toBe(200);
      expect(bytes.length).toBe(rendition.bytes);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width]).toEqual([rendition.format, rendition.width]);
    }

    // The background worker reads the original rendition from the store and writes AVIF back.
    expect(await runDueJobs({ limit: 10 })).toMatchObject({ claimed: 1, done: 1 });
    const avif = await db().imageRendition.findMany({
      where: { shopId: shop.id, imageId: result.imageId, format: "avif" },
    });
    expect(avif).toHaveLength(3);
    for (const rendition of avif) {
      expect(await mediaStorage().exists(rendition.storageKey)).toBe(true);
      const { response } = await serve(rendition.storageKey);
      expect([response.status, response.headers.get("Content-Type")]).toEqual([200, "image/avif"]);
    }
    expect(await storedKeys(driver)).toHaveLength(before.length + 9);

    // Deleting the photo takes its files out of the store; they are no longer served.
    expect(await deleteImage({ shopId: shop.id, imageId: result.imageId })).toBe(true);
    expect(await storedKeys(driver)).toEqual(before);
    expect((await serve(renditions[0]!.storageKey)).response.status).toBe(404);
  });

  it("stores nothing for a refused upload, and answers 404 for a key it does not hold", async () => {
    const { shop, product } = await createShopWithProduct(`drivers-refused-${driver}`);
    const before = await storedKeys(driver);
    const result = await storeUpload({
      shopId: shop.id,
      productId: product.id,
      role: "PRODUCT",
      file: fileOf("%PDF-1.4\n%%EOF\n", "harvest.jpg"),
    });
    expect(result).toMatchObject({ ok: false, error: "media.errors.notAnImage" });
    expect(await storedKeys(driver)).toEqual(before);
    const missing = `${shop.id}/${"a".repeat(24)}/640.webp`;
    expect(await mediaStorage().get(missing)).toBeNull();
    expect(await mediaStorage().exists(missing)).toBe(false);
    await mediaStorage().remove(missing); // a missing file is not an error
  });
});
