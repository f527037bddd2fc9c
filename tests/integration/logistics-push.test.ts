import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createSigningSecret, signingSecrets } from "~/modules/logistics/partner-keys.server";
import { createPartner } from "~/modules/logistics/partners.server";
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  PUSH_LOCK_MS,
  replayDelivery,
  sendDuePushes,
} from "~/modules/logistics/push-sender.server";
import { closedPort, startPushReceiver, type Answer, type PushReceiver } from "../support/push-receiver";

// The push sender (issue #10) against real local HTTP endpoints: Standard Webhooks signatures
// that the standardwebhooks package verifies (with both secrets during a rotation), retries
// with backoff on 5xx/429/timeouts/refused connections, 4xx dead at once, a day of failures
// switches the endpoint off, replays, and two senders never posting one delivery at once.
// The scheduling clock is moved through `now`; nothing sleeps for long.

const HOUR = 60 * 60 * 1000;
let countyId: string;
let receiver: PushReceiver;
const answers: Answer[] = [];

beforeAll(async () => {
  countyId = (
    await unscopedDb().county.create({
      data: {
        code: "320281",
        slug: "jiangyin",
        nameZh: "江阴市",
        nameEn: "Jiangyin",
        cityZh: "无锡市",
        cityEn: "Wuxi",
      },
    })
  ).id;
  receiver = await startPushReceiver({ respond: () => answers.shift() ?? { status: 200 } });
});

afterAll(async () => {
  await receiver?.close();
});

afterEach(async () => {
  answers.length = 0;
  receiver.received.length = 0;
  receiver.respond = () => answers.shift() ?? { status: 200 };
  await unscopedDb().webhookDelivery.deleteMany({});
});

async function partner(webhookUrl = receiver.url) {
  const made = await createPartner({
    countyId,
    nameZh: `物流${randomUUID().slice(0, 6)}`,
    kind: "EXPRESS",
    services: ["HOME"],
    areas: [],
    webhookUrl,
  });
  receiver.secrets = [made.signingSecret];
  return made;
}

async function delivery(partnerId: string, createdAt = new Date(), n = 1) {
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  await unscopedDb().webhookDelivery.create({
    data: {
      id,
      partnerId,
      type: "shipment.created",
      payload: { type: "shipment.created", timestamp: createdAt.toISOString(), data: { id: `shp_${n}`, n } },
      nextAttemptAt: createdAt,
      createdAt,
    },
  });
  return id;
}

const row = (id: string) => unscopedDb().webhookDelivery.findUniqueOrThrow({ where: { id } });
const partnerRow = (id: string) => unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id } });
const at = (t: Date) => () => t;

describe("a delivery", () => {
  it("is posted with webhook-id = its id, signed so that the standardwebhooks package verifies it, and marked DELIVERED", async () => {
    const p = await partner();
    const id = await delivery(p.id);
    const result = await sendDuePushes();
    expect(result).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const push = receiver.received[0]!;
    expect(push.id).toBe(id);
    const verified = new Webhook(p.signingSecret).verify(push.body, {
      "webhook-id": push.id,
      "webhook-timestamp": push.timestamp,
      "webhook-signature": push.signature,
    });
    expect(verified).toEqual({ type: "shipment.created", timestamp: expect.any(String), data: { id: "shp_1", n: 1 } });
    // A changed body or another secret does not verify.
    expect(() =>
      new Webhook(p.signingSecret).verify(push.body.replace('"n":1', '"n":2'), {
        "webhook-id": push.id,
        "webhook-timestamp": push.timestamp,
        "webhook-signature": push.signature,
      }),
    ).toThrow();
    expect(await row(id)).toMatchObject({
      status: "DELIVERED",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      lockedUntil: null,
    });
    // Nothing more to send.
    expect((await sendDuePushes()).claimed).toBe(0);
  });

  it("during a secret rotation carries one signature per secret, each verifying alone", async () => {
    const p = await partner();
    const fresh = await createSigningSecret(p.id);
    expect(await signingSecrets(p.id)).toEqual([fresh, p.signingSecret]);
    receiver.secrets = [p.signingSecret, fresh];
    await delivery(p.id);
    await sendDuePushes();
    const push = receiver.received[0]!;
    expect(push.signature.split(" ")).toHaveLength(2);
    expect(push.signature.split(" ").every((s) => s.startsWith("v1,"))).toBe(true);
    expect(push.verifiedWith).toEqual([0, 1]);
    // After the overlap only the new secret signs.
    await unscopedDb().webhookDelivery.deleteMany({});
    receiver.received.length = 0;
    await delivery(p.id, new Date(Date.now() + 25 * HOUR));
    await sendDuePushes({ now: at(new Date(Date.now() + 25 * HOUR)) });
    expect(receiver.received[0]!.signature.split(" ")).toHaveLength(1);
    expect(receiver.received[0]!.verifiedWith).toEqual([1]);
  });

  it("is never sent to a partner without a webhook URL, and never follows a redirect", async () => {
    const p = await partner();
    const id = await delivery(p.id);
    answers.push({ status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    await sendDuePushes();
    expect(receiver.received.map((r) => r.id)).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: "DEAD", lastStatusCode: 302 });

    await unscopedDb().logisticsPartner.update({ where: { id: p.id }, data: { webhookUrl: null } });
    const waiting = await delivery(p.id);
    expect((await sendDuePushes()).claimed).toBe(0);
    expect((await row(waiting)).status).toBe("PENDING");
  });
});

