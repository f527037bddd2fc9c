// npm run bench — load-tests the storefront pages of the production build with
// autocannon, once per database mode (embedded PGlite; PostgreSQL server when one
// answers), next to a bare node:http hello-world measured the same way: the platform home,
// the marketplace search (/search?q=桃), a shop's home, a product page, and the product page
// revalidated by a browser that has it (If-None-Match → 304). Each page's SQL statements are
// read from its Server-Timing header; with the server, 500 more products are then added to
// the shop and the search and shop home measured again (the statements must not change).
// Options: --duration <s> per page (10), --connections <n> (50), --warmup <s> per
// page (2), --shop <slug> (yangshan-peach), --encoding <Accept-Encoding> ("gzip, deflate, br"
// as browsers send; "identity" for none), --json <file> to write the results.
// Photo uploads and checkouts are measured too (see benchUploads, scripts/bench-checkout.ts):
// The partner feed at 100,000 shipments (scripts/bench-logistics.ts) too:
// The county reports at 1,000,000 order lines (scripts/bench-reports.ts) too:
// --only pages|uploads|checkout|logistics|reports runs one part, --workers <n> sets the app's
// serving processes (WEB_CONCURRENCY; default one per core on the server, always one embedded),
// --databases embedded,server picks the modes the pages part measures (both),
// --uploads <n> sets how many uploads run in a row (100), --lines <n> the reports' order lines
// (1,000,000), --export-limit <s> / --view-limit <s> stop an export download / a dashboard view's
// requests after that long (240 / 90), --fill-limit <s> stops the fill (600), --profile writes CPU profiles of the app during the reports part.
// The pages part ends with every core against one process (a fresh start each), loaded by wrk when it
// is installed (`apt-get install wrk`: a few µs of CPU per request, where autocannon's ~0.2 ms on the
// same two cores would cap the ratio), else by autocannon.
// See docs/perf.md. Timings are printed for people: no test asserts them.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import sharp from "sharp";
import { benchCheckouts, formatCheckoutResult } from "./bench-checkout";
import { benchLogistics, formatLogisticsResult } from "./bench-logistics";
import { benchReports, formatReportsResult } from "./bench-reports";
import { load, loadWithWrk, type LoadResult, sequentialLatencyMs, stopLoad, wrkVersion } from "./lib/bench-load";
import {
  backendCpuDelta,
  type Child,
  childrenCpuSeconds,
  treeCpuSeconds,
  freePort,
  killAllNow,
  postgresBackendCpu,
  readMemory,
  resetPeakRss,
  startChild,
  stopAll,
  stopChild,
  waitForOk,
  workerPid,
} from "./lib/bench-proc";
import { type Column, fixed, formatMachine, formatTable, machineFacts } from "./lib/bench-report";
import type { UploadBenchResult } from "./lib/bench-uploads";
import { serveNodeFlags } from "./lib/serve-flags";

const root = fileURLToPath(new URL("..", import.meta.url));

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    warmup: { type: "string", default: "2" },
    shop: { type: "string", default: "yangshan-peach" },
    encoding: { type: "string", default: "gzip, deflate, br" },
    json: { type: "string" },
    only: { type: "string" },
    workers: { type: "string" },
    databases: { type: "string", default: "embedded,server" },
    uploads: { type: "string", default: "100" },
    lines: { type: "string", default: "1000000" },
    profile: { type: "boolean", default: false },
    "export-limit": { type: "string", default: "240" },
    "view-limit": { type: "string", default: "90" },
    "fill-limit": { type: "string", default: "600" },
  },
});

if (args.only !== undefined && !["pages", "uploads", "checkout", "logistics", "reports"].includes(args.only)) {
  console.error(
    `--only must be "pages", "uploads", "checkout", "logistics" or "reports" (got ${JSON.stringify(args.only)})`,
  );
  process.exit(2);
}

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    console.error(`--${name} must be a positive ${integer ? "integer" : "number"} (got ${JSON.stringify(text)})`);
    process.exit(2);
  }
  return value;
}

