import { describe, expect, it } from "vitest";
import { connection } from "~/db/index.server";
import { createLimiter, limiterFor, rateLimitPool, useRateLimitStore, type LimitRule } from "~/lib/rate-limit.server";
import { csrfCookie } from "~/modules/identity/cookies.server";
import { SIGN_IN_LIMITS } from "~/modules/identity/accounts.server";
import { action as loginAction } from "~/routes/login";
import { createUser, postAs, run, TEST_PASSWORD } from "../support/auth";

// Finding 4 of issue #9: limits must hold across app processes (a store they share: the
// PostgreSQL server's RateLimit table), and keep working, more strictly, when it is unreachable.

const rule = (name: string): LimitRule => ({ name, points: 5, windowSeconds: 600, fallbackPoints: 2 });
/** Nothing listens on port 1: every query fails at once, as when the store is down. */
const deadStore = () => ({
  kind: "postgres" as const,
  pool: rateLimitPool("postgresql://postgres@127.0.0.1:1/postgres"),
});

describe("the rate-limit store", () => {
  it("is shared: two app instances count one limit together on the PostgreSQL server", async (context) => {
    if (connection().kind !== "server") context.skip();
    const url = connection().url!;
    const [poolA, poolB] = [rateLimitPool(url), rateLimitPool(url)];
    try {
      const a = createLimiter(rule("test:shared"), { kind: "postgres", pool: poolA });
      const b = createLimiter(rule("test:shared"), { kind: "postgres", pool: poolB });
      for (let i = 0; i < 3; i++) await a.hit("203.0.113.5");
      expect(await b.retryAfter("203.0.113.5")).toBe(0);
      expect((await b.hit("203.0.113.5")).used).toBe(4);
      const fifth = await b.hit("203.0.113.5");
      expect(fifth.used).toBe(5);
      expect(fifth.retryAfterSeconds).toBeGreaterThan(0);
      // Instance A sees B's failures: the key is limited for both.
      expect(await a.retryAfter("203.0.113.5")).toBeGreaterThan(0);
      expect(await a.retryAfter("203.0.113.6")).toBe(0);
      await b.clear("203.0.113.5");
      expect(await a.retryAfter("203.0.113.5")).toBe(0);
    } finally {
      await Promise.all([poolA.end(), poolB.end()]);
    }
  });

  it("keeps the app's limits in the RateLimit table, which a migration made", async (context) => {
    if (connection().kind !== "server") context.skip();
    await limiterFor(SIGN_IN_LIMITS.address).hit("198.18.0.1");
    const rows = await connection().raw.query<{ key: string; points: number }>(
      `SELECT key, points FROM "RateLimit" WHERE key = $1`,
      [`${SIGN_IN_LIMITS.address.name}:198.18.0.1`],
    );
    expect(rows).toEqual([{ key: `${SIGN_IN_LIMITS.address.name}:198.18.0.1`, points: 1 }]);
  });

  it("falls back to this process's memory, with fewer points, when the store is unreachable", async () => {
    const store = deadStore();
    try {
      const limiter = createLimiter(rule("test:down"), store);
      expect(await limiter.retryAfter("203.0.113.9")).toBe(0);
      expect((await limiter.hit("203.0.113.9")).retryAfterSeconds).toBe(0);
      // Two points instead of five.
      expect((await limiter.hit("203.0.113.9")).retryAfterSeconds).toBeGreaterThan(0);
      expect(await limiter.retryAfter("203.0.113.9")).toBeGreaterThan(0);
      expect(await limiter.retryAfter("203.0.113.10")).toBe(0);
    } finally {
      await store.pool.end();
    }
  });

  it("keeps sign-in working and limited, without a 5xx, while the store is down", async () => {
    const store = deadStore();
    useRateLimitStore(store);
    try {
      const user = await createUser();
      const csrf = "d".repeat(43);
      const cookie = (await csrfCookie.serialize(csrf)).split(";")[0]!;
      const attempt = (password: string, address: string) => {
        const request = postAs({ cookie, csrf }, "http://localhost/login", { identifier: user.phone, password });
        request.headers.set("x-peer-address", address);
        return run(loginAction, request);
      };
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_LIMITS.pair.points; i++)
        statuses.push((await attempt(`wrong-${i}`, "10.5.0.1")).status);
      // Stricter than the shared limit: refused after the fallback's fewer failures.
      const fallback = SIGN_IN_LIMITS.pair.fallbackPoints;
      expect(fallback).toBeLessThan(SIGN_IN_LIMITS.pair.points);
      expect(statuses).toEqual([
        ...Array(fallback).fill(400),
        ...Array(SIGN_IN_LIMITS.pair.points - fallback).fill(429),
      ]);
      // The owner, elsewhere, still signs in.
      expect((await attempt(TEST_PASSWORD, "10.5.0.2")).status).toBe(302);
    } finally {
      useRateLimitStore(null);
      await store.pool.end();
    }
  });
});
