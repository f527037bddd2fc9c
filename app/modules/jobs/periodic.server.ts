import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import { sendDuePushes } from "~/modules/logistics/push-sender.server";
import { checkDueDomains } from "~/modules/domains/due-checks.cross-shop.server";
import { reconcileStripePayments, sweepExpiredOrders } from "~/modules/payments/payments.cross-shop.server";
import { stripeConfigured } from "~/modules/payments/stripe-client.server";
import { pruneSecondFactorState } from "~/modules/identity/second-factor-limit.server";
import { pruneSecurityLog } from "~/modules/security/security-log.server";
import { sweepExpiredExports } from "~/modules/reports/report-exports.server";
import { refreshSalesRollupsInBackground } from "~/modules/reports/dashboard.cross-shop.server";

/** How often the security log drops entries past their 180 days (and expired pending two-step sign-ins). */
export const SECURITY_RETENTION_EVERY_MS = 60 * 60 * 1000;
/** How often the worker brings the dashboard's roll-ups up to date with bulk writes. */
export const ROLLUP_REFRESH_EVERY_MS = 15_000;

// Work that runs on a clock rather than from the outbox: releasing unpaid reservations
// (the sweeper), re-reading Stripe for webhooks that never came (the reconciliation) and
// checking custom domains' DNS records (issue #9).
// Each task runs again only after its previous run finished, so runs never overlap in a
// process; across processes the tasks are safe to run at once (every step locks its order
// and is idempotent), just wasteful.

export interface PeriodicTask {
  name: string;
  everyMs: number;
  /** Its result is logged when it did something. */
  run: () => Promise<unknown>;
}

/**
 * The app's periodic tasks; PAYMENT_JOBS_SECONDS sets how often the payment ones run (30 s by
 * default). The domain round looks for due custom-domain checks every `domainsEveryMs`; each
 * domain itself is checked every DOMAIN_CHECK_MINUTES.
 */
export function periodicTasks(
  everyMs = env().PAYMENT_JOBS_SECONDS * 1000,
  {
    domainsEveryMs = 60_000,
    logisticsPushEveryMs = env().LOGISTICS_PUSH_SECONDS * 1000,
  }: { domainsEveryMs?: number; logisticsPushEveryMs?: number } = {},
): PeriodicTask[] {
  return [
    { name: "payments.sweep", everyMs, run: () => sweepExpiredOrders() },
    {
      name: "payments.reconcile",
      everyMs,
      run: async () => (stripeConfigured() ? reconcileStripePayments() : null),
    },
    { name: "domains.check", everyMs: domainsEveryMs, run: () => checkDueDomains() },
    { name: "security.retention", everyMs: SECURITY_RETENTION_EVERY_MS, run: () => securityRetention() },
    // Logistics pushes (issue #10): every LOGISTICS_PUSH_SECONDS (5), at most 10 in flight per process.
    { name: "logistics.push", everyMs: logisticsPushEveryMs, run: () => sendDuePushes() },
    // Background report exports (issue #11): files past their 7 days are deleted hourly.
    { name: "reports.exportsSweep", everyMs: SECURITY_RETENTION_EVERY_MS, run: () => sweepExpiredExports() },
    // The dashboard's roll-ups (docs/decisions/018): what a view's bounded refresh left, every 15 s.
    { name: "reports.rollups", everyMs: ROLLUP_REFRESH_EVERY_MS, run: () => refreshSalesRollupsInBackground() },
  ];
}

/** Deletes security-log entries older than 180 days, and expired pending sign-ins. */
export async function securityRetention(now = new Date()) {
  return {
    securityEvents: await pruneSecurityLog(now),
    ...(await pruneSecondFactorState(now)),
  };
}

function didSomething(result: unknown): boolean {
  if (!result || typeof result !== "object") return false;
  return Object.values(result).some((v) => typeof v === "number" && v > 0);
}

export interface PeriodicRunner {
  /** Stops the timers and resolves once the runs in progress have finished. */
  stop(): Promise<void>;
}

/** Runs each task now (after `firstDelayMs`) and then `everyMs` after each run ends. */
export function startPeriodic(
  tasks: PeriodicTask[],
  { firstDelayMs = 0 }: { firstDelayMs?: number } = {},
): PeriodicRunner {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const schedule = (task: PeriodicTask, delayMs: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = task
        .run()
        .then(
          (result) => {
            if (didSomething(result)) logger.info({ task: task.name, result }, "periodic task");
          },
          (error: unknown) => logger.error({ err: error, task: task.name }, "periodic task failed"),
        )
        .finally(() => {
          running.delete(run);
          schedule(task, task.everyMs);
        });
      running.add(run);
    }, delayMs);
    timer.unref(); // never the reason the process stays up
    timers.add(timer);
  };

  for (const task of tasks) schedule(task, firstDelayMs);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running]);
    },
  };
}
