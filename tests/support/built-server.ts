import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { serveNodeFlags } from "../../scripts/lib/serve-flags";

// For tests that spawn the compiled server (build/server.mjs) as `npm run serve` does.

/** Builds the app once when a checkout has no build yet (`npm run serve` runs build/). */
export function ensureBuilt(): void {
  if (!fs.existsSync("build/server/index.js") || !fs.existsSync("build/server.mjs")) {
    execFileSync("npm", ["run", "build"], { stdio: "ignore" });
  }
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `check` (a throw counts as false) every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > until) throw new Error("timed out");
    await sleep(everyMs);
  }
}

/**
 * The compiled server on `port`, as `npm run serve` starts it: production, no tenant import at
 * start, its media in `dataDir`, a small pool, no database unless `extraEnv` names one.
 */
export function spawnBuiltServer(port: number, dataDir: string, extraEnv: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...serveNodeFlags(), "build/server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: String(port),
      TENANTS_SYNC_ON_START: "never",
      MEDIA_DIR: path.join(dataDir, "media"),
      DATABASE_POOL_SIZE: "2",
      DATABASE_URL: "",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
