import { logger } from "~/lib/logger.server";
import { periodicTasks, startPeriodic, type PeriodicTask } from "./periodic.server";
import { runDueJobs } from "./queue.server";

export interface Worker {
  /** Stops polling and resolves once the jobs and periodic tasks being run have finished. */
  stop(): Promise<void>;
}

/**
 * Polls for due jobs every `intervalMs`, straight away again while it finds full batches,
 * and runs the periodic tasks (the payment sweeper and reconciliation) on their own clocks.
 * Several workers (processes) may run at once: each job still runs once at a time.
 */
export function startWorker({
  intervalMs = 2_000,
  limit = 5,
  periodic = periodicTasks(),
}: { intervalMs?: number; limit?: number; periodic?: PeriodicTask[] } = {}): Worker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    timer.unref(); // never the reason the process stays up
  };
  const tick = () => {
    running = runDueJobs({ limit }).then(
      (result) => schedule(result.claimed === limit ? 0 : intervalMs),
      (error: unknown) => {
        logger.error({ err: error }, "job worker: could not run jobs");
        schedule(intervalMs);
      },
    );
  };

  schedule(0);
  const clocks = startPeriodic(periodic);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([running, clocks.stop()]);
    },
  };
}
