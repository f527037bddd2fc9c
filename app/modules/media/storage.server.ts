import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { env } from "~/env.server";
import { singleton } from "~/lib/singleton.server";

/** Where image files live. Disk by default; an S3-compatible store implements the same calls. */
export interface MediaStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Removes a file; a missing one is not an error. */
  remove(key: string): Promise<void>;
}

export function diskStorage(root: string): MediaStorage {
  const resolve = (key: string) => {
    const full = path.resolve(root, key);
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`Media key escapes the store: ${key}`);
    return full;
  };
  return {
    async put(key, bytes) {
      const full = resolve(key);
      await fs.mkdir(path.dirname(full), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const temp = `${full}.${randomUUID()}.tmp`;
      await fs.writeFile(temp, bytes);
      await fs.rename(temp, full);
    },
    async get(key) {
      try {
        return await fs.readFile(resolve(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async remove(key) {
      const full = resolve(key);
      await fs.rm(full, { force: true });
      // Drop the picture's folder once its last file is gone (rmdir refuses a non-empty one).
      await fs.rmdir(path.dirname(full)).catch(() => undefined);
    },
    async exists(key) {
      try {
        await fs.access(resolve(key));
        return true;
      } catch {
        return false;
      }
    },
  };
}

export interface S3Settings {
  /** e.g. https://s3.example.com or http://127.0.0.1:4568; addressed path-style (endpoint/bucket/key). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An S3-compatible object store (MinIO, Ceph, a cloud's S3, s3rver in the tests): every node
 * reads and writes the same files (docs/decisions/024-stateless-nodes.md). Keys are the same as
 * on disk; objects are written whole, so a reader never sees half a file.
 */
export function s3Storage(settings: S3Settings): MediaStorage {
  // The SDK is loaded only by a process that uses it: disk-only nodes never pay for it.
  const loading = import("@aws-sdk/client-s3").then((sdk) => {
    const client: S3Client = new sdk.S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: true,
      // Checksums only where the API requires them: many S3-compatible stores reject or mishandle
      // the newer default (a CRC32 trailer on every upload).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    });
    return { sdk, client };
  });
  loading.catch(() => undefined); // a failed load is reported by each call that awaits it
  const Bucket = settings.bucket;
  const checked = (key: string) => {
    if (key.startsWith("/") || key.split("/").some((part) => part === ".." || part === "." || part === "")) {
      throw new Error(`Media key escapes the store: ${key}`);
    }
    return key;
  };
  const missing = (error: unknown) => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
  };
  return {
    async put(key, bytes) {
      const { sdk, client } = await loading;
      await client.send(
        new sdk.PutObjectCommand({ Bucket, Key: checked(key), Body: bytes, ContentLength: bytes.length }),
      );
    },
    async get(key) {
      const { sdk, client } = await loading;
      try {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket, Key: checked(key) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async exists(key) {
      const { sdk, client } = await loading;
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket, Key: checked(key) }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
    async remove(key) {
      const { sdk, client } = await loading;
      try {
        await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: checked(key) }));
      } catch (error) {
        if (!missing(error)) throw error;
      }
    },
  };
}

/** The driver MEDIA_STORAGE names: disk under MEDIA_DIR (the default), or the S3_* store. */
export function mediaStorageFromEnv(): MediaStorage {
  const settings = env();
  if (settings.MEDIA_STORAGE === "s3") {
    return s3Storage({
      endpoint: settings.S3_ENDPOINT!,
      bucket: settings.S3_BUCKET!,
      region: settings.S3_REGION,
      accessKeyId: settings.S3_ACCESS_KEY_ID!,
      secretAccessKey: settings.S3_SECRET_ACCESS_KEY!,
    });
  }
  return diskStorage(settings.MEDIA_DIR);
}

export function mediaStorage(): MediaStorage {
  return singleton("media:storage", mediaStorageFromEnv);
}
