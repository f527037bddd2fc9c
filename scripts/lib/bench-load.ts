// A typed wrapper around autocannon's programmatic API (the package ships no types).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** The parts of autocannon's result object that the benchmark reads. */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  statusCodeStats: Record<string, { count: number }>;
  latency: Histogram;
  requests: Histogram & { total: number; sent: number };
  throughput: Histogram & { total: number };
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  stop(): void;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  /** Stop after this many requests (overrides duration). */
  amount?: number;
  headers?: Record<string, string>;
  timeout?: number;
}) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadResult {
  /** Completed requests per second, averaged over the run. */
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  requests: number;
  non2xx: number;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Average response bytes per second (body and headers, as sent on the wire). */
  bytesPerSecond: number;
  durationS: number;
}

let running: AutocannonInstance | undefined;

/** Loads url with `connections` concurrent keep-alive connections for durationS seconds, or until `amount` requests if sooner. */
export async function load(
  url: string,
  options: { connections: number; durationS: number; amount?: number; headers: Record<string, string> },
): Promise<LoadResult> {
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    headers: options.headers,
    timeout: 10,
  });
  running = instance;
  // With `amount`, autocannon ignores the duration: it still bounds the run.
  const bound = options.amount === undefined ? undefined : setTimeout(() => instance.stop(), options.durationS * 1000);
  try {
    const result = await instance;
    const statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
    );
    return {
      // requests.average is per 1 s sample; total / duration also counts the last part-second.
      rps: result.requests.total / result.duration,
      latencyMs: {
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.average,
        max: result.latency.max,
      },
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      bytesPerSecond: result.throughput.total / result.duration,
      durationS: result.duration,
    };
  } finally {
    clearTimeout(bound);
    running = undefined;
  }
}

/** Stops a load in progress (on SIGINT), so the process can exit. */
export function stopLoad(): void {
  running?.stop();
}

/** How long the first request after a load may wait for the requests the load left behind. */
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * The median time of `count` requests sent one after another on one keep-alive
 * connection: the latency of a page when nothing queues in front of it. A first, untimed
 * request waits (up to 2 minutes) for the server to finish what the load left queued: autocannon
 * stops with up to one request per connection in flight, and re-sends on a new connection any
 * request that took over its 10 s timeout while the server still works on the first one, so after
 * a load that outran the app the server may hold a minute of work nobody waits for.
 */
export async function sequentialLatencyMs(url: string, headers: Record<string, string>, count = 7): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  const get = (timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const request = http.get(url, { agent, headers }, (response) => {
        // Read the (possibly compressed) body without decoding it, as autocannon does.
        response.on("data", () => undefined);
        response.on("end", resolve);
        response.on("error", reject);
      });
      request.on("error", reject);
      request.setTimeout(timeoutMs, () =>
        request.destroy(new Error(`GET ${url} timed out after ${timeoutMs / 1000} s`)),
      );
    });
  try {
    await get(DRAIN_TIMEOUT_MS);
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await get(10_000);
      times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

// ── wrk, for the every-core measure ──
// autocannon spends ~0.2 ms of CPU per request, on the same two cores as the app: a fifth of a private
// page's cost, so with two serving processes it takes the share of the machine the second one needs.
// wrk (C, Debian's `wrk`) spends a few µs per request, so the ratio measures the app, not its client.

/** wrk's version line when it is installed (`apt-get install wrk`), else null. */
export function wrkVersion(): string | null {
  const found = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  if (found.error) return null;
  return /wrk \S+/.exec(`${found.stdout}${found.stderr}`)?.[0] ?? "wrk";
}

// wrk reports through its Lua hook: one JSON line at the end. Latencies are in µs; `status` counts
// answers that are not 2xx or 3xx.
const WRK_REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p99":%d,"max":%d,"mean":%f}\\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
`;

/**
 * The same load as `load()` from wrk (one thread, `connections` keep-alive connections, whole seconds).
 * Status codes are what wrk tells apart: answers that are 2xx/3xx are counted under `okStatus`.
 */
export async function loadWithWrk(
  url: string,
  options: { connections: number; durationS: number; headers: Record<string, string>; okStatus: number },
): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-wrk-"));
  const script = path.join(dir, "report.lua");
  fs.writeFileSync(script, WRK_REPORT);
  const args = [
    "-t1",
    `-c${options.connections}`,
    `-d${Math.max(1, Math.round(options.durationS))}s`,
    "--timeout",
    "10s",
  ];
  for (const [name, value] of Object.entries(options.headers)) args.push("-H", `${name}: ${value}`);
  args.push("-s", script, url);
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`))));
    });
    const line = /WRK_JSON (\{.*\})/.exec(output)?.[1];
    if (!line) throw new Error(`wrk printed no report: ${output}`);
    const r = JSON.parse(line) as Record<string, number>;
    const durationS = r.durationUs! / 1e6;
    const requests = r.requests!;
    return {
      rps: requests / durationS,
      latencyMs: { p50: r.p50! / 1000, p99: r.p99! / 1000, mean: r.mean! / 1000, max: r.max! / 1000 },
      requests,
      non2xx: r.status!,
      errors: r.connect! + r.read! + r.write!,
      timeouts: r.timeout!,
      statusCodes: { [String(options.okStatus)]: requests - r.status!, ...(r.status ? { "4xx/5xx": r.status } : {}) },
      bytesPerSecond: r.bytes! / durationS,
      durationS,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