const settings = {
  durationS: positive("duration", args.duration, false),
  connections: positive("connections", args.connections, true),
  warmupS: positive("warmup", args.warmup, false),
  uploadCount: positive("uploads", args.uploads, true),
  reportLines: positive("lines", args.lines, true),
  exportLimitS: positive("export-limit", args["export-limit"], false),
  viewLimitS: positive("view-limit", args["view-limit"], false),
  fillLimitS: positive("fill-limit", args["fill-limit"], false),
  shop: args.shop,
  workers: args.workers === undefined ? undefined : positive("workers", args.workers, true),
  databases: new Set(args.databases.split(",").map((d) => d.trim())),
  // What a browser sends: the app compresses HTML (br is picked for this header) and
  // streams it to non-bots, so both costs are part of what is measured.
  headers: {
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-encoding": args.encoding,
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  },
};

// BENCH_STARTUP_TIMEOUT_S: a loaded machine can take longer to import the demo cooperatives.
const STARTUP_TIMEOUT_MS = Number(process.env.BENCH_STARTUP_TIMEOUT_S || 120) * 1000;

// A bare server for the ceiling of this machine + autocannon; run as a child like the app.
const HELLO_WORLD = `
const http = require("node:http");
http
  .createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("Hello, world!\\n");
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
`;

type Mode = "node:http" | "embedded" | "server";

interface BenchPage {
  name: string;
  path: string;
  /** Request headers besides the browser's (If-None-Match for a revalidation). */
  headers?: Record<string, string>;
  /** The status every response should have (200 unless said). */
  status?: number;
}

interface PageResult extends LoadResult {
  page: string;
  mode: Mode;
  path: string;
  expectedStatus: number;
  /** Responses whose status was not the expected one. */
  badStatus: number;
  /** SQL statements the page ran (its Server-Timing header), null when it sends none. */
  sqlStatements: number | null;
  /** Requests per second as a fraction of the hello-world's. */
  ofHelloWorld: number | null;
  /** The first response's status and Content-Encoding, fetched before the load. */
  probeStatus: number;
  contentEncoding: string | null;
  wireBytesPerResponse: number;
  /** Median of a few requests sent one at a time after the run: latency without queueing. */
  singleMs: number;
  /** CPU used by the server process during the measured run, 100 = one core busy. */
  serverCpuPercent: number | null;
  /** CPU used by its PostgreSQL backends (server mode), 100 = one core busy. */
  databaseCpuPercent: number | null;
  /** CPU used by this process (autocannon, the load's client) during the run, 100 = one core busy. */
  clientCpuPercent: number;
  /**
   * CPU milliseconds per completed request, server process and PostgreSQL backends:
   * unlike req/s, these barely move when other work on the machine takes CPU time.
   */
  serverCpuMsPerRequest: number | null;
  databaseCpuMsPerRequest: number | null;
  /** Peak RSS of the server process during this page's warm-up and run. */
  peakRssMb: number | null;
}

interface ModeReport {
  mode: Mode;
  skipped?: string;
  database?: string;
  readyS?: number;
  /** Peak RSS from start through the tenant import, before any load. */
  startupPeakRssMb?: number | null;
}

// ---- clean-up: children, temp folders and databases, also on error and Ctrl-C ----

const tempDirs = new Set<string>();
const dropDatabases = new Map<string, () => Promise<void>>();

function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopLoad();
    await stopAll();
    for (const [name, drop] of dropDatabases) {
      await drop().catch((error: unknown) => console.error(`could not drop database ${name}: ${String(error)}`));
    }
    for (const dir of tempDirs) removeTempDir(dir);
  })();
  return cleaning;
}

/** Last resort when the process exits before cleanup finished: nothing async runs here. */
function cleanupNow() {
  killAllNow();
  for (const dir of tempDirs) removeTempDir(dir);
}

