import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { db, readDb, unscopedDb, unscopedReadDb } from "~/db/index.server";
import { closeReplica, lastWriteCookie, replica, replicaHealth, requestMayReadReplica } from "~/db/replica.server";
import { resetEnv } from "~/env.server";
import { requestContext } from "~/lib/request-context.server";
import { liveShopsForSitemap } from "~/modules/seo/sitemap.cross-shop.server";
import { adminQuery, serverUrl, uniqueName, withDatabase } from "../support/database";
import { createShopWithProduct } from "./media-fixtures";

// Reads that tolerate lag go to DATABASE_REPLICA_URL (docs/decisions/024-stateless-nodes.md). The
// "replica" here is a second database cloned from the migrated template: it holds none of this
// file's rows, so which database answered a read is plain to see. Streaming replication itself is
// the drill's (a pg_basebackup replica); this proves the routing.

const template = serverUrl() ? inject("templateDatabase") : null;
if (!template) console.log("replica-reads.test.ts: the routing part needs TEST_DATABASE_URL; running the rules only.");

/** Runs fn as the reads of a request that may (or may not) use the replica. */
function inRequest<T>(mayReadReplica: boolean, fn: () => Promise<T>): Promise<T> {
  return requestContext.run({ requestId: "replica-test", mayReadReplica }, fn);
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function useReplica(url: string | undefined) {
  await closeReplica();
  if (url) process.env.DATABASE_REPLICA_URL = url;
  else delete process.env.DATABASE_REPLICA_URL;
  resetEnv();
}

describe("which requests may read the replica", () => {
  it("is a GET or HEAD whose visitor has not written in the last READ_YOUR_WRITES_SECONDS", () => {
    const now = 1_800_000_000_000;
    expect(requestMayReadReplica({ method: "GET", cookieHeader: undefined, now, readYourWritesSeconds: 5 })).toBe(true);
    expect(requestMayReadReplica({ method: "HEAD", cookieHeader: "lng=en", now, readYourWritesSeconds: 5 })).toBe(true);
    expect(requestMayReadReplica({ method: "POST", cookieHeader: undefined, now, readYourWritesSeconds: 5 })).toBe(
      false,
    );
    // The cookie a write sets keeps the visitor on the primary for the next few seconds only.
    const wrote = lastWriteCookie(now, 5).split(";")[0]!;
    expect(lastWriteCookie(now, 5)).toMatch(/Max-Age=5; HttpOnly; SameSite=Lax$/);
    expect(lastWriteCookie(now, 5, true)).toMatch(/SameSite=Lax; Secure$/);
    const at = (ms: number) =>
      requestMayReadReplica({
        method: "GET",
        cookieHeader: `lng=en; ${wrote}`,
        now: now + ms,
        readYourWritesSeconds: 5,
      });
    expect(at(0)).toBe(false);
    expect(at(4_999)).toBe(false);
    expect(at(5_000)).toBe(true);
    // A cookie from the far future (a forged one) does not pin anyone to the primary.
    expect(
      requestMayReadReplica({ method: "GET", cookieHeader: `lw=${now + 3_600_000}`, now, readYourWritesSeconds: 5 }),
    ).toBe(true);
  });

  it("needs a replica that answers with a lag under the threshold", async () => {
    let lag = 0;
    let down = false;
    const health = replicaHealth({
      maxLagSeconds: 5,
      probe: async () => {
        if (down) throw new Error("connection refused");
        return lag;
      },
    });
    expect(await health.refresh()).toBe(true);
    lag = 30;
    expect(await health.refresh()).toBe(false);
    lag = 0.2;
    expect(await health.refresh()).toBe(true);
    down = true;
    expect(await health.refresh()).toBe(false);
    const slow = replicaHealth({ maxLagSeconds: 5, timeoutMs: 50, probe: () => new Promise(() => undefined) });
    expect(await slow.refresh()).toBe(false);
  });
});

describe.runIf(template)("reads routed to DATABASE_REPLICA_URL", () => {
  const replicaName = uniqueName("test_replica");
  let replicaUrl: string;
  let slug: string;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${replicaName}" TEMPLATE "${template}"`);
    replicaUrl = withDatabase(serverUrl()!, replicaName);
    const { shop } = await createShopWithProduct(uniqueName("rep").replace(/_/g, "").slice(0, 30).toLowerCase());
    await db().shop.update({ where: { id: shop.id }, data: { status: "LIVE" } });
    await db().product.updateMany({ where: { shopId: shop.id }, data: { status: "ACTIVE" } });
    slug = shop.slug;
  });

  afterEach(() => useReplica(undefined));

  afterAll(async () => {
    await useReplica(undefined);
    await adminQuery(`DROP DATABASE IF EXISTS "${replicaName}" WITH (FORCE)`);
  });

  const sitemapSlugs = async () => (await liveShopsForSitemap()).map((s) => s.slug);

  it("changes nothing without the variable", async () => {
    await useReplica(undefined);
    expect(replica()).toBeNull();
    await inRequest(true, async () => {
      expect(readDb()).toBe(db());
      expect(unscopedReadDb()).toBe(unscopedDb());
      expect(await sitemapSlugs()).toContain(slug);
    });
  });

  it("sends a request's lag-tolerant reads to the replica, and everything else to the primary", async () => {
    await useReplica(replicaUrl);
    expect(await replica()!.health.refresh()).toBe(true);
    await inRequest(true, async () => {
      expect(await sitemapSlugs()).not.toContain(slug); // the replica answered
      expect(await readDb().shop.count({ where: { slug } })).toBe(0);
      expect(await db().shop.count({ where: { slug } })).toBe(1); // db() is always the primary
    });
    // A visitor who just wrote, and work outside any request (jobs, scripts), read the primary.
    await inRequest(false, async () => expect(await sitemapSlugs()).toContain(slug));
    expect(await sitemapSlugs()).toContain(slug);
  });

  it("falls back to the primary, without an error, when the replica is down", async () => {
    await useReplica(withDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}`, "postgres"));
    expect(await replica()!.health.refresh()).toBe(false);
    await inRequest(true, async () => {
      expect(await sitemapSlugs()).toContain(slug);
      expect(await readDb().shop.count({ where: { slug } })).toBe(1);
    });
  });
});
