import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { createReadiness } from "~/lib/readiness.server";

// /readyz's answer (docs/decisions/024-stateless-nodes.md): a balancer sends new requests to a
// node only once it has started, never once it drains, and not while its database is away.

function probe(results: boolean[]) {
  let calls = 0;
  let clock = 0;
  const readiness = createReadiness({
    checkDatabase: async () => results[Math.min(calls++, results.length - 1)]!,
    cacheMs: 1_000,
    now: () => clock,
  });
  return { readiness, calls: () => calls, advance: (ms: number) => (clock += ms) };
}

describe("readiness", () => {
  it("is not ready while the node starts, even with its database up", async () => {
    const { readiness, calls } = probe([true]);
    expect(await readiness.check()).toEqual({ ready: false, state: "starting", database: null });
    expect(calls()).toBe(0);
    readiness.markReady();
    expect(await readiness.check()).toEqual({ ready: true, state: "ready", database: true });
  });

  it("follows the database, asking it at most once per cache period", async () => {
    const { readiness, calls, advance } = probe([true, false, true]);
    readiness.markReady();
    expect((await readiness.check()).ready).toBe(true);
    advance(500);
    expect((await readiness.check()).ready).toBe(true);
    expect(calls()).toBe(1);
    advance(600);
    expect(await readiness.check()).toEqual({ ready: false, state: "ready", database: false });
    expect(calls()).toBe(2);
    advance(1_000);
    expect((await readiness.check()).ready).toBe(true);
    expect(calls()).toBe(3);
  });

  it("shares one database query between probes that arrive together", async () => {
    let release = (_ok: boolean) => undefined as void;
    let calls = 0;
    const readiness = createReadiness({
      checkDatabase: () => {
        calls++;
        return new Promise<boolean>((resolve) => (release = resolve));
      },
    });
    readiness.markReady();
    const answers = Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    release(true);
    expect((await answers).map((a) => a.ready)).toEqual([true, true, true]);
    expect(calls).toBe(1);
  });

  it("counts a failing check as an unreachable database", async () => {
    const readiness = createReadiness({ checkDatabase: () => Promise.reject(new Error("connection refused")) });
    readiness.markReady();
    expect(await readiness.check()).toEqual({ ready: false, state: "ready", database: false });
  });

  it("is never ready again once the node drains", async () => {
    const { readiness } = probe([true]);
    readiness.markReady();
    readiness.markDraining();
    expect(await readiness.check()).toEqual({ ready: false, state: "draining", database: null });
    readiness.markReady();
    expect(readiness.state()).toBe("draining");
  });

  it("takes SHUTDOWN_DELAY_MS as whole milliseconds, 0 by default", () => {
    expect(parseEnv({}).SHUTDOWN_DELAY_MS).toBe(0);
    expect(parseEnv({ SHUTDOWN_DELAY_MS: "5000" }).SHUTDOWN_DELAY_MS).toBe(5000);
    for (const bad of ["-1", "soon", "1.5", "600000"])
      expect(() => parseEnv({ SHUTDOWN_DELAY_MS: bad })).toThrow(/SHUTDOWN_DELAY_MS/);
  });
});
