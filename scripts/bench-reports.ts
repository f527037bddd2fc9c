// The county reports bench (issue #11), `npm run bench -- --only reports [--lines N]`: the
// production build on a fresh PostgreSQL database (bench_reports_<ts>, dropped afterwards) with the
// demo cooperatives, N order lines (1,000,000 by default) in the shops of one county over the last
// 365 days, then, signed in as that county's coordinator:
// - GET /county/<code>/reports/orders.csv and .xlsx for the 366 days that hold every line: rows/s
//   (rows as the export's security event counts them) and the app's peak RSS, sampled from
//   /proc/<pid>/status every 50 ms and read as VmHWM after a reset. The app runs with
//   EXPORT_BACKGROUND_ROWS set very high, so the direct stream is measured; then, with the
//   threshold at its default, an export answered by a 303 to a progress page is followed and polled
//   until its file is ready (rows/s and peak RSS of the app, which runs the job).
// - the dashboard /county/<code>?range=30d, ?range=month and a 365-day ?from&to: N requests at a
//   concurrency → p50/p95/p99 ms and the SQL statements per view (Server-Timing).
// Timings are printed for people: no test asserts them. See docs/perf.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { csrfCookie, sessionCookie } from "~/modules/identity/cookies.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { addDays, shanghaiToday } from "~/lib/time";
import { createServerDatabase, existingServerDatabase } from "./lib/bench-db";
import {
  backendCpuDelta,
  type Child,
  treeCpuSeconds,
  freePort,
  logTail,
  postgresBackendCpu,
  readMemory,
  resetPeakRss,
  startChild,
  stopChild,
  waitForOk,
  workerPid,
} from "./lib/bench-proc";
import { fixed, formatTable } from "./lib/bench-report";
import { serveNodeFlags } from "./lib/serve-flags";
import { insertBulkOrders, type BulkClient } from "~/modules/demo/bulk-orders.cross-shop.server";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface ExportBenchRow {
  format: "csv" | "xlsx";
  /** "direct" streams in the request; "background" went through a 303 to a progress page. */
  mode: "direct" | "background";
  path: string;
  status: number;
  rows: number | null;
  bytes: number;
  seconds: number;
  rowsPerSecond: number | null;
  /** Highest VmRSS of the app seen in the 50 ms samples, and VmHWM after a reset before the export. */
  peakRssSampledMb: number | null;
  peakRssHwmMb: number | null;
  rssBeforeMb: number | null;
  serverCpuS: number | null;
  databaseCpuS: number | null;
  /** The download was stopped at the time limit: rows are those received by then (CSV only). */
  stoppedAtLimit: boolean;
  note?: string;
}

export interface DashboardBenchRow {
  view: string;
  path: string;
  requests: number;
  concurrency: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  sqlStatements: number | null;
  sqlMs: number | null;
}

export interface ReportsBenchResult {
  database: string;
  county: string;
  lines: number;
  linesInCounty: number | null;
  fillS: number;
  fillPath: string;
  exports: ExportBenchRow[];
  dashboard: DashboardBenchRow[];
  peakRssStartupMb: number | null;
}

const MB = (kb: number | null | undefined) => (kb === null || kb === undefined ? null : Math.round(kb / 1024));

interface App {
  child: Child;
  /** The app's one process (WEB_CONCURRENCY=1): it serves, and runs the background jobs. */
  pid: number;
  origin: string;
}

