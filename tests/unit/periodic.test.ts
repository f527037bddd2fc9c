import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOG_LEVEL = "silent";
});

const { periodicTasks, startPeriodic } = await import("~/modules/jobs/periodic.server");

// The clock the payment sweeper and reconciliation run on.

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("periodic tasks", () => {
  it("are the payment sweeper and the reconciliation, every PAYMENT_JOBS_SECONDS, the domain checks every minute, the security log's retention, hourly, and the logistics pushes every LOGISTICS_PUSH_SECONDS, and the expired report exports' sweep hourly", () => {
    expect(periodicTasks().map((t) => [t.name, t.everyMs])).toEqual([
      ["payments.sweep", 30_000],
      ["payments.reconcile", 30_000],
      ["domains.check", 60_000],
      ["security.retention", 3_600_000],
      ["logistics.push", 5_000],
      ["reports.exportsSweep", 3_600_000],
      ["reports.rollups", 15_000],
    ]);
  });

  it("run again and again, never two runs of a task at once, go on after a failure, and stop() waits for the run in progress", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const gates: ReturnType<typeof deferred>[] = [];
    const runner = startPeriodic([
      {
        name: "test",
        everyMs: 1,
        run: async () => {
          runs++;
          active++;
          most = Math.max(most, active);
          const gate = deferred();
          gates.push(gate);
          await gate.promise;
          active--;
          if (runs === 2) throw new Error("boom");
        },
      },
    ]);
    // Let five runs through, one by one (the second fails).
    for (let i = 0; i < 5; i++) {
      await vi.waitFor(() => expect(gates.length).toBe(i + 1));
      await new Promise((r) => setTimeout(r, 5)); // time for an overlapping run to start, were there one
      expect(gates.length).toBe(i + 1);
      gates[i]!.resolve();
    }
    await vi.waitFor(() => expect(gates.length).toBe(6));
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(stopped).toBe(false);
    gates[5]!.resolve();
    await stopping;
    await new Promise((r) => setTimeout(r, 10));
    expect(gates.length).toBe(6);
    expect(most).toBe(1);
  });
});
