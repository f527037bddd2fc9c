import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portOpen } from "../../scripts/lib/cluster";
import { expectUsageExit } from "../support/cli-usage";
import { ensureBuilt, waitUntil } from "../support/built-server";

// `npm run cluster -- --nodes 2` as an operator runs it: its own PostgreSQL primary (initdb) and a
// streaming replica (pg_basebackup), the background worker, two app nodes and nginx in front; then
// Ctrl-C (SIGINT to its process group, as a terminal sends it) stops everything it started.
// Needs Debian's PostgreSQL binaries and nginx (.ci/run installs nginx); skipped without them.

const PG_BIN = "/usr/lib/postgresql/15/bin";
const NGINX = "/usr/sbin/nginx";
const missing = [path.join(PG_BIN, "initdb"), path.join(PG_BIN, "pg_basebackup"), NGINX].filter(
  (file) => !fs.existsSync(file),
);
if (missing.length > 0)
  console.log(`cluster.test.ts skipped: ${missing.join(", ")} not installed (apt-get install postgresql nginx).`);

const NGINX_PORT = 8441;
const NODE_PORTS = [3441, 3442];
const PG_PORT = 5441;
const REPLICA_PORT = 5442;
const ALL_PORTS = [NGINX_PORT, ...NODE_PORTS, PG_PORT, REPLICA_PORT];

const parent = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-test-"));
fs.chmodSync(parent, 0o755);
const dir = path.join(parent, "cluster");
// One demo cooperative instead of eight: importing them is most of a fresh cluster's start.
const tenants = path.join(parent, "tenants");
fs.cpSync("tenants/yangshan-peach", path.join(tenants, "yangshan-peach"), { recursive: true });

let proc: ChildProcess | undefined;
let output = "";
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
/** The processes the cluster runs, once it is up (for the Ctrl-C check and a failed run's cleanup). */
let tree: number[] = [];

/** GET through nginx on a connection of its own. */
function get(pathname: string): Promise<{ status: number; node: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port: NGINX_PORT, path: pathname, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, node: response.headers["x-node"] as string | undefined, body }),
      );
    });
    request.on("error", reject);
  });
}

/** Every process descended from `root` (PostgreSQL, nginx and the app nodes run in groups of their own). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ")".
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (const pid of parentOf.keys()) {
    for (let up = parentOf.get(pid); up !== undefined && up > 1; up = parentOf.get(up)) {
      if (up === root) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run cluster's flags", () => {
  it("prints the usage and exits 2 on a bad flag, starting nothing", async () => {
    await expectUsageExit("scripts/cluster.ts", [["--nodes", "0"], ["--colour"]], "Usage: npm run cluster");
  }, 60_000);
});

describe.skipIf(missing.length > 0)("npm run cluster", () => {
  beforeAll(async () => {
    // The build is made once for every test that spawns the server; not part of the cluster's time.
    ensureBuilt();
    for (const port of ALL_PORTS) expect(await portOpen(port), `port ${port} is already in use`).toBe(false);
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "info", TENANTS_DIR: tenants };
    delete env.DATABASE_URL;
    proc = spawn(
      "npm",
      [
        "run",
        "cluster",
        "--",
        "--nodes",
        "2",
        "--port",
        String(NGINX_PORT),
        "--node-port",
        String(NODE_PORTS[0]),
        "--pg-port",
        String(PG_PORT),
        "--dir",
        dir,
        "--lang",
        "en",
      ],
      { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    exited = new Promise((resolve) => proc!.once("exit", (code, signal) => resolve({ code, signal })));
    await waitUntil(
      () => {
        if (proc!.exitCode !== null) throw new Error(`npm run cluster exited ${proc!.exitCode}:\n${output}`);
        return output.includes(`is serving on http://localhost:${NGINX_PORT}`);
      },
      150_000,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    tree = descendants(proc.pid!);
  }, 180_000);

  afterAll(async () => {
    // A failed test leaves nothing running: the same Ctrl-C, then SIGKILL to the group.
    const leftovers = [...tree, ...(proc?.pid ? descendants(proc.pid) : [])];
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) {
      process.kill(-proc.pid, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    for (const pid of leftovers) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone, as it should be
      }
    }
    fs.rmSync(parent, { recursive: true, force: true });
  }, 60_000);

  it("serves / and /readyz through nginx from both app nodes", async () => {
    expect(output).toContain(`http://localhost:${NGINX_PORT}`);
    const nodes = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const home = await get("/");
      expect(home.status).toBe(200);
      expect(home.body).toContain("一村一品一店");
      if (home.node) nodes.add(home.node);
      const ready = await get("/readyz");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ status: "ready", database: true });
      if (ready.node) nodes.add(ready.node);
    }
    expect([...nodes].sort()).toEqual(["app1", "app2"]);
    // The demo shops (here the one in TENANTS_DIR) were imported into the empty database.
    const shop = await get("/s/yangshan-peach");
    expect(shop.status).toBe(200);
  });

  it("streams from the primary to the replica, which has the primary's data", async () => {
    const primary = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${PG_PORT}/yicun` });
    const replica = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${REPLICA_PORT}/yicun` });
    await primary.connect();
    await replica.connect();
    try {
      const streaming = await primary.query<{ state: string }>("SELECT state FROM pg_stat_replication");
      expect(streaming.rows.map((row) => row.state)).toContain("streaming");
      expect((await replica.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).rows[0]!.r).toBe(true);
      const shops = (await primary.query<{ n: number }>('SELECT count(*)::int AS n FROM "Shop"')).rows[0]!.n;
      expect(shops).toBeGreaterThan(0);
      await waitUntil(
        async () => (await replica.query<{ n: number }>('SELECT count(*)::int AS n FROM "Shop"')).rows[0]!.n === shops,
        10_000,
      );
    } finally {
      await primary.end();
      await replica.end();
    }
  });

  it("runs the background worker as a process of its own, not in the app nodes", () => {
    const worker = fs.readFileSync(path.join(dir, "logs", "worker.log"), "utf8");
    expect(worker).toContain("job worker started");
  });

  it("stops everything it started on Ctrl-C, frees the ports and keeps the data", async () => {
    // npm, tsx, the cluster, PostgreSQL ×2 and its backends, the worker, two nodes, nginx and its worker.
    const started = tree;
    expect(started.length).toBeGreaterThanOrEqual(10);
    process.kill(-proc!.pid!, "SIGINT");
    // npm ends on the terminal's SIGINT itself, after the cluster (its child) has stopped everything.
    const { code, signal } = await exited;
    expect(code === 0 || signal === "SIGINT").toBe(true);
    expect(output).toContain("Stopped.");
    await waitUntil(() => started.every((pid) => !alive(pid)), 5_000).catch(() => undefined);
    expect(started.filter(alive)).toEqual([]);
    for (const port of ALL_PORTS) expect(await portOpen(port), `port ${port} still open`).toBe(false);
    expect(fs.existsSync(path.join(dir, "pg", "primary", "PG_VERSION"))).toBe(true);
  }, 40_000);
});
