import { db } from "~/db/index.server";
import type { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";
import { JOB_HANDLERS, type JobHandlers } from "./handlers.server";

// The outbox: background work is a row in OutboxJob, written in the same transaction as the
// change that needs it, and run later by a worker (in-process by default, its own process at
// scale). Jobs carry no shopId: a handler's payload names the shop and it queries with it.

export const MAX_ATTEMPTS = 5;

/** A job claimed by a worker that died is claimed again after this long. */
export const LOCK_TIMEOUT_MS = 10 * 60_000;

/** Wait before the next attempt: 30 s, 2 min, 8 min, 32 min. */
export function retryDelayMs(attempts: number): number {
  return 30_000 * 4 ** Math.max(0, attempts - 1);
}

/** Anything with the OutboxJob table: the app's client, or a transaction to enqueue atomically. */
type OutboxClient = Pick<ReturnType<typeof db>, "outboxJob">;

/** Adds a job; pass `tx` to make it part of the transaction that needs it. */
export async function enqueue(
  kind: string,
  payload: Prisma.InputJsonObject,
  options: { runAt?: Date; tx?: OutboxClient } = {},
): Promise<string> {
  const job = await (options.tx ?? db()).outboxJob.create({
    data: { kind, payload, runAt: options.runAt ?? new Date() },
    select: { id: true },
  });
  return job.id;
}

interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

/**
 * Claims up to `limit` due jobs in one statement. FOR UPDATE SKIP LOCKED lets concurrent
 * workers pass over rows another is claiming at that moment; once claimed, lockedAt keeps
 * them from every other worker while the handler runs outside any transaction (so a slow
 * job holds no connection, which matters on PGlite's single one).
 */
async function claimDueJobs(limit: number, now: Date): Promise<ClaimedJob[]> {
  const staleBefore = new Date(now.getTime() - LOCK_TIMEOUT_MS);
  return db().$queryRaw<ClaimedJob[]>`
    UPDATE "OutboxJob" SET "lockedAt" = ${now}, "attempts" = "attempts" + 1
     WHERE "id" IN (
       SELECT "id" FROM "OutboxJob"
        WHERE "status" = 'PENDING' AND "runAt" <= ${now}
          AND ("lockedAt" IS NULL OR "lockedAt" < ${staleBefore})
        ORDER BY "runAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "payload", "attempts"`;
}

export interface RunResult {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
}

/**
 * Runs the jobs that are due: DONE when the handler returns; on an error, again later with
 * backoff, and FAILED (keeping the last error) after MAX_ATTEMPTS attempts.
 * `now` lets tests move the clock; `handlers` defaults to the app's registry.
 */
export async function runDueJobs({
  limit = 10,
  now = new Date(),
  handlers = JOB_HANDLERS,
}: { limit?: number; now?: Date; handlers?: JobHandlers } = {}): Promise<RunResult> {
  const jobs = await claimDueJobs(limit, now);
  const result: RunResult = { claimed: jobs.length, done: 0, retried: 0, failed: 0 };
  for (const job of jobs) {
    try {
      const handler = handlers[job.kind];
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(job.payload);
      await db().outboxJob.update({
        where: { id: job.id },
        data: { status: "DONE", doneAt: new Date(), lockedAt: null, lastError: null },
      });
      result.done++;
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      const giveUp = job.attempts >= MAX_ATTEMPTS;
      await db().outboxJob.update({
        where: { id: job.id },
        data: giveUp
          ? { status: "FAILED", lockedAt: null, lastError }
          : { lockedAt: null, lastError, runAt: new Date(now.getTime() + retryDelayMs(job.attempts)) },
      });
      logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, giveUp, error: lastError }, "job failed");
      if (giveUp) result.failed++;
      else result.retried++;
    }
  }
  return result;
}
