import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { PUSH_LOCK_MS, sendDuePushes } from "~/modules/logistics/push-sender.server";
import { serverUrl, withDatabase } from "../support/database";
import { startPushReceiver, type PushReceiver } from "../support/push-receiver";

// The push sender killed with SIGKILL while it is posting deliveries loses none (issue #10):
// the sender runs in a child process (tests/support/push-crash-child.ts) against this file's
// database; the test kills it after a random number of posts, then a restarted sender (once
// the dead one's locks have passed) finishes the rest. Every delivery must end DELIVERED and
// have reached the receiver, verified, at least once; repeats only under the same webhook-id.
// The child shares the database with this process, so this needs TEST_DATABASE_URL.

const onServer = Boolean(serverUrl());
if (!onServer)
  console.log("logistics-push-crash.test.ts skipped: set TEST_DATABASE_URL to a PostgreSQL server to run it.");

const TRIALS = Number(process.env.PUSH_CRASH_TRIALS ?? 20);
const PER_TRIAL = 25;
let databaseUrl: string;
let receiver: PushReceiver;
let partnerId: string;

beforeAll(async () => {
  if (!onServer) return;
  const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
  databaseUrl = withDatabase(serverUrl()!, row!.db);
  // A slightly slow endpoint, so that the kill lands while posts are in flight.
  receiver = await startPushReceiver({ respond: () => ({ status: 200, delayMs: 5 + Math.floor(Math.random() * 15) }) });
  const county = await unscopedDb().county.create({
    data: { code: "320282", slug: "yixing", nameZh: "宜兴市", nameEn: "Yixing", cityZh: "无锡市", cityEn: "Wuxi" },
  });
  const partner = await createPartner({
    countyId: county.id,
    nameZh: "宜兴邮政",
    kind: "POST",
    services: ["HOME"],
    areas: [],
    webhookUrl: receiver.url,
  });
  partnerId = partner.id;
  receiver.secrets = [partner.signingSecret];
});

afterAll(async () => {
  await receiver?.close();
});

/** Starts a sender process; it loads and connects, then waits for go() (so the next one can load during a trial). */
function startSender() {
  const proc = spawn(process.execPath, ["--import", "tsx", "tests/support/push-crash-child.ts"], {
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "3" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (chunk.includes('"ready"')) resolve();
    });
    void exited.then(() => reject(new Error(`sender ended before it was ready:\n${stderr}`)));
  });
  ready.catch(() => undefined); // the last one is killed unused
  return { proc, exited, ready, go: () => proc.stdin.write("go\n"), stderr: () => stderr };
}

describe.skipIf(!onServer)("the push sender killed with SIGKILL during deliveries", { timeout: 300_000 }, () => {
  it(`loses no delivery (${TRIALS} trials of ${PER_TRIAL})`, async () => {
    const all: string[] = [];
    let killedMidway = 0;
    // Senders load ahead (a child needs seconds to start on a busy machine), two at a time.
    const queue = [startSender(), startSender()];
    for (let trial = 0; trial < TRIALS; trial++) {
      const ids = Array.from({ length: PER_TRIAL }, () => `msg_${randomUUID().replace(/-/g, "")}`);
      all.push(...ids);
      await unscopedDb().webhookDelivery.createMany({
        data: ids.map((id, n) => ({
          id,
          partnerId,
          type: "shipment.updated",
          payload: { type: "shipment.updated", timestamp: new Date().toISOString(), data: { trial, n } },
        })),
      });
      const before = receiver.received.length;
      const killAfter = 1 + Math.floor(Math.random() * (PER_TRIAL - 2));
      const sender = queue.shift()!;
      if (trial + queue.length + 1 < TRIALS) queue.push(startSender());
      await sender.ready;
      // Killed the moment the receiver gets the trial's `killAfter`-th post: others are in flight.
      receiver.respond = () => {
        if (receiver.received.length - before >= killAfter) sender.proc.kill("SIGKILL");
        return { status: 200, delayMs: 5 + Math.floor(Math.random() * 15) };
      };
      sender.go();
      const exit = await sender.exited;
      expect(exit.signal, sender.stderr()).toBe("SIGKILL");
      const left = await unscopedDb().webhookDelivery.count({ where: { id: { in: ids }, status: "PENDING" } });
      if (left > 0) killedMidway++;
      // The restart: another sender, once the dead one's locks have passed.
      const later = new Date(Date.now() + PUSH_LOCK_MS + 1000);
      for (let round = 0; round < 10; round++) {
        const result = await sendDuePushes({ now: () => later });
        if (result.claimed === 0) break;
      }
    }
    for (const left of queue) left.proc.kill("SIGKILL");
    const rows = await unscopedDb().webhookDelivery.findMany({
      where: { id: { in: all } },
      select: { id: true, status: true },
    });
    expect(rows.filter((r) => r.status !== "DELIVERED")).toEqual([]);
    const received = new Map<string, number>();
    for (const push of receiver.received) {
      expect(push.verifiedWith).toEqual([0]);
      received.set(push.id, (received.get(push.id) ?? 0) + 1);
    }
    expect(all.filter((id) => !received.has(id))).toEqual([]);
    expect([...received.keys()].every((id) => all.includes(id))).toBe(true);
    // Most kills landed with deliveries still to send (else the test proves little).
    expect(killedMidway).toBeGreaterThanOrEqual(TRIALS / 2);
    console.log(
      `push crash: ${TRIALS} trials, killed with deliveries left in ${killedMidway}; ${receiver.received.length} posts for ${all.length} deliveries`,
    );
  });
});
