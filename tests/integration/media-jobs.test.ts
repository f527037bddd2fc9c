import { setTimeout as sleep } from "node:timers/promises";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { connect, type DatabaseConnection } from "~/db/connection.server";
import { connection, db } from "~/db/index.server";
import { migrate } from "~/db/migrate.server";
import { enqueue, LOCK_TIMEOUT_MS, MAX_ATTEMPTS, retryDelayMs, runDueJobs } from "~/modules/jobs/queue.server";
import { startWorker } from "~/modules/jobs/worker.server";
import { deleteImage } from "~/modules/media/images.server";
import { storeUpload } from "~/modules/media/upload.server";
import { loader as mediaLoader } from "~/routes/media.$";
import { createShopWithProduct, fileOf, mediaFileExists, picture } from "./media-fixtures";

async function uploadPhoto(slug: string) {
  const { shop, product } = await createShopWithProduct(slug);
  const result = await storeUpload({ shopId: shop.id, productId: product.id, role: "PRODUCT", file: fileOf(await picture("jpeg", 1600, 1200), "p.jpg") });
  if (!result.ok) throw new Error(result.error);
  return { shop, imageId: result.imageId };
}

/** Runs only the given kinds: other test files' jobs never share this database, but keep each test to its own. */
const only = (kind: string, handler: (payload: unknown) => Promise<void>) => ({ [kind]: handler });

