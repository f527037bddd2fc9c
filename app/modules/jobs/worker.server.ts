import { logger } from "~/lib/logger.server";
import { runDueJobs } from "./queue.server";

export interface Worker {
  /** Stops polling and resolves once the jobs being run have finished. */
  stop(): Promise<void>;
}

/**
 * Polls for due jobs every `intervalMs`, straight away again while it finds full batches.
 * Several workers (processes) may run at once: each job still runs once at a time.
 */
export function startWorker({ intervalMs = 2_000, limit = 5 }: { intervalMs?: number; limit?: number } = {}): Worker {
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
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