let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (firstSignalAt) {
      // Ctrl-C reaches us twice (from the terminal and relayed by tsx's wrapper): only
      // a later, deliberate second signal skips the orderly clean-up.
      if (Date.now() - firstSignalAt < 2_000) return;
      cleanupNow();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    console.error(`\n${signal}: stopping the servers and removing temp data…`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.on("exit", cleanupNow);

// ---- measuring ----

function mb(kb: number | undefined): number | null {
  return kb === undefined || !Number.isFinite(kb) ? null : Math.round(kb / 1024);
}

/** The statement count in `Server-Timing: sql;dur=…;desc="N statements"`. */
function sqlStatementsOf(response: Response): number | null {
  const match = /\bsql;[^,]*desc="(\d+) statements"/.exec(response.headers.get("server-timing") ?? "");
  return match ? Number(match[1]) : null;
}

async function measurePage(
  base: string,
  page: BenchPage,
  mode: Mode,
  pid: number,
  database: string | null,
  client: "autocannon" | "wrk" = "autocannon",
): Promise<PageResult> {
  const url = base + page.path;
  const headers = { ...settings.headers, ...page.headers };
  const expectedStatus = page.status ?? 200;
  const probe = await fetch(url, { headers });
  await probe.arrayBuffer();
  process.stdout.write(`  ${mode.padEnd(9)} ${page.name.padEnd(22)} ${page.path} … `);
  const run = (durationS: number) =>
    client === "wrk"
      ? loadWithWrk(url, { connections: settings.connections, durationS, headers, okStatus: expectedStatus })
      : load(url, { connections: settings.connections, durationS, headers });
  // The client's CPU: this process's own (autocannon), or its finished children's (wrk).
  const clientCpuS = () =>
    client === "wrk" ? childrenCpuSeconds() : (process.cpuUsage().user + process.cpuUsage().system) / 1e6;

  resetPeakRss(pid);
  await run(settings.warmupS);

  const cpuBefore = treeCpuSeconds(pid);
  const dbBefore = database ? postgresBackendCpu(database) : null;
  const clientBefore = clientCpuS();
  const started = performance.now();
  const result = await run(settings.durationS);
  const wallS = (performance.now() - started) / 1000;
  const clientS = clientCpuS() - clientBefore;
  const cpuAfter = treeCpuSeconds(pid);
  const dbAfter = database ? postgresBackendCpu(database) : null;
  const memory = readMemory(pid);
  // A probe that cannot get an answer loses its own figure, not the whole run's.
  const singleMs = await sequentialLatencyMs(url, headers).catch((error: unknown) => {
    console.log(
      `\n  warning: the one-at-a-time probe failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return NaN;
  });
  const serverCpuS = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  const databaseCpuS = dbBefore && dbAfter ? backendCpuDelta(dbBefore, dbAfter) : null;
  const perRequestMs = (seconds: number | null) =>
    seconds === null || !result.requests ? null : (seconds * 1000) / result.requests;

  console.log(`${Math.round(result.rps)} req/s`);
  return {
    page: page.name,
    mode,
    path: page.path,
    ...result,
    expectedStatus,
    badStatus: result.requests - (result.statusCodes[String(expectedStatus)] ?? 0),
    sqlStatements: sqlStatementsOf(probe),
    ofHelloWorld: null,
    probeStatus: probe.status,
    contentEncoding: probe.headers.get("content-encoding"),
    wireBytesPerResponse: result.requests
      ? Math.round((result.bytesPerSecond * result.durationS) / result.requests)
      : 0,
    singleMs,
    serverCpuPercent: serverCpuS === null ? null : (serverCpuS / wallS) * 100,
    databaseCpuPercent: databaseCpuS === null ? null : (databaseCpuS / wallS) * 100,
    clientCpuPercent: (clientS / wallS) * 100,
    serverCpuMsPerRequest: perRequestMs(serverCpuS),
    databaseCpuMsPerRequest: perRequestMs(databaseCpuS),
    peakRssMb: mb(memory?.peakKb),
  };
}

async function benchHelloWorld(): Promise<PageResult[]> {
  const dir = makeTempDir();
  const port = await freePort();
  const child = startChild({
    name: "hello-world",
    command: process.execPath,
    args: ["-e", HELLO_WORLD],
    env: { ...process.env, PORT: String(port) },
    cwd: root,
    logFile: path.join(dir, "hello.log"),
  });
  try {
    await waitForOk(`http://127.0.0.1:${port}/`, child, 10_000);
    return [
      await measurePage(`http://127.0.0.1:${port}`, { name: "hello world", path: "/" }, "node:http", child.pid, null),
    ];
  } finally {
    await stopChild(child);
    removeTempDir(dir);
  }
}

/** The first product linked from the shop's home page (demo data changes, so look it up). */
async function firstProductPath(base: string, shop: string): Promise<string> {
  const response = await fetch(`${base}/s/${shop}`);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET /s/${shop} answered ${response.status}`);
  const escaped = shop.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`href="(/s/${escaped}/p/[^"?#]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no product link on /s/${shop}`);
  return match[1];
}

interface RunningApp {
  child: Child;
  base: string;
  /** The serving process (the primary's only worker when it forks one) whose CPU is read. */
  pid: number;
  readyMs: number;
  startupPeakKb: number | undefined;
}

/** Starts server.ts on a free port with `workers` serving processes (settings' by default). */
async function startApp(
  mode: "embedded" | "server",
  databaseUrl: string | null,
  dir: string,
  workers = settings.workers,
): Promise<RunningApp> {
  const port = await freePort();
  const child = startChild({
    name: `server.ts (${mode}${workers === undefined ? "" : `, ${workers} worker${workers === 1 ? "" : "s"}`})`,
    command: path.join(root, "node_modules/.bin/tsx"),
    args: ["server.ts"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      PGLITE_DIR: path.join(dir, "pglite"),
      MEDIA_DIR: path.join(dir, "media"),
      // Empty means unset to the app, so a DATABASE_URL in our environment can't leak in.
      DATABASE_URL: databaseUrl ?? "",
      TENANTS_SYNC_ON_START: "empty",
      // The heap settings of `npm run serve` (decision 036); tsx passes NODE_OPTIONS to the server's node.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, ...serveNodeFlags(root)].filter(Boolean).join(" "),
      ...(workers === undefined ? {} : { WEB_CONCURRENCY: String(workers) }),
    },
    cwd: root,
    logFile: path.join(dir, `server-${port}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  console.log(`\n${mode}: starting server.ts on port ${port} (migrate + import demo cooperatives)…`);
  try {
    const readyMs = await waitForOk(`${base}/healthz`, child, STARTUP_TIMEOUT_MS);
    const pid = workerPid(child.pid);
    return { child, base, pid, readyMs, startupPeakKb: readMemory(pid)?.peakKb };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function benchApp(
  mode: "embedded" | "server",
  databaseUrl: string | null,
  database: string | null,
): Promise<{ report: ModeReport; results: PageResult[]; cores?: CoresResult[] }> {
  const dir = makeTempDir();
  let child: Child | undefined;
  try {
    const app = await startApp(mode, databaseUrl, dir);
    child = app.child;
    const { base, pid, readyMs } = app;
    console.log(
      `${mode}: ready in ${(readyMs / 1000).toFixed(1)} s, start-up peak RSS ${fixed(mb(app.startupPeakKb))} MB`,
    );

    const product = await firstProductPath(base, settings.shop);
    // What a browser that already has the page sends when its copy is older than max-age.
    const etag = (await fetch(base + product, { headers: settings.headers })).headers.get("etag");
    const pages: BenchPage[] = [
      { name: "platform home", path: "/" },
      { name: "search 桃", path: SEARCH_PATH },
      { name: "shop home", path: `/s/${settings.shop}` },
      { name: "product", path: product },
      ...(etag
        ? [{ name: "product, revalidated", path: product, headers: { "if-none-match": etag }, status: 304 }]
        : []),
      // A visitor with a cart: these are rendered for each request, never shared (decision 012).
      { name: "platform home, private", path: "/", headers: { cookie: VISITOR_COOKIE } },
      { name: "shop home, private", path: `/s/${settings.shop}`, headers: { cookie: VISITOR_COOKIE } },
      { name: "product, private", path: product, headers: { cookie: VISITOR_COOKIE } },
    ];
    const results: PageResult[] = [];
    for (const page of pages) results.push(await measurePage(base, page, mode, pid, database));

    // More products listed must not mean more SQL statements per page, nor (for the pages rendered
    // per request: search, and the private shop home) more work per page.
    const grown: PageResult[] = [];
    if (databaseUrl) {
      await addProducts(databaseUrl, settings.shop, EXTRA_PRODUCTS);
      console.log(`${mode}: added ${EXTRA_PRODUCTS} products to ${settings.shop}`);
      const names = new Set(["platform home", "search 桃", "shop home", "shop home, private"]);
      for (const page of pages.filter((p) => names.has(p.name))) {
        const result = await measurePage(base, page, mode, pid, database);
        grown.push({ ...result, page: `${page.name} +${EXTRA_PRODUCTS}` });
      }
    }
    if (child.hasExited()) throw new Error(`${child.name} exited during the run`);
    await stopChild(child);
    child = undefined;
    // Every core against one process, on pages the app works on for each request: the product
    // page (1.3 ms of app CPU, so the client's share is large) and two whose server cost dominates.
    const cores =
      mode === "server" && databaseUrl
        ? await benchCores(databaseUrl, database, dir, [
            { name: "product, private", path: product, headers: { cookie: VISITOR_COOKIE } },
            { name: "platform home, private", path: "/", headers: { cookie: VISITOR_COOKIE } },
            { name: "search 桃, private", path: SEARCH_PATH, headers: { cookie: VISITOR_COOKIE } },
          ])
        : undefined;
    return {
      report: { mode, readyS: readyMs / 1000, startupPeakRssMb: mb(app.startupPeakKb) },
      results: [...results, ...grown],
      cores,
    };
  } finally {
    if (child) await stopChild(child);
    removeTempDir(dir);
  }
}

interface CoresResult {
  page: string;
  cores: number;
  runs: { workers: number; result: PageResult }[];
  /** pages/s with every core ÷ pages/s with one serving process. */
  ratio: number;
}

/**
 * The same pages against the same database, served by one process and then by one per core
 * (WEB_CONCURRENCY), each a fresh start: pages/s of both and their ratio, per page. The pages
 * should be ones the app works on for each request (private pages), so that the app, not
 * autocannon (this process, on the same cores), is the limit: the cheaper the page, the larger
 * the client's share of the machine (its CPU is printed beside the app's).
 */
async function benchCores(
  databaseUrl: string,
  database: string | null,
  dir: string,
  pages: BenchPage[],
): Promise<CoresResult[]> {
  const cores = os.availableParallelism();
  console.log(`\nEvery core against one process: load from ${coresClient.label}`);
  const runs = new Map<string, CoresResult["runs"]>(pages.map((page) => [page.name, []]));
  for (const workers of [1, cores]) {
    const app = await startApp("server", databaseUrl, dir, workers);
    try {
      // A fresh process's first renders are slow (nothing compiled or cached yet): a few
      // connections first, for a number of requests per worker rather than a time (a loaded
      // machine gives two cold workers fewer requests each in 5 s than one), so each worker is
      // warm before the 50 connections. Then every page at full load for a while before any is
      // measured: V8 was still compiling the first page's code after its 50 requests, and that
      // page alone paid for it (1,355–1,445 pages/s with 2 processes, 1,524–1,799 once warm).
      for (const page of pages) {
        const headers = { ...settings.headers, ...page.headers };
        await load(app.base + page.path, {
          connections: 2 * workers,
          durationS: 30,
          amount: WARM_REQUESTS_PER_WORKER * workers,
          headers,
        });
      }
      for (const page of pages) {
        const headers = { ...settings.headers, ...page.headers };
        await load(app.base + page.path, { connections: settings.connections, durationS: CORES_WARM_S, headers });
      }
      for (const page of pages) {
        // The primary's whole tree (every worker) is measured here, not one worker.
        const result = await measurePage(app.base, page, "server", app.child.pid, database, coresClient.name);
        runs.get(page.name)!.push({
          workers,
          result: { ...result, page: `${page.name}, ${workers} process${workers === 1 ? "" : "es"}` },
        });
        if (app.child.hasExited()) throw new Error(`${app.child.name} exited during the run`);
      }
    } finally {
      await stopChild(app.child);
    }
  }
  return pages.map((page) => {
    const pageRuns = runs.get(page.name)!;
    const one = pageRuns[0]!.result.rps;
    const all = pageRuns[pageRuns.length - 1]!.result.rps;
    return { page: page.name, cores, runs: pageRuns, ratio: one ? all / one : NaN };
  });
}

/**
 * The cores part's load generator: wrk when installed (a few µs of CPU per request), else autocannon
 * (~0.2 ms, on the same cores as the app, which then caps a cheap page's ratio; docs/perf.md, stop 26).
 */
const coresClient = ((version) =>
  version
    ? { name: "wrk" as const, label: `${version} (one thread)` }
    : { name: "autocannon" as const, label: "autocannon (wrk is not installed: apt-get install wrk)" })(wrkVersion());

/** Requests each serving process gets before a page of the cores part is measured. */
const WARM_REQUESTS_PER_WORKER = 50;
/** Seconds of full load on every page of the cores part before the first is measured. */
const CORES_WARM_S = 5;

/** A guest cart cookie (Remix's encoding of a JSON string): the page is private, its cart empty. */
const VISITOR_COOKIE = `cart=${encodeURIComponent(btoa(JSON.stringify("bench-visitor")))}`;
const SEARCH_PATH = `/search?q=${encodeURIComponent("桃")}`;
const EXTRA_PRODUCTS = 500;

/** Adds live products (one variant each, "桃" in the title) to the shop, straight in SQL. */
async function addProducts(databaseUrl: string, shop: string, count: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "Product" (id, "shopId", slug, kind, status, "titleZh", "titleEn", "summaryZh", "harvestMonths", position, "updatedAt")
       SELECT 'bench-product-' || n, s.id, 'bench-peach-' || n, 'PRODUCE', 'ACTIVE', '加量水蜜桃 ' || n, 'Extra peach ' || n, '桃',
              ARRAY[7, 8], 1000 + n, now()
         FROM "Shop" s, generate_series(1, $2::int) AS n WHERE s.slug = $1`,
      [shop, count],
    );
    await client.query(
      `INSERT INTO "Variant" (id, "shopId", "productId", sku, "titleZh", unit, "priceFen", stock, "updatedAt")
       SELECT 'bench-variant-' || n, s.id, 'bench-product-' || n, 'BENCH-' || n, '一盒', '盒', 1000 + n, 10, now()
         FROM "Shop" s, generate_series(1, $2::int) AS n WHERE s.slug = $1`,
      [shop, count],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * A fresh database on the PostgreSQL server named by BENCH_DATABASE_URL or DATABASE_URL,
 * else the local one on 127.0.0.1:5432; a reason string when there is none to use.
 */
async function createServerDatabase(): Promise<{ url: string; name: string; version: string } | string> {
  const given = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  const adminUrl = given || "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    const version =
      (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "?";
    await admin.query(`CREATE DATABASE "${name}"`);
    dropDatabases.set(name, async () => {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
      await client.connect();
      try {
        // FORCE: a server killed mid-run may leave its pool's sessions behind.
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
      dropDatabases.delete(name);
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), name, version };
  } catch (error) {
    const where = given ? "the server in BENCH_DATABASE_URL/DATABASE_URL" : "postgresql://127.0.0.1:5432";
    // A refused connection is an AggregateError with an empty message: name its code.
    const { message, code } = error as Error & { code?: string };
    return `no PostgreSQL database could be created on ${where} (${message || code || String(error)})`;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function ensureBuild() {
  if (fs.existsSync(path.join(root, "build/server/index.js"))) return;
  console.log("build/server/index.js is missing: running npm run build…");
  const code = await new Promise<number | null>((resolve) => {
    const build = spawn("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    build.once("exit", resolve);
    build.once("error", () => resolve(null));
  });
  if (code !== 0) throw new Error(`npm run build failed (${code})`);
}

// ---- output ----

/** Two decimals for the hello-world's fractions of a millisecond, one otherwise. */
function msPerRequest(ms: number | null): string {
  return fixed(ms, ms !== null && ms < 1 ? 2 : 1);
}

const columns: Column<PageResult>[] = [
  { title: "page", value: (r) => r.page, align: "left" },
  { title: "mode", value: (r) => r.mode, align: "left" },
  { title: "req/s", value: (r) => fixed(r.rps) },
  { title: "p50 ms", value: (r) => fixed(r.latencyMs.p50) },
  { title: "p99 ms", value: (r) => fixed(r.latencyMs.p99) },
  { title: "1-conn ms", value: (r) => fixed(r.singleMs, 1) },
  { title: "vs hello", value: (r) => (r.ofHelloWorld === null ? "–" : `${fixed(r.ofHelloWorld * 100, 1)} %`) },
  { title: "status", value: (r) => String(r.expectedStatus) },
  { title: "other status", value: (r) => String(r.badStatus) },
  { title: "errors", value: (r) => String(r.errors + r.timeouts) },
  { title: "CPU %", value: (r) => fixed(r.serverCpuPercent) },
  { title: "CPU ms/req", value: (r) => msPerRequest(r.serverCpuMsPerRequest) },
  { title: "db ms/req", value: (r) => msPerRequest(r.databaseCpuMsPerRequest) },
  { title: "client CPU %", value: (r) => fixed(r.clientCpuPercent) },
  { title: "SQL/page", value: (r) => (r.sqlStatements === null ? "–" : String(r.sqlStatements)) },
  { title: "peak RSS MB", value: (r) => fixed(r.peakRssMb) },
  { title: "KB/resp", value: (r) => fixed(r.wireBytesPerResponse / 1024, 1) },
  { title: "enc", value: (r) => r.contentEncoding ?? "–", align: "left" },
];

async function benchPages() {
  console.log(
    `Bench: autocannon, ${settings.connections} connections, ${settings.warmupS} s warm-up + ${settings.durationS} s per page, ` +
      `Accept-Encoding: ${settings.headers["accept-encoding"]}`,
  );
  if (!fs.existsSync(path.join(root, "tenants", settings.shop))) {
    throw new Error(`tenants/${settings.shop} does not exist; pick a shop with --shop <slug>`);
  }
  await ensureBuild();

  const reports: ModeReport[] = [];
  const results: PageResult[] = [];

  console.log("\nhello-world: bare node:http server");
  results.push(...(await benchHelloWorld()));
  reports.push({ mode: "node:http" });

  if (settings.databases.has("embedded")) {
    const embedded = await benchApp("embedded", null, null);
    reports.push({ ...embedded.report, database: "PGlite (in-process)" });
    results.push(...embedded.results);
  }

  let cores: CoresResult[] | undefined;
  const server = settings.databases.has("server") ? await createServerDatabase() : "not asked for (--databases)";
  if (typeof server === "string") {
    console.log(`\nserver: skipped — ${server}`);
    reports.push({ mode: "server", skipped: server });
  } else {
    const run = await benchApp("server", server.url, server.name);
    reports.push({ ...run.report, database: `PostgreSQL ${server.version} (database ${server.name}, dropped after)` });
    results.push(...run.results);
    cores = run.cores;
  }

  const hello = results.find((r) => r.mode === "node:http");
  for (const r of results) r.ofHelloWorld = hello ? r.rps / hello.rps : null;

  console.log(`\n${formatTable(results, columns)}\n`);
  for (const report of reports) {
    if (report.readyS !== undefined) {
      console.log(
        `${report.mode}: ${report.database}; ready after ${report.readyS.toFixed(1)} s, ` +
          `start-up peak RSS ${fixed(report.startupPeakRssMb)} MB`,
      );
    }
  }
  for (const r of results.filter((r) => r.page.endsWith(` +${EXTRA_PRODUCTS}`))) {
    const before = results.find((b) => b.mode === r.mode && b.path === r.path && b !== r && !b.page.includes(" +"));
    const same = before?.sqlStatements === r.sqlStatements;
    console.log(
      `${r.mode}: ${r.path} runs ${before?.sqlStatements ?? "?"} SQL statements with the demo data and ${r.sqlStatements ?? "?"} ` +
        `with ${EXTRA_PRODUCTS} more products${same ? "" : "  ← it grew!"}`,
    );
  }
  for (const r of results) {
    if (r.probeStatus !== r.expectedStatus || r.badStatus || r.errors || r.timeouts) {
      console.log(
        `warning: ${r.mode} ${r.path}: first response ${r.probeStatus}, status counts ${JSON.stringify(r.statusCodes)}, ` +
          `${r.errors} errors, ${r.timeouts} timeouts`,
      );
    }
  }

  if (cores?.length) {
    const rows = cores.flatMap((c) => c.runs.map((r) => r.result));
    console.log(`\nEvery core against one process (same database, each a fresh start):`);
    console.log(`${formatTable(rows, columns)}\n`);
    for (const c of cores) {
      const first = c.runs[0]!.result;
      const last = c.runs[c.runs.length - 1]!.result;
      console.log(
        `server: ${c.page}: ${fixed(last.rps)} pages/s with ${c.cores} processes ÷ ${fixed(first.rps)} with 1 = ` +
          `${fixed(c.ratio, 2)}× on ${c.cores} cores (app CPU ${fixed(first.serverCpuPercent)} % vs ` +
          `${fixed(last.serverCpuPercent)} %, client ${fixed(first.clientCpuPercent)} % vs ${fixed(last.clientCpuPercent)} %, ` +
          `PostgreSQL ${fixed(first.databaseCpuPercent)} % vs ${fixed(last.databaseCpuPercent)} % of one core)`,
      );
    }
  }

  return { settings, modes: reports, results, cores };
}

// ---- photo uploads ----

/**
 * A 12-megapixel JPEG through storeUpload to its stored presets (time, peak RSS), then many
 * uploads in a row (RSS at start, peak, end: does memory come back?). The uploads run in a
 * process of their own (scripts/lib/bench-uploads.ts) on a temp PGlite database and media
 * folder, like `npm start`; the photo is made here first, so making it is not measured.
 */
async function benchUploads(): Promise<UploadBenchResult> {
  const dir = makeTempDir();
  try {
    const photoPath = path.join(dir, "photo.jpg");
    const photo = await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: "#808080",
        noise: { type: "gaussian", mean: 128, sigma: 60 },
      },
    })
      .blur(1.2)
      .modulate({ saturation: 1.5 })
      .jpeg({ quality: 88 })
      .toBuffer();
    fs.writeFileSync(photoPath, photo);
    console.log(
      `\nuploads: a 12 MP JPEG (${fixed(photo.length / 1024 / 1024, 1)} MB) once, then ${settings.uploadCount} in a row, through storeUpload…`,
    );
    const logFile = path.join(dir, "uploads.log");
    const child = startChild({
      name: "bench-uploads",
      command: path.join(root, "node_modules/.bin/tsx"),
      args: ["scripts/lib/bench-uploads.ts", "--photo", photoPath, "--count", String(settings.uploadCount)],
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        DATABASE_URL: "",
        PGLITE_DIR: path.join(dir, "pglite"),
        MEDIA_DIR: path.join(dir, "media"),
      },
      cwd: root,
      logFile,
    });
    const code = await child.exited;
    const lines = fs.readFileSync(logFile, "utf8").trim().split("\n");
    const json = lines.reverse().find((line) => line.startsWith("{"));
    if (code !== 0 || !json)
      throw new Error(`bench-uploads exited with ${code}:\n${lines.reverse().slice(-20).join("\n")}`);
    const result = JSON.parse(json) as UploadBenchResult;

    const { single, series } = result;
    console.log(
      `\n${formatTable(
        [
          {
            what: "1 upload",
            time: `${fixed(single.ms)} ms`,
            start: single.rssBeforeMb,
            peak: single.peakRssMb,
            end: single.rssAfterMb,
          },
          {
            what: `${series.count} uploads in a row`,
            time: `${fixed(series.totalS, 1)} s (${fixed(series.msPerUpload)} ms each)`,
            start: series.rssStartMb,
            peak: series.peakRssMb,
            end: series.rssEndMb,
          },
        ],
        [
          { title: "12 MP JPEG → presets", value: (r) => r.what, align: "left" },
          { title: "time", value: (r) => r.time },
          { title: "RSS start MB", value: (r) => String(r.start) },
          { title: "peak RSS MB", value: (r) => String(r.peak) },
          { title: "RSS end MB", value: (r) => String(r.end) },
        ],
      )}\n`,
    );
    console.log(
      `uploads: ${result.width}×${result.height} JPEG of ${fixed(result.jpegBytes / 1024 / 1024, 1)} MB → ` +
        `${fixed(single.storedBytes / 1024)} KB of WebP + JPEG presets; database ${result.database}, ` +
        `sharp concurrency ${result.sharpConcurrency}`,
    );
    console.log(`uploads: RSS after every 10 uploads (MB): ${series.rssEveryTenMb.join(", ")}`);
    return result;
  } finally {
    removeTempDir(dir);
  }
}

async function main() {
  const machine = machineFacts();
  console.log(formatMachine(machine));
  const output: Record<string, unknown> = { machine };
  const run = (part: string) => args.only === undefined || args.only === part;
  if (run("pages")) Object.assign(output, await benchPages());
  if (run("uploads")) output.uploads = await benchUploads();
  if (run("checkout")) {
    await ensureBuild();
    // 50 buyers at once on the PostgreSQL server, as issue #5 asks.
    const checkouts = await benchCheckouts({ connections: 50, durationS: 15 });
    if (typeof checkouts === "string") console.log(`checkouts not measured: ${checkouts}`);
    else console.log(formatCheckoutResult(checkouts));
    output.checkouts = checkouts;
  }
  if (run("logistics")) {
    await ensureBuild();
    // Issue #10: the partner feed at 100,000 shipments (and, from the push part, deliveries/s).
    const logistics = await benchLogistics();
    if (typeof logistics === "string") console.log(`logistics not measured: ${logistics}`);
    else console.log(formatLogisticsResult(logistics));
    output.logistics = logistics;
  }
  if (run("reports")) {
    await ensureBuild();
    // Issue #11: CSV and XLSX exports and the county dashboard at 1,000,000 order lines.
    const reports = await benchReports({
      lines: settings.reportLines,
      profile: args.profile,
      exportLimitS: settings.exportLimitS,
      viewLimitS: settings.viewLimitS,
      fillLimitS: settings.fillLimitS,
    });
    if (typeof reports === "string") console.log(`reports not measured: ${reports}`);
    else console.log(formatReportsResult(reports));
    output.reports = reports;
  }
  if (args.json) {
    const file = path.resolve(args.json);
    fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`results written to ${file}`);
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
