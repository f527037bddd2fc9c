// npm run lighthouse — Lighthouse (mobile defaults: a mid-range phone on a slow 4G network,
// simulated) on the platform home, a shop's home and a product page of the production build.
// It starts server.ts on a fresh embedded database with the demo cooperatives (like the
// bench), or audits a server that is already running (--url). Scores go in docs/perf.md.
// Options: --url <base> (don't start a server), --shop <slug> (yangshan-peach), --runs <n>
// per page (1; the median score is kept), --min <score> (exit 1 when a category of a page
// scores below it), --lang <Accept-Language> (zh-CN), --json <file>. Chromium: CHROME_PATH, else CHROMIUM_PATH, else
// /usr/bin/chromium. Ports: BENCH_PORTS ("3230-3239") limits the server's to a range.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { freePort, startChild, stopAll, stopChild, waitForOk } from "./lib/bench-proc";
import { formatTable } from "./lib/bench-report";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    shop: { type: "string", default: "yangshan-peach" },
    runs: { type: "string", default: "1" },
    min: { type: "string" },
    json: { type: "string" },
    lang: { type: "string", default: "zh-CN" },
  },
});

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
type Category = (typeof CATEGORIES)[number];

// Without the networking flags Chromium keeps trying to reach the internet.
const CHROME_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface PageScores {
  page: string;
  path: string;
  scores: Record<Category, number>;
  /** Audits that cost points: the first few of each category below 100. */
  losing: string[];
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; speedIndexMs: number };
}

function chromePath(): string {
  const found = process.env.CHROME_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!fs.existsSync(found)) throw new Error(`no Chromium at ${found}: set CHROME_PATH`);
  return found;
}

async function firstProductPath(base: string, shop: string): Promise<string> {
  const html = await (await fetch(`${base}/s/${shop}`)).text();
  const match = new RegExp(`href="(/s/${shop.replace(/[^\w-]/g, "")}/p/[^"?#]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no product link on /s/${shop}`);
  return match[1];
}

async function audit(
  url: string,
  port: number,
  attempt = 1,
): Promise<PageScores["scores"] & { lhr: LighthouseResult }> {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: [...CATEGORIES],
    // The buyers' language (and the default). In English by Accept-Language, the platform home
    // at / names /?lng=en as canonical, which Lighthouse's SEO audit takes for a mistake.
    extraHeaders: { "Accept-Language": args.lang },
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const lhr = result.lhr as unknown as LighthouseResult;
  if (lhr.runtimeError) {
    // Headless Chromium on a VM sometimes loses the trace's navigation start; Lighthouse's own
    // advice is to run again. Other runtime errors (and a third loss in a row) end the run.
    if (lhr.runtimeError.code === "NO_NAVSTART" && attempt < 3) {
      console.log(`  ${url}: ${lhr.runtimeError.code}, running again`);
      return audit(url, port, attempt + 1);
    }
    throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  }
  const score = (c: Category) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    seo: score("seo"),
    lhr,
  };
}

interface LighthouseResult {
  runtimeError?: { code: string; message: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<
    string,
    {
      id: string;
      title: string;
      score: number | null;
      scoreDisplayMode: string;
      numericValue?: number;
      displayValue?: string;
    }
  >;
}

function losingAudits(lhr: LighthouseResult): string[] {
  const out: string[] = [];
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (
        !a ||
        a.score === null ||
        a.score >= 1 ||
        a.scoreDisplayMode === "informative" ||
        a.scoreDisplayMode === "notApplicable"
      )
        continue;
      if (ref.weight === 0 && a.scoreDisplayMode !== "binary") continue;
      out.push(`${category}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    }
  }
  return out;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main() {
  const runs = Math.max(1, Number(args.runs) || 1);
  let base = args.url?.replace(/\/+$/, "");
  let temp: string | null = null;
  let child: Awaited<ReturnType<typeof startChild>> | null = null;
  if (!base) {
    if (!fs.existsSync(path.join(root, "build/server/index.js"))) throw new Error("no build: run npm run build first");
    temp = fs.mkdtempSync(path.join(os.tmpdir(), "lighthouse-"));
    const port = await freePort();
    base = `http://localhost:${port}`;
    child = startChild({
      name: "server.ts",
      command: path.join(root, "node_modules/.bin/tsx"),
      args: ["server.ts"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: "",
        PGLITE_DIR: path.join(temp, "pglite"),
        MEDIA_DIR: path.join(temp, "media"),
        TENANTS_SYNC_ON_START: "empty",
      },
      cwd: root,
      logFile: path.join(temp, "server.log"),
    });
    console.log(`starting server.ts on ${base} (embedded database, demo cooperatives)…`);
    await waitForOk(`${base}/healthz`, child, 180_000);
  }

  const pages = [
    { page: "platform home", path: "/" },
    { page: "shop home", path: `/s/${args.shop}` },
    { page: "product", path: await firstProductPath(base, args.shop) },
  ];
  const chrome = await chromeLauncher.launch({ chromePath: chromePath(), chromeFlags: CHROME_FLAGS });
  const results: PageScores[] = [];
  try {
    for (const page of pages) {
      // A first visit warms the server (and its image presets) the way a real page is warm.
      await fetch(base + page.path).then((r) => r.arrayBuffer());
      const audits: Awaited<ReturnType<typeof audit>>[] = [];
      for (let i = 0; i < runs; i++) audits.push(await audit(base + page.path, chrome.port));
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, median(audits.map((a) => a[c]))])) as Record<
        Category,
        number
      >;
      const lhr = audits.find((a) => a.performance === scores.performance)!.lhr;
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      results.push({
        ...page,
        scores,
        losing: losingAudits(lhr),
        metrics: {
          fcpMs: metric("first-contentful-paint"),
          lcpMs: metric("largest-contentful-paint"),
          tbtMs: metric("total-blocking-time"),
          cls: metric("cumulative-layout-shift"),
          speedIndexMs: metric("speed-index"),
        },
      });
      console.log(`  ${page.page}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(", ")}`);
    }
  } finally {
    await chrome.kill();
    if (child) await stopChild(child);
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }

  console.log(
    `\n${formatTable(results, [
      { title: "page", value: (r) => r.page, align: "left" },
      ...CATEGORIES.map((c) => ({ title: c, value: (r: PageScores) => String(r.scores[c]) })),
      { title: "FCP s", value: (r) => (r.metrics.fcpMs / 1000).toFixed(1) },
      { title: "LCP s", value: (r) => (r.metrics.lcpMs / 1000).toFixed(1) },
      { title: "TBT ms", value: (r) => Math.round(r.metrics.tbtMs).toString() },
      { title: "CLS", value: (r) => r.metrics.cls.toFixed(3) },
      { title: "SI s", value: (r) => (r.metrics.speedIndexMs / 1000).toFixed(1) },
    ])}\n`,
  );
  for (const r of results) for (const line of r.losing) console.log(`${r.page}: ${line}`);
  if (args.json)
    fs.writeFileSync(
      path.resolve(args.json),
      `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
    );

  if (args.min !== undefined) {
    const min = Number(args.min);
    const low = results.flatMap((r) =>
      CATEGORIES.filter((c) => r.scores[c] < min).map((c) => `${r.page} ${c} ${r.scores[c]}`),
    );
    if (low.length) {
      console.error(`below ${min}: ${low.join(", ")}`);
      process.exitCode = 1;
    }
  }
}

try {
  await main();
} catch (error) {
  console.error(`lighthouse failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
