// The outbox worker as a process of its own (docs/decisions/009-uploads-and-outbox-worker.md),
// for when app processes should not run it themselves. Needs DATABASE_URL: the embedded
// database belongs to the one process that opened it.
// It also runs the periodic tasks: the payment sweeper (unpaid orders past their time give
// their stock back) and the Stripe reconciliation, every PAYMENT_JOBS_SECONDS (30).
// Options: --interval <ms> between polls when idle (2000).
import { parseArgs } from "node:util";
import { closeDatabase, connection } from "~/db/index.server";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import { useBaselineWasm } from "~/lib/wasm-baseline.server";
import { startWorker } from "~/modules/jobs/worker.server";

const { values } = parseArgs({ options: { interval: { type: "string", default: "2000" } } });
const intervalMs = Number(values.interval);
if (!Number.isInteger(intervalMs) || intervalMs < 50) {
  console.error(`--interval must be a whole number of milliseconds ≥ 50 (got ${JSON.stringify(values.interval)})`);
  process.exit(2);
}
if (!env().DATABASE_URL) {
  console.error("DATABASE_URL is not set: with the embedded database the app process runs the worker itself.");
  process.exit(2);
}
// Before the first query: Prisma's query compiler at V8's baseline tier (decision 036).
useBaselineWasm("server");

logger.info(
  { database: connection().location, intervalMs, paymentJobsSeconds: env().PAYMENT_JOBS_SECONDS },
  "job worker started",
);
const worker = startWorker({ intervalMs });
// The worker's timer does not keep the process alive; this does, until a signal.
const keepAlive = setInterval(() => undefined, 60_000);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "job worker stopping");
    clearInterval(keepAlive);
    void worker
      .stop()
      .then(() => closeDatabase())
      .finally(() => process.exit(0));
  });
}