describe("the AVIF job", () => {
  it("adds AVIF renditions of the role's presets, served like the others", async () => {
    const { shop, imageId } = await uploadPhoto("avif-shop");
    const result = await runDueJobs({ limit: 10 });
    expect(result).toMatchObject({ claimed: 1, done: 1 });
    const job = await db().outboxJob.findFirstOrThrow({ where: { kind: "image.avif" } });
    expect(job).toMatchObject({ status: "DONE", attempts: 1, lockedAt: null, lastError: null });
    expect(job.doneAt).toBeInstanceOf(Date);

    const avif = await db().imageRendition.findMany({ where: { shopId: shop.id, imageId, format: "avif" }, orderBy: { preset: "asc" } });
    expect(avif.map((r) => [r.preset, r.width, r.height])).toEqual([
      [320, 320, 240],
      [640, 640, 480],
      [1280, 1280, 960],
    ]);
    for (const rendition of avif) {
      const response = (await mediaLoader({
        request: new Request(`http://localhost/media/${rendition.storageKey}`),
        params: { "*": rendition.storageKey },
        context: {},
      })) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("image/avif");
      expect(response.headers.get("Cache-Control")).toContain("immutable");
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["heif", rendition.width, rendition.height]);
    }
    // Nothing left to do.
    expect(await runDueJobs({ limit: 10 })).toMatchObject({ claimed: 0 });
  });

  it("does nothing, and succeeds, for an image deleted before it ran", async () => {
    const { shop, imageId } = await uploadPhoto("avif-deleted");
    expect(await deleteImage({ shopId: shop.id, imageId })).toBe(true);
    expect(await runDueJobs({ limit: 10 })).toMatchObject({ claimed: 1, done: 1 });
    expect(await db().imageRendition.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("the job queue", () => {
  it("retries a failing job with growing waits, then marks it FAILED with the last error", async () => {
    let calls = 0;
    const handlers = only("test.flaky", async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const id = await enqueue("test.flaky", { n: 1 });
    let now = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await runDueJobs({ handlers, now })).toMatchObject({ claimed: 1 });
      const job = await db().outboxJob.findUniqueOrThrow({ where: { id } });
      expect(job.attempts).toBe(attempt);
      expect(job.lastError).toBe(`boom ${attempt}`);
      expect(job.lockedAt).toBeNull();
      if (attempt < MAX_ATTEMPTS) {
        expect(job.status).toBe("PENDING");
        expect(job.runAt.getTime()).toBe(now.getTime() + retryDelayMs(attempt));
        // Not due again before its time.
        expect(await runDueJobs({ handlers, now: new Date(job.runAt.getTime() - 1) })).toMatchObject({ claimed: 0 });
        now = job.runAt;
      } else {
        expect(job.status).toBe("FAILED");
      }
    }
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(retryDelayMs(1)).toBeLessThan(retryDelayMs(2));
    expect(await runDueJobs({ handlers, now: new Date(now.getTime() + 86_400_000) })).toMatchObject({ claimed: 0 });
  });

  it("treats a kind without a handler as an error, and runs a job whose worker died after its lock timed out", async () => {
    const orphan = await enqueue("test.unknown", {});
    await runDueJobs({ handlers: {} });
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: orphan } })).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: 'no handler for job kind "test.unknown"',
    });
    await db().outboxJob.update({ where: { id: orphan }, data: { status: "DONE" } });

    const ran: string[] = [];
    const handlers = only("test.stuck", async () => void ran.push("ran"));
    const stuck = await enqueue("test.stuck", {});
    const claimedAt = new Date();
    await db().outboxJob.update({ where: { id: stuck }, data: { lockedAt: claimedAt, attempts: 1 } });
    expect(await runDueJobs({ handlers, now: new Date(claimedAt.getTime() + 1000) })).toMatchObject({ claimed: 0 });
    expect(await runDueJobs({ handlers, now: new Date(claimedAt.getTime() + LOCK_TIMEOUT_MS + 1000) })).toMatchObject({ done: 1 });
    expect(ran).toEqual(["ran"]);
  });

  it("never runs one job in two workers at once", async () => {
    const count = 60;
    const ids = await Promise.all(Array.from({ length: count }, (_, n) => enqueue("test.count", { n })));
    const runs = new Map<string, number>();
    const handlers = only("test.count", async (payload) => {
      const { n } = payload as { n: number };
      runs.set(String(n), (runs.get(String(n)) ?? 0) + 1);
      await sleep(2);
    });
    // Four workers polling side by side (on a server, each claim runs on its own connection).
    const worker = async () => {
      while ((await runDueJobs({ limit: 3, handlers })).claimed > 0) {
        // keep going until nothing is due
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(runs.size).toBe(count);
    expect([...runs.values()].every((times) => times === 1)).toBe(true);
    expect(await db().outboxJob.count({ where: { id: { in: ids }, status: "DONE", attempts: 1 } })).toBe(count);
  });

  it("claims jobs the same way on embedded PGlite (one connection)", async () => {
    const store = globalThis as unknown as { __singletons: Map<string, unknown> };
    const original = connection();
    const embedded: DatabaseConnection = connect({ kind: "embedded", dir: null });
    try {
      await migrate(embedded.raw);
      store.__singletons.set("db:connection", embedded);
      store.__singletons.delete("db:scoped");
      const seen: unknown[] = [];
      const handlers = only("test.pglite", async (payload) => void seen.push(payload));
      await enqueue("test.pglite", { a: 1 });
      await enqueue("test.pglite", { a: 2 }, { runAt: new Date(Date.now() + 60_000) });
      const [first, second] = await Promise.all([runDueJobs({ handlers }), runDueJobs({ handlers })]);
      expect(first.claimed + second.claimed).toBe(1);
      expect(seen).toEqual([{ a: 1 }]);
      expect(await runDueJobs({ handlers, now: new Date(Date.now() + 120_000) })).toMatchObject({ done: 1 });
      expect(seen).toEqual([{ a: 1 }, { a: 2 }]);
    } finally {
      store.__singletons.set("db:connection", original);
      store.__singletons.delete("db:scoped");
      await embedded.close();
    }
  });

  it("startWorker runs due jobs in the background until stopped", async () => {
    const { shop, imageId } = await uploadPhoto("worker-shop");
    const worker = startWorker({ intervalMs: 50 });
    try {
      await vi.waitFor(
        async () => {
          expect(await db().imageRendition.count({ where: { shopId: shop.id, imageId, format: "avif" } })).toBe(3);
        },
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      await worker.stop();
    }
    const keys = await db().imageRendition.findMany({ where: { shopId: shop.id, format: "avif" }, select: { storageKey: true } });
    expect(keys.every((k) => mediaFileExists(k.storageKey))).toBe(true);
  });
});
