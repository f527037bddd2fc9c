// Child processes for the benchmark: start them in their own process group, wait until
// they answer, read their memory and CPU from /proc, and stop them again.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  name: string;
  /** The process we spawned (for the app, tsx's wrapper; the server is its child). */
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  hasExited(): boolean;
}

const live = new Set<Child>();

/** A TCP port on 127.0.0.1 that is free right now (the kernel picks it, so never 3000/3100). */
function tryPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : 0;
      server.close(() => (bound ? resolve(bound) : reject(new Error("no free port"))));
    });
  });
}

/**
 * A free port on 127.0.0.1: any, or the first free one of BENCH_PORTS ("3230-3239") on a
 * machine where each person has ports of their own.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? "");
  if (!range) return tryPort(0);
  for (let port = Number(range[1]); port <= Number(range[2]); port++) {
    const free = await tryPort(port).catch(() => null);
    if (free) return free;
  }
  throw new Error(`no free port in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

/** Spawns a command with its output going to logFile; stopChild/stopAll end it. */
export function startChild(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): Child {
  const log = fs.openSync(options.logFile, "a");
  // detached: its own process group, so stopping it also reaches the server tsx starts.
  const proc = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  if (proc.pid === undefined) throw new Error(`could not start ${options.name}`);
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    proc.once("exit", (code, signal) => {
      done = true;
      resolve(code ?? signal ?? "unknown");
    });
    proc.once("error", () => {
      done = true;
      resolve("spawn error");
    });
  });
  const child: Child = {
    name: options.name,
    pid: proc.pid,
    process: proc,
    logFile: options.logFile,
    exited,
    hasExited: () => done,
  };
  live.add(child);
  void exited.then(() => live.delete(child));
  return child;
}

function signalGroup(child: Child, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM to the child's process group, SIGKILL if it has not exited after graceMs. */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (!child.hasExited()) {
    signalGroup(child, "SIGTERM");
    const timer = sleep(graceMs).then(() => "timeout" as const);
    if ((await Promise.race([child.exited, timer])) === "timeout") signalGroup(child, "SIGKILL");
    await Promise.race([child.exited, sleep(2_000)]);
  }
  // The group may outlive the leader (tsx's wrapper exits with its server, but be sure).
  signalGroup(child, "SIGKILL");
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

/** Synchronous last resort for process "exit" handlers, where nothing async runs. */
export function killAllNow(): void {
  for (const child of live) signalGroup(child, "SIGKILL");
}

/** The last lines of a child's log, for error messages. */
export function logTail(child: Child, lines = 20): string {
  try {
    return fs.readFileSync(child.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Polls url until it answers 200; fails if the child exits first or timeoutMs passes. */
export async function waitForOk(url: string, child: Child, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.hasExited()) {
      throw new Error(`${child.name} exited (${await child.exited}) before ${url} answered:\n${logTail(child)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return Date.now() - started;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${child.name}: ${url} did not answer 200 within ${timeoutMs / 1000} s:\n${logTail(child)}`);
}

function childPids(pid: number): number[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text ? text.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/**
 * The process that does the work: tsx runs server.ts in a child node process, so
 * follow single children down from the spawned pid (a plain node child is itself).
 */
export function workerPid(pid: number): number {
  let current = pid;
  for (let depth = 0; depth < 4; depth++) {
    const children = childPids(current);
    if (children.length !== 1 || children[0] === undefined) break;
    current = children[0];
  }
  return current;
}

export interface Memory {
  rssKb: number;
  /** Peak resident set since start or since the last resetPeakRss. */
  peakKb: number;
}

export function readMemory(pid: number): Memory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    const memory = { rssKb: field("VmRSS"), peakKb: field("VmHWM") };
    return Number.isFinite(memory.peakKb) ? memory : null;
  } catch {
    return null;
  }
}

/**
 * Resets VmHWM to the current RSS (Linux clear_refs "5"), so that the next peak read
 * covers only what follows, e.g. one page's load rather than the start-up import.
 * Returns false where that is not allowed.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far (null when unreadable). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after its ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after ")".
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** CPU seconds of this process's children that have exited (a load generator run as one): cutime + cstime. */
export function childrenCpuSeconds(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // cutime and cstime are fields 16 and 17 of the whole line: indexes 13 and 14 after ")".
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond();
}

/**
 * CPU seconds used so far by a process and its descendants (the serving workers a cluster
 * primary forks). Only live processes are read: a worker that exits mid-run takes its share along.
 */
export function treeCpuSeconds(pid: number): number | null {
  const own = cpuSeconds(pid);
  if (own === null) return null;
  return childPids(pid).reduce((sum, child) => sum + (treeCpuSeconds(child) ?? 0), own);
}

/**
 * CPU seconds used so far by each PostgreSQL backend serving `database` (their command
 * line reads "postgres: <cluster>: <user> <database> <client> …"). Keyed by pid, so a
 * before/after difference counts backends that started in between in full.
 */
export function postgresBackendCpu(database: string): Map<number, number> {
  const result = new Map<number, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.startsWith("postgres:") || !cmdline.split(" ").includes(database)) continue;
      const seconds = cpuSeconds(Number(entry));
      if (seconds !== null) result.set(Number(entry), seconds);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return result;
}

/** CPU seconds the backends used between two postgresBackendCpu readings. */
export function backendCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
