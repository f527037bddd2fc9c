import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { ensureBuilt, freePort, spawnBuiltServer, waitUntil } from "../support/built-server";
import { serverUrl, withDatabase } from "../support/database";

// Issue #11: the app's whole process stays within 200 MB while it streams a 1,000,000-line CSV.
// The export itself adds ~20–35 MB (docs/perf.md, "County reports", run 9), so a node must rest
// well under that: Prisma's query compiler at V8's baseline tier and a small young generation
// (docs/decisions/036-resting-memory.md). Before them a node that had served a few pages held
// ~230 MB. Resident memory, read from /proc: Linux only.

const RESTING_LIMIT_MB = 180;

const onServer = Boolean(serverUrl()) && process.platform === "linux";
if (!onServer) console.log("resting-memory.test.ts: needs TEST_DATABASE_URL on Linux; skipped.");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "resting-memory-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function residentMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

describe.runIf(onServer)("a node of npm run serve on a PostgreSQL server", () => {
  let databaseUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    databaseUrl = withDatabase(serverUrl()!, row!.db);
  }, 240_000);

  it(`rests under ${RESTING_LIMIT_MB} MB after its first pages`, async () => {
    const port = await freePort();
    const proc = spawnBuiltServer(port, dataDir, { DATABASE_URL: databaseUrl, WEB_CONCURRENCY: "1" });
    proc.stdout!.resume();
    proc.stderr!.resume();
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntil(async () => (await fetch(`${base}/healthz`)).ok, 120_000, 100);
      // Pages that query through Prisma (not the search, whose word segmenter, jieba, is ~65 MB of its own).
      for (const page of ["/", "/login", "/platform", "/", "/login"]) {
        const response = await fetch(base + page);
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }
      const memory = residentMb(proc.pid!);
      expect(memory.rss, `VmRSS ${memory.rss.toFixed(0)} MB, VmHWM ${memory.peak.toFixed(0)} MB`).toBeLessThan(
        RESTING_LIMIT_MB,
      );
      expect(memory.peak).toBeLessThan(RESTING_LIMIT_MB);
    } finally {
      proc.kill("SIGTERM");
      await new Promise((resolve) => proc.once("exit", resolve));
    }
  }, 180_000);
});