describe("retries", () => {
  const cases: [string, () => Promise<{ url?: string; answer?: Answer; error: RegExp; status: number | null }>][] = [
    ["a 500", async () => ({ answer: { status: 500 }, error: /HTTP 500/, status: 500 })],
    ["a 503", async () => ({ answer: { status: 503 }, error: /HTTP 503/, status: 503 })],
    ["a 408", async () => ({ answer: { status: 408 }, error: /HTTP 408/, status: 408 })],
    ["a timeout", async () => ({ answer: { status: 200, delayMs: 1500 }, error: /timeout/, status: null })],
    ["a hang-up", async () => ({ answer: { status: 200, hangUp: true }, error: /.+/, status: null })],
    [
      "a refused connection",
      async () => ({ url: `http://127.0.0.1:${await closedPort()}/hook`, error: /ECONNREFUSED/, status: null }),
    ],
  ];
  for (const [name, setUp] of cases) {
    it(`after ${name}: PENDING with backoff, then sent again under the same webhook-id`, async () => {
      const c = await setUp();
      const p = await partner(c.url ?? receiver.url);
      if (c.answer) answers.push(c.answer);
      const t0 = new Date();
      const id = await delivery(p.id, t0);
      const first = await sendDuePushes({ now: at(t0), timeoutMs: 300, random: () => 0.5 });
      expect(first).toMatchObject({ claimed: 1, retried: 1, delivered: 0 });
      const failed = await row(id);
      expect(failed).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: c.status, lockedUntil: null });
      expect(failed.lastError).toMatch(c.error);
      expect(failed.nextAttemptAt.getTime() - t0.getTime()).toBe(BACKOFF_BASE_MS / 2);
      expect((await partnerRow(p.id)).webhookFailingSince).toEqual(t0);
      // Not due yet: nothing is sent.
      expect((await sendDuePushes({ now: at(new Date(t0.getTime() + 1000)) })).claimed).toBe(0);
      // Due: sent again (the endpoint works now), same id, delivered; the failing streak ends.
      if (c.url)
        await unscopedDb().logisticsPartner.update({ where: { id: p.id }, data: { webhookUrl: receiver.url } });
      const t1 = new Date(failed.nextAttemptAt.getTime());
      expect(await sendDuePushes({ now: at(t1) })).toMatchObject({ claimed: 1, delivered: 1 });
      expect(receiver.received.filter((r) => r.id === id).length).toBe(c.url ? 1 : 2);
      expect(await row(id)).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatusCode: 200 });
      expect((await partnerRow(p.id)).webhookFailingSince).toBeNull();
    });
  }

  it("after a 429, waits at least its Retry-After", async () => {
    const p = await partner();
    answers.push({ status: 429, headers: { "retry-after": "120" } });
    const t0 = new Date();
    const id = await delivery(p.id, t0);
    await sendDuePushes({ now: at(t0), random: () => 0 });
    const failed = await row(id);
    expect(failed).toMatchObject({ status: "PENDING", lastStatusCode: 429 });
    expect(failed.nextAttemptAt.getTime() - t0.getTime()).toBe(120_000);
    expect((await sendDuePushes({ now: at(new Date(t0.getTime() + 119_000)) })).claimed).toBe(0);
    expect((await sendDuePushes({ now: at(new Date(t0.getTime() + 120_000)) })).delivered).toBe(1);
  });

  it("wait exponentially longer (full jitter under a doubling ceiling, capped) and end DEAD once the delivery is a day old", async () => {
    const p = await partner(`http://127.0.0.1:${await closedPort()}/hook`);
    const t0 = new Date();
    const id = await delivery(p.id, t0);
    let t = t0;
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      await sendDuePushes({ now: at(t), random: () => 0.999999 });
      const r = await row(id);
      if (r.status !== "PENDING") break;
      waits.push(r.nextAttemptAt.getTime() - t.getTime());
      t = r.nextAttemptAt;
    }
    expect(waits.slice(0, 4).map((w) => Math.round(w / 1000))).toEqual([10, 20, 40, 80]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(BACKOFF_CAP_MS);
    const dead = await row(id);
    expect(dead.status).toBe("DEAD");
    expect(dead.lastAttemptAt!.getTime() - t0.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
    expect(dead.attempts).toBe(waits.length + 1);
  });
});