async function startApp(databaseUrl: string, env: Record<string, string>, logFile: string, cpuProf: string | null) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = startChild({
    name: "app",
    // As `npm run serve` runs it: the compiled server with its flags. Node 20 refuses --cpu-prof in NODE_OPTIONS.
    command: process.execPath,
    args: [
      ...serveNodeFlags(root),
      ...(cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${cpuProf}`] : []),
      "build/server.mjs",
    ],
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      MEDIA_DIR: path.join(os.tmpdir(), `bench-media-${Date.now()}`),
      STRIPE_SECRET_KEY: "",
      TENANTS_SYNC_ON_START: "empty",
      // One process (no fork), so that the export's request, its job and its memory are in one known process.
      WEB_CONCURRENCY: "1",
      ...env,
    },
    logFile,
  });
  await waitForOk(`${origin}/healthz`, child, 180_000);
  // WEB_CONCURRENCY=1: the app serves in its own process (no fork), which also runs the jobs.
  const pid = workerPid(child.pid);
  return { child, pid, origin } satisfies App;
}

/** Samples the process's VmRSS every 50 ms until stopped; the highest value in kB. */
function sampleRss(pid: number) {
  let peak = 0;
  const timer = setInterval(() => {
    const memory = readMemory(pid);
    if (memory && memory.rssKb > peak) peak = memory.rssKb;
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const memory = readMemory(pid);
      if (memory && memory.rssKb > peak) peak = memory.rssKb;
      return peak || null;
    },
  };
}

/** The row count of the latest export security event (written after the file's last row). */
async function exportedRows(db: pg.Client, since: Date): Promise<number | null> {
  const { rows } = await db.query<{ rows: string | null }>(
    `SELECT detail->>'rows' AS rows FROM "SecurityEvent" WHERE type = 'export' AND "createdAt" >= $1
      ORDER BY "createdAt" DESC LIMIT 1`,
    [since],
  );
  return rows[0]?.rows ? Number(rows[0].rows) : null;
}

/** Reads the body to its end, or until `signal` aborts (then `stopped`). */
async function drain(
  response: Response,
  signal: AbortSignal,
): Promise<{ bytes: number; newlines: number; stopped: boolean }> {
  let bytes = 0;
  let newlines = 0;
  if (!response.body) return { bytes, newlines, stopped: false };
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    return { bytes, newlines, stopped: true };
  }
  return { bytes, newlines, stopped: false };
}

/** The finished file's link on its progress page: this export's own /download (the page may list others). */
function fileLink(html: string, progressPath: string): string | null {
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  return hrefs.find((h) => h.split("?")[0] === `${progressPath}/download`) ?? null;
}

async function measureExport(
  app: App,
  db: pg.Client,
  database: string,
  cookie: string,
  format: "csv" | "xlsx",
  exportPath: string,
  limitS: number,
  { backgroundOnly = false }: { backgroundOnly?: boolean } = {},
): Promise<ExportBenchRow | null> {
  process.stdout.write(`  reports: GET ${exportPath} … `);
  const pid = app.pid;
  const rssBefore = readMemory(pid)?.rssKb ?? null;
  resetPeakRss(pid);
  const sampler = sampleRss(pid);
  const cpuBefore = treeCpuSeconds(pid);
  const dbBefore = postgresBackendCpu(database);
  const since = new Date(Date.now() - 1_000);
  const started = performance.now();
  // An export slower than the limit is stopped there: at a million lines a slow one would take hours.
  const abort = AbortSignal.timeout(limitS * 1000);
  let response = await fetch(app.origin + exportPath, { headers: { cookie }, redirect: "manual", signal: abort });
  let mode: ExportBenchRow["mode"] = "direct";
  let note: string | undefined;
  if (backgroundOnly && response.status === 200) {
    sampler.stop();
    await response.body?.cancel();
    console.log("200, streamed directly: this build has no background export");
    return null;
  }
  if (response.status === 302 || response.status === 303) {
    // A background export: poll its progress page until it links the file, then download it.
    mode = "background";
    await response.arrayBuffer();
    const progress = new URL(response.headers.get("location") ?? "/", app.origin).toString();
    let link: string | null = null;
    while (!link && !abort.aborted) {
      const page = await fetch(progress, { headers: { cookie } }).catch(() => null);
      if (!page) break;
      const html = await page.text();
      if (page.status >= 400) throw new Error(`progress page ${progress} answered ${page.status}`);
      link = fileLink(html, new URL(progress).pathname);
      if (!link) await sleep(500);
    }
    if (link) {
      note = `job done at ${((performance.now() - started) / 1000).toFixed(1)} s, then downloaded`;
      response = await fetch(new URL(link, progress), { headers: { cookie }, signal: abort });
    } else note = `no file link on ${progress} within ${limitS} s`;
  }
  const { bytes, newlines, stopped } =
    mode === "background" && !note?.startsWith("job done")
      ? { bytes: 0, newlines: 0, stopped: true }
      : await drain(response, abort);
  if (stopped) {
    // The app does not cancel its statement when the download goes away: cancel it here, or it
    // would run on (minutes at a million lines) and load what is measured next.
    await db.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const peakSampled = sampler.stop();
  const hwm = readMemory(pid)?.peakKb ?? null;
  const cpuAfter = treeCpuSeconds(pid);
  const dbAfter = postgresBackendCpu(database);
  // The security event is written once the last row is out; give it a moment.
  let rows: number | null = null;
  for (let i = 0; i < 20 && rows === null; i++) {
    rows = await exportedRows(db, since);
    if (rows === null) await sleep(250);
  }
  if (rows === null && format === "csv" && response.status === 200 && mode === "direct") {
    rows = Math.max(0, newlines - 1); // header line; the stand-in data has no line breaks inside cells
    const how = stopped ? `stopped at the ${limitS} s limit; rows received by then` : "rows counted from the file";
    note = [note, how].filter(Boolean).join("; ");
  } else if (stopped) note = [note, `stopped at the ${limitS} s limit`].filter(Boolean).join("; ");
  console.log(
    `${response.status}, ${rows ?? "?"} rows, ${fixed(bytes / 1024 / 1024, 1)} MB in ${seconds.toFixed(1)} s, ` +
      `peak RSS ${MB(peakSampled) ?? "?"} MB`,
  );
  return {
    format,
    mode,
    path: exportPath,
    status: response.status,
    rows,
    bytes,
    seconds,
    rowsPerSecond: rows === null ? null : rows / seconds,
    peakRssSampledMb: MB(peakSampled),
    peakRssHwmMb: MB(hwm),
    rssBeforeMb: MB(rssBefore),
    serverCpuS: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
    databaseCpuS: backendCpuDelta(dbBefore, dbAfter),
    stoppedAtLimit: stopped,
    note,
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function measureDashboard(
  app: App,
  cookie: string,
  view: string,
  viewPath: string,
  requests: number,
  concurrency: number,
  limitS: number,
): Promise<DashboardBenchRow> {
  process.stdout.write(`  reports: dashboard ${view} ${viewPath} … `);
  const headers = { cookie, accept: "text/html", "accept-encoding": "gzip, deflate, br" };
  const probe = await fetch(app.origin + viewPath, { headers });
  await probe.arrayBuffer();
  const timing = probe.headers.get("server-timing") ?? "";
  const sql = /\bsql;dur=([\d.]+)[^,]*desc="(\d+) statements"/.exec(timing);
  // Warm-up: a few requests whose times are not kept.
  for (let i = 0; i < 5; i++) await (await fetch(app.origin + viewPath, { headers })).arrayBuffer();
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  // Stop sending at the time limit: a view taking seconds would keep 200 requests going for long.
  const deadline = performance.now() + limitS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests && performance.now() < deadline) {
        next++;
        const started = performance.now();
        const response = await fetch(app.origin + viewPath, { headers });
        await response.arrayBuffer();
        times.push(performance.now() - started);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  times.sort((a, b) => a - b);
  const row: DashboardBenchRow = {
    view,
    path: viewPath,
    requests: times.length,
    concurrency,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? NaN,
    statuses,
    sqlStatements: sql ? Number(sql[2]) : null,
    sqlMs: sql ? Number(sql[1]) : null,
  };
  console.log(`p50 ${fixed(row.p50)} ms, p95 ${fixed(row.p95)} ms, ${JSON.stringify(statuses)}`);
  return row;
}

/** Appoints a coordinator of the county through `npm run county:coordinator`'s script. */
function appointCoordinator(databaseUrl: string, countyCode: string): string {
  const phone = `139${String(Date.now() % 1e8).padStart(8, "0")}`;
  const run = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["scripts/county-coordinator.ts", phone, "--county", countyCode, "--password", "bench horse battery staple"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (run.status !== 0) throw new Error(`county:coordinator failed (${run.status}): ${run.stderr}${run.stdout}`);
  return phone;
}

/** A session row and its cookies, as a sign-in with the second factor would make (tests/support/auth.ts). */
async function sessionFor(db: pg.Client, phone: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM "User" WHERE phone = $1`, [phone]);
  const userId = rows[0]?.id;
  if (!userId) throw new Error(`no user with mobile ${phone}`);
  const token = newToken();
  await db.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt", "secondFactorAt") VALUES ($1, $2, now() + interval '1 day', now())`,
    [hashToken(token), userId],
  );
  return [
    (await sessionCookie.serialize(token)).split(";")[0],
    (await csrfCookie.serialize(newToken())).split(";")[0],
  ].join("; ");
}

/**
 * About `lines` order lines over the last `days` days by the demo bulk path (the rows the
 * checkout and the order writer would leave), in chunks of orders that continue one seeded plan;
 * it stops early once `limitS` seconds have passed (the bench then measures what was written).
 */
async function fill(db: pg.Client, lines: number, days: number, limitS: number, shops: string[]): Promise<number> {
  const client: BulkClient = {
    query: async (sql, params) => (await db.query(sql, params)).rows as Record<string, unknown>[],
    async transaction(fn) {
      await db.query("BEGIN");
      try {
        const result = await fn(client);
        await db.query("COMMIT");
        return result;
      } catch (error) {
        await db.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
  };
  const now = new Date();
  const started = performance.now();
  console.log(
    `reports: filling about ${lines} order lines over ${days} days by the demo bulk path (limit ${limitS} s)…`,
  );
  // One run of the bulk path (one seeded plan, planned once: a run per chunk re-planned every
  // order before it), stopped at `lines` or, after a batch, at the time limit.
  const done = await insertBulkOrders(client, {
    // The plan is in time order: as many orders as make about `lines` lines (the plan averages
    // 1.90 an order), so the year is full to today; the cut at `lines` trims at most a few hours.
    orders: Math.ceil(lines / 1.9),
    maxLines: lines,
    stop: () => (performance.now() - started) / 1000 >= limitS,
    days,
    seed: 11,
    now,
    shops,
    onProgress: (p) => {
      const s = (performance.now() - started) / 1000;
      console.log(
        `  ${p.lines} lines (${p.orders} orders, ${p.rows} rows in all tables), ${s.toFixed(0)} s, ${Math.round(p.lines / s)} lines/s`,
      );
    },
  });
  const written = done.lines;
  if (written < lines) console.log(`reports: fill stopped at the ${limitS} s limit with ${written} lines`);
  return written;
}

export async function benchReports({
  lines = 1_000_000,
  requests = 200,
  concurrency = 4,
  profile = false,
  exportLimitS = 240,
  viewLimitS = 90,
  fillLimitS = 600,
}: {
  lines?: number;
  requests?: number;
  concurrency?: number;
  profile?: boolean;
  /** Seconds after which an export download, or a dashboard view's series, is stopped. */
  exportLimitS?: number;
  viewLimitS?: number;
  /** Seconds after which the fill stops (the issue allows about 10 minutes for a million lines). */
  fillLimitS?: number;
} = {}): Promise<ReportsBenchResult | string> {
  if (!fs.existsSync(path.join(root, "build/server/index.js")) || !fs.existsSync(path.join(root, "build/server.mjs")))
    return "build/server/index.js or build/server.mjs is missing: run npm run build";
  // BENCH_REPORTS_DATABASE=<name>: measure a database an earlier run kept (BENCH_KEEP_DATABASE), without a fill.
  const reuse = process.env.BENCH_REPORTS_DATABASE;
  const database = reuse ? await existingServerDatabase(reuse) : await createServerDatabase("bench_reports");
  if (typeof database === "string") return database;
  const logFile = path.join(os.tmpdir(), `bench-reports-${Date.now()}.log`);
  const cpuProf = profile ? fs.mkdtempSync(path.join(os.tmpdir(), "bench-reports-prof-")) : null;
  const db = new pg.Client({ connectionString: database.url });
  let app: App | undefined;
  try {
    // A threshold no export reaches: the direct stream is what is measured first.
    app = await startApp(database.url, { EXPORT_BACKGROUND_ROWS: "1000000000" }, logFile, cpuProf);
    await db.connect();
    const days = 365;
    const today = shanghaiToday();
    const fillStarted = performance.now();
    if (!reuse) {
      // Every line goes to the county with the most demo shops: its coordinator's export is then
      // the whole 1,000,000 lines, as the issue's figures mean.
      const { rows: biggest } = await db.query<{ slugs: string[] }>(
        `SELECT array_agg(s.slug ORDER BY s.slug) AS slugs FROM "Shop" s
          WHERE s."isDemo" AND s.status = 'LIVE' GROUP BY s."countyId" ORDER BY count(*) DESC, min(s.slug) LIMIT 1`,
      );
      await fill(db, lines, days, fillLimitS, biggest[0]?.slugs ?? []);
      // Hint bits set and statistics made, as after a real fill (run 6 read a freshly filled database).
      await db.query(`VACUUM (ANALYZE)`);
    }
    const fillS = reuse ? 0 : (performance.now() - fillStarted) / 1000;
    const { rows: counties } = await db.query<{ id: string; code: string; lines: string; shops: string }>(
      `SELECT c.id, c.code, count(*) AS lines, count(DISTINCT s.id) AS shops
         FROM "ShopOrderLine" l JOIN "Shop" s ON s.id = l."shopId" JOIN "County" c ON c.id = s."countyId"
        GROUP BY c.id, c.code ORDER BY 3 DESC, c.code LIMIT 1`,
    );
    const county = counties[0];
    if (!county) throw new Error("no order lines were written");
    const { rows: total } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "ShopOrderLine"`);
    const written = Number(total[0]?.n ?? 0);
    console.log(
      `\nreports: ${written} lines ${reuse ? `in database ${reuse}` : `written and analysed in ${fillS.toFixed(1)} s`}; ` +
        `county ${county.code} has ${county.lines} of them in ${county.shops} shops`,
    );
    // A fresh app process for the measurements: the one that imported the demo cooperatives
    // (photos through sharp) keeps that memory, which an export's figures must not carry.
    await stopChild(app.child);
    app = await startApp(database.url, { EXPORT_BACKGROUND_ROWS: "1000000000" }, logFile, cpuProf);
    const peakRssStartupMb = MB(readMemory(app.pid)?.peakKb);

    const phone = appointCoordinator(database.url, county.code);
    const cookie = await sessionFor(db, phone);
    const from = addDays(today, -365);
    const query = `from=${from}&to=${today}`;

    const exports: ExportBenchRow[] = [];
    for (const format of ["csv", "xlsx"] as const) {
      const exportPath = `/county/${county.code}/reports/orders.${format}?${query}`;
      const row = await measureExport(app, db, database.name, cookie, format, exportPath, exportLimitS);
      if (row) exports.push(row);
    }

    const dashboard: DashboardBenchRow[] = [];
    for (const [view, viewPath] of [
      ["30 days", `/county/${county.code}?range=30d`],
      ["this month", `/county/${county.code}?range=month`],
      ["365 days", `/county/${county.code}?from=${addDays(today, -364)}&to=${today}`],
    ] as const) {
      dashboard.push(await measureDashboard(app, cookie, view, viewPath, requests, concurrency, viewLimitS));
    }

    // The background export (when the app has it): restart with the default threshold and follow the 303.
    await stopChild(app.child);
    app = await startApp(database.url, {}, logFile, cpuProf);
    for (const format of ["csv", "xlsx"] as const) {
      const exportPath = `/county/${county.code}/reports/orders.${format}?${query}`;
      const row = await measureExport(app, db, database.name, cookie, format, exportPath, exportLimitS, {
        backgroundOnly: true,
      });
      if (!row) break;
      exports.push(row);
    }

    return {
      database: `PostgreSQL ${database.version}`,
      county: county.code,
      lines: written,
      linesInCounty: Number(county.lines),
      fillS,
      fillPath: "demo bulk path (insertBulkOrders, app/modules/demo)",
      exports,
      dashboard,
      peakRssStartupMb,
    };
  } catch (error) {
    return `reports bench failed: ${error instanceof Error ? error.stack : String(error)}\n${app ? logTail(app.child) : ""}`;
  } finally {
    await db.end().catch(() => undefined);
    if (app) await stopChild(app.child);
    if (cpuProf) console.log(`reports: CPU profiles of the app in ${cpuProf}`);
    if (process.env.BENCH_KEEP_DATABASE || reuse)
      console.log(`reports: database ${database.name} kept (BENCH_KEEP_DATABASE)`);
    else await database.drop().catch(() => undefined);
  }
}

export function formatReportsResult(r: ReportsBenchResult): string {
  return [
    `County reports (${r.database}, county ${r.county}, ${r.lines} order lines filled in ${r.fillS.toFixed(1)} s ` +
      `by the ${r.fillPath}; app start-up peak RSS ${fixed(r.peakRssStartupMb)} MB):`,
    formatTable(r.exports, [
      { title: "export", value: (x) => `${x.format} (${x.mode})`, align: "left" },
      { title: "status", value: (x) => String(x.status) },
      { title: "rows", value: (x) => (x.rows === null ? "–" : String(x.rows)) },
      { title: "MB", value: (x) => fixed(x.bytes / 1024 / 1024, 1) },
      { title: "s", value: (x) => fixed(x.seconds, 1) },
      { title: "rows/s", value: (x) => fixed(x.rowsPerSecond) },
      { title: "RSS before MB", value: (x) => fixed(x.rssBeforeMb) },
      { title: "peak RSS MB (50 ms)", value: (x) => fixed(x.peakRssSampledMb) },
      { title: "VmHWM MB", value: (x) => fixed(x.peakRssHwmMb) },
      {
        title: "growth MB",
        value: (x) =>
          fixed(x.peakRssSampledMb !== null && x.rssBeforeMb !== null ? x.peakRssSampledMb - x.rssBeforeMb : null),
      },
      { title: "app CPU s", value: (x) => fixed(x.serverCpuS, 1) },
      { title: "db CPU s", value: (x) => fixed(x.databaseCpuS, 1) },
      { title: "finished", value: (x) => (x.stoppedAtLimit ? "no, stopped at the limit" : "yes"), align: "left" },
    ]),
    ...r.exports.filter((x) => x.note).map((x) => `${x.format} (${x.mode}): ${x.note}`),
    "",
    formatTable(r.dashboard, [
      { title: "dashboard", value: (x) => x.view, align: "left" },
      { title: "requests", value: (x) => String(x.requests) },
      { title: "conc.", value: (x) => String(x.concurrency) },
      { title: "p50 ms", value: (x) => fixed(x.p50) },
      { title: "p95 ms", value: (x) => fixed(x.p95) },
      { title: "p99 ms", value: (x) => fixed(x.p99) },
      { title: "max ms", value: (x) => fixed(x.max) },
      { title: "SQL/view", value: (x) => (x.sqlStatements === null ? "–" : String(x.sqlStatements)) },
      { title: "SQL ms", value: (x) => fixed(x.sqlMs) },
      { title: "status", value: (x) => JSON.stringify(x.statuses), align: "left" },
    ]),
  ].join("\n");
}
