// The app's push sender in a process of its own, for tests/integration/logistics-push-crash.test.ts:
// `node --import tsx tests/support/push-crash-child.ts` with DATABASE_URL set. Once loaded it
// prints {"event":"ready"} and waits for a line on stdin (so the test can start the next one
// while a trial runs); then it sends due deliveries again and again, as the worker's periodic
// task does, until it is killed (the test uses SIGKILL, mid-delivery).
import { once } from "node:events";
import { unscopedDb } from "~/db/index.server";
import { sendDuePushes } from "~/modules/logistics/push-sender.server";

const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

await unscopedDb().$queryRaw`SELECT 1`; // connected before the trial starts
say({ event: "ready", pid: process.pid });
process.stdin.resume();
await once(process.stdin, "data");
for (;;) {
  const result = await sendDuePushes({ concurrency: 10, batch: 10 });
  if (result.claimed === 0) await new Promise((r) => setTimeout(r, 10));
}