describe("dead letters and the endpoint", () => {
  it("a 400 is DEAD at once and not retried", async () => {
    const p = await partner();
    answers.push({ status: 400 });
    const t0 = new Date();
    const id = await delivery(p.id, t0);
    expect(await sendDuePushes({ now: at(t0) })).toMatchObject({ dead: 1 });
    expect(await row(id)).toMatchObject({ status: "DEAD", attempts: 1, lastStatusCode: 400, lastError: "HTTP 400" });
    expect((await sendDuePushes({ now: at(new Date(t0.getTime() + 2 * HOUR)) })).claimed).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it("a day of failures: the delivery is DEAD, the endpoint switched off, its other deliveries wait until it is on again", async () => {
    const p = await partner();
    receiver.respond = () => ({ status: 500 });
    const t0 = new Date();
    const first = await delivery(p.id, t0);
    await sendDuePushes({ now: at(t0) });
    expect((await partnerRow(p.id)).webhookFailingSince).toEqual(t0);
    const t1 = new Date(t0.getTime() + 24 * HOUR + 1000);
    const second = await delivery(p.id, new Date(t1.getTime() - 1000), 2);
    const result = await sendDuePushes({ now: at(t1) });
    expect(result).toMatchObject({ endpointsDisabled: 1 });
    expect((await row(first)).status).toBe("DEAD");
    expect((await partnerRow(p.id)).webhookDisabledAt).toEqual(t1);
    // Switched off: nothing more is posted, the rest waits (PENDING).
    const sent = receiver.received.length;
    const t2 = new Date(t1.getTime() + 2 * HOUR);
    const third = await delivery(p.id, t2, 3);
    expect((await sendDuePushes({ now: at(t2) })).claimed).toBe(0);
    expect(receiver.received.length).toBe(sent);
    expect((await row(third)).status).toBe("PENDING");
    // The coordinator switches it on again: the waiting ones go out.
    receiver.respond = () => ({ status: 200 });
    await unscopedDb().logisticsPartner.update({ where: { id: p.id }, data: { webhookDisabledAt: null } });
    await sendDuePushes({ now: at(new Date(t2.getTime() + 2 * HOUR)) });
    expect((await row(third)).status).toBe("DELIVERED");
    expect((await row(second)).status).not.toBe("PENDING");
    expect((await partnerRow(p.id)).webhookFailingSince).toBeNull();
  });

  it("replay sends a DEAD or DELIVERED one again, attempts kept, same webhook-id", async () => {
    const p = await partner();
    answers.push({ status: 410 });
    const id = await delivery(p.id);
    await sendDuePushes();
    expect(await row(id)).toMatchObject({ status: "DEAD", attempts: 1 });
    expect(await replayDelivery(p.id, id)).toBe(true);
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(await replayDelivery(p.id, id)).toBe(false); // already waiting
    await sendDuePushes();
    expect(await row(id)).toMatchObject({ status: "DELIVERED", attempts: 2 });
    expect(await replayDelivery(p.id, id)).toBe(true);
    await sendDuePushes();
    expect(await row(id)).toMatchObject({ status: "DELIVERED", attempts: 3 });
    expect(receiver.received.map((r) => r.id)).toEqual([id, id, id]);
    // Another partner's delivery cannot be replayed through this one.
    const other = await partner();
    expect(await replayDelivery(other.id, id)).toBe(false);
  });
});

describe("several senders", () => {
  it("two senders at once never post one delivery at the same time; each is sent once", async () => {
    const p = await partner();
    receiver.respond = () => ({ status: 200, delayMs: 20 });
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) ids.add(await delivery(p.id, new Date(), i));
    const claimedBy = new Map<string, number>();
    const [a, b] = await Promise.all(
      [1, 2].map((sender) =>
        sendDuePushes({
          concurrency: 5,
          batch: 10,
          onClaim: (id) => claimedBy.set(id, (claimedBy.get(id) ?? 0) + sender),
        }),
      ),
    );
    expect(a!.claimed + b!.claimed).toBe(60);
    expect(a!.claimed).toBeGreaterThan(0);
    expect(b!.claimed).toBeGreaterThan(0);
    expect(receiver.received.some((r) => r.overlapped)).toBe(false);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(ids);
    expect(receiver.received).toHaveLength(60);
    expect([...claimedBy.values()].every((v) => v === 1 || v === 2)).toBe(true);
  });

  it("a delivery whose sender died is taken by another once its lock has passed", async () => {
    const p = await partner();
    const t0 = new Date();
    const id = await delivery(p.id, t0);
    // A sender claimed it and died before posting.
    await unscopedDb().webhookDelivery.update({
      where: { id },
      data: { lockedUntil: new Date(t0.getTime() + PUSH_LOCK_MS) },
    });
    expect((await sendDuePushes({ now: at(new Date(t0.getTime() + PUSH_LOCK_MS - 1)) })).claimed).toBe(0);
    expect((await sendDuePushes({ now: at(new Date(t0.getTime() + PUSH_LOCK_MS)) })).delivered).toBe(1);
  });
});
