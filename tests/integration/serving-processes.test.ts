import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { ensureBuilt, freePort, spawnBuiltServer, waitUntil } from "../support/built-server";
import { serverUrl, withDatabase } from "../support/database";

// The production server (server.ts compiled to build/server.mjs) as `npm run serve` starts it: one
// serving process per WEB_CONCURRENCY on a PostgreSQL server, replaced when one dies, all
// ending on SIGTERM; and one process on the embedded database whatever WEB_CONCURRENCY says
// (docs/decisions/020-processes-per-core.md). Which process answered is read from the
// request log line (its pid), so nothing about the processes is exposed to clients.

const onServer = Boolean(serverUrl());
if (!onServer)
  console.log(
    "serving-processes.test.ts: the PostgreSQL part needs TEST_DATABASE_URL; running the embedded part only.",
  );

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "serving-processes-"));

beforeAll(() => {
  // `npm run serve` runs the compiled server on build/; build it once when a checkout has none yet.
  ensureBuilt();
}, 240_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface LogLine {
  pid?: number;
  msg?: string;
  requestId?: string;
  processes?: number;
}

interface RunningServer {
  proc: ChildProcess;
  port: number;
  lines: LogLine[];
  exited: Promise<number | null>;
}

async function startServer(extraEnv: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const proc = spawnBuiltServer(port, dataDir, extraEnv);
  const lines: LogLine[] = [];
  let pending = "";
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    for (const line of parts) if (line.startsWith("{")) lines.push(JSON.parse(line) as LogLine);
  });
  proc.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const server = { proc, port, lines, exited };
  await waitUntil(async () => (await get(server, "/healthz")).status === 200, 120_000, 100);
  return server;
}

let requests = 0;

/** GET on a connection of its own (no keep-alive), and the pid of the process that answered. */
async function get(server: RunningServer, urlPath: string): Promise<{ status: number; pid: number | undefined }> {
  const requestId = `serving-processes-${process.pid}-${++requests}`;
  const status = await new Promise<number>((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port: server.port, path: urlPath, agent: false, headers: { "x-request-id": requestId } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
  });
  let line: LogLine | undefined;
  await waitUntil(
    () => Boolean((line = server.lines.find((l) => l.requestId === requestId && l.msg === "request"))),
    5_000,
    100,
  );
  return { status, pid: line!.pid };
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(onServer)("npm run serve on a PostgreSQL server", () => {
  let databaseUrl: string;

  beforeAll(async () => {
    const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    databaseUrl = withDatabase(serverUrl()!, row!.db);
  });

  it("serves from WEB_CONCURRENCY processes, replaces one that dies, and ends them all on SIGTERM", async () => {
    const server = await startServer({ DATABASE_URL: databaseUrl, WEB_CONCURRENCY: "2" });
    try {
      await waitUntil(() => server.lines.some((l) => l.msg === "every serving process is listening"), 60_000, 100);
      expect(server.lines.find((l) => l.msg === "serving processes")?.processes).toBe(2);

      const first = await Promise.all(Array.from({ length: 16 }, () => get(server, "/healthz")));
      expect(first.every((r) => r.status === 200)).toBe(true);
      const workers = new Set(first.map((r) => r.pid!));
      expect(workers.size).toBe(2);
      expect(workers.has(server.proc.pid!)).toBe(false); // the primary only supervises

      const [killed, survivor] = [...workers] as [number, number];
      process.kill(killed, "SIGKILL");
      await waitUntil(
        () => server.lines.some((l) => l.msg === "serving process exited: starting another"),
        10_000,
        100,
      );
      // Requests keep succeeding while the replacement starts, and then it answers too.
      const seen = new Set<number>();
      const statuses: number[] = [];
      const until = Date.now() + 60_000;
      while (![...seen].some((p) => p !== survivor && p !== killed) && Date.now() < until) {
        const { status, pid } = await get(server, "/healthz");
        statuses.push(status);
        seen.add(pid!);
      }
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(seen.size).toBe(2);
      expect(seen.has(killed)).toBe(false);
      const replacement = [...seen].find((p) => p !== survivor)!;

      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(isAlive(survivor)).toBe(false);
      expect(isAlive(replacement)).toBe(false);
    } finally {
      if (server.proc.exitCode === null) server.proc.kill("SIGKILL");
    }
  });
});

describe("npm run serve on the embedded database", () => {
  it("serves from its one process whatever WEB_CONCURRENCY says, and ends on SIGTERM", async () => {
    const server = await startServer({ WEB_CONCURRENCY: "2", PGLITE_DIR: path.join(dataDir, "pglite") });
    try {
      expect(server.lines.find((l) => l.msg === "serving processes")?.processes).toBe(1);
      const answers = await Promise.all(Array.from({ length: 8 }, () => get(server, "/healthz")));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(new Set(answers.map((a) => a.pid))).toEqual(new Set([server.proc.pid]));

      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      if (server.proc.exitCode === null) server.proc.kill("SIGKILL");
    }
  }, 180_000);
});
