import cluster, { type Worker } from "node:cluster";
import type { Server } from "node:http";
import os from "node:os";
import { logger } from "./logger.server";

// One serving process per core on a PostgreSQL server (docs/decisions/020-processes-per-core.md).
// The primary migrates, imports the demo and runs the background jobs once; the workers only
// serve HTTP, sharing the listening socket through node:cluster.

/**
 * How many processes serve HTTP: one on the embedded database (PGlite lives inside one
 * process), else WEB_CONCURRENCY or one per core the process may use.
 */
export function servingProcessCount({
  database,
  webConcurrency,
  cores = os.availableParallelism(),
}: {
  database: "server" | "embedded";
  webConcurrency: number | undefined;
  cores?: number;
}): number {
  if (database === "embedded") return 1;
  return webConcurrency ?? Math.max(1, cores);
}

/** A worker that dies sooner than this after its start is replaced after a pause, not at once. */
const CRASH_LOOP_MS = 5_000;
const CRASH_LOOP_PAUSE_MS = 1_000;

export interface ServingProcesses {
  /** Resolves once every worker has listened once (for the start-up banner). */
  listening: Promise<void>;
  /** SIGTERM to every worker, then resolves when all have exited (SIGKILL after `graceMs`). */
  stop(graceMs: number): Promise<void>;
}

/** Forks `count` serving workers (this is the primary) and replaces any that dies. */
export function forkServingProcesses(count: number): ServingProcesses {
  let stopping = false;
  const started = new Map<Worker, number>();
  let waitingToListen = count;
  let allListening = () => undefined as void;
  const listening = new Promise<void>((resolve) => (allListening = resolve));

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    worker.once("listening", () => {
      if (--waitingToListen === 0) allListening();
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) return;
    logger.warn({ workerPid: worker.process.pid, code, signal }, "serving process exited: starting another");
    if (lived < CRASH_LOOP_MS) setTimeout(() => !stopping && fork(), CRASH_LOOP_PAUSE_MS);
    else fork();
  });
  for (let i = 0; i < count; i++) fork();

  return {
    listening,
    stop(graceMs) {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      return Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const force = setTimeout(() => worker.process.kill("SIGKILL"), graceMs);
              worker.once("exit", () => {
                clearTimeout(force);
                resolve();
              });
              worker.process.kill("SIGTERM");
            }),
        ),
      ).then(() => undefined);
    },
  };
}

/**
 * Stops accepting connections and resolves once the requests in flight have been answered,
 * or after `timeoutMs`, when whatever is still open is cut (so a stuck request cannot hold the
 * shutdown). Keep-alive connections are closed as soon as they fall idle. Resolves true when
 * everything finished in time.
 */
export function drainServer(server: Server, timeoutMs = 7_000): Promise<boolean> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => {
      logger.warn({ timeoutMs }, "requests still in flight after the drain timeout: closing their connections");
      clearInterval(idle);
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}
