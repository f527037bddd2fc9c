// TEMPORARY instrumentation for the checkout tail (issue #12, stop 25): CHECKOUT_TRACE=<folder>
// writes one JSON line per POST with the times of its phases, and the event loop's delay and GC
// pauses every second, per serving process. Not for production.
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { requestContext } from "./request-context.server";

export const traceDir = process.env.CHECKOUT_TRACE || null;
export const now = () => performance.timeOrigin + performance.now();

type Marks = [string, number, unknown?][];

export function traceMark(name: string, extra?: unknown) {
  const t = (requestContext.getStore() as { trace?: Marks } | undefined)?.trace;
  if (t) t.push(extra === undefined ? [name, now()] : [name, now(), extra]);
}

let out: fs.WriteStream | null = null;
export function traceWrite(line: unknown) {
  if (!traceDir) return;
  out ??= fs.createWriteStream(path.join(traceDir, `trace-${process.pid}.jsonl`));
  out.write(JSON.stringify(line) + "\n");
}

let started = false;
export function startProcessTrace() {
  if (!traceDir || started) return;
  started = true;
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  let gcMs = 0;
  let gcMax = 0;
  let gcN = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcN++;
      if (e.duration > gcMax) gcMax = e.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  setInterval(() => {
    traceWrite({
      kind: "loop",
      pid: process.pid,
      t: now(),
      max: eld.max / 1e6,
      p99: eld.percentile(99) / 1e6,
      mean: eld.mean / 1e6,
      gcMs,
      gcMax,
      gcN,
    });
    eld.reset();
    gcMs = gcMax = gcN = 0;
  }, 1000).unref();
}
