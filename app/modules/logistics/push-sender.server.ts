import { Webhook } from "standardwebhooks";
import { db } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { signingSecrets } from "./partner-keys.server";

// The push sender (issue #10, docs/decisions/016): posts the outbox's WebhookDelivery rows to
// their partner's configured webhookUrl as Standard Webhooks requests, at least once, under the
// row's id as webhook-id on every attempt.
//
// - Claiming: one UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) sets lockedUntil = now + 60 s
//   on the rows it takes, so several processes never send one delivery at the same time; a
//   sender that dies leaves its rows to the others once the lock has passed.
// - Outcome: 2xx DELIVERED; 5xx, 408, 429 (after its Retry-After), timeouts and network errors
//   are retried with exponential backoff and full jitter (capped at an hour) until the delivery
//   is 24 h old, then DEAD; any other answer (4xx, a redirect, which is never followed) is DEAD
//   at once. A DEAD or DELIVERED one can be replayed by hand (replayDelivery).
// - The endpoint: every failed attempt keeps (or starts) the partner's webhookFailingSince; a
//   success clears it. An endpoint failing for 24 h is switched off (webhookDisabledAt): its
//   deliveries then wait, PENDING and unclaimed, until the coordinator switches it on again.
// - The webhook-timestamp is the real time of the attempt (receivers check it against their
//   clock); `now` only drives the scheduling, so tests can move it.

/** A sender holds the rows it claimed this long; another process takes them only afterwards. */
export const PUSH_LOCK_MS = 60_000;
/** One attempt's whole budget (connect, send, answer). */
export const PUSH_TIMEOUT_MS = 10_000;
/** Deliveries are retried until they are this old, then DEAD. */
export const PUSH_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** An endpoint failing this long is switched off. */
export const ENDPOINT_FAILING_LIMIT_MS = 24 * 60 * 60 * 1000;
/** Backoff: the first retry waits up to BASE, doubling each attempt, never more than CAP. */
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 60 * 60 * 1000;
/** A Retry-After beyond this is read as this. */
const RETRY_AFTER_MAX_MS = 6 * 60 * 60 * 1000;
/** At least this long between two attempts of one delivery (full jitter may draw 0). */
const MIN_RETRY_MS = 1_000;

export interface SendOptions {
  /** The scheduling clock: which rows are due, lock and retry times. */
  now?: () => Date;
  /** Deliveries in flight at once, in this process. */
  concurrency?: number;
  /** Rows claimed per round; a run claims rounds until none are due or `maxRunMs` passed. */
  batch?: number;
  /** Stop claiming new rounds after this long (the periodic task then runs again). */
  maxRunMs?: number;
  timeoutMs?: number;
  /** The jitter's random source in [0, 1) (tests make it deterministic). */
  random?: () => number;
  /** Called when a delivery is claimed, before it is posted (tests use it to observe). */
  onClaim?: (id: string) => void;
}

export interface SendResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  endpointsDisabled: number;
}

interface Claimed {
  id: string;
  partnerId: string;
  payload: unknown;
  createdAt: Date;
  attempts: number;
  webhookUrl: string;
}

type Outcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; status: number | null; error: string; retryAfterMs: number | null }
  | { kind: "dead"; status: number | null; error: string };

/** Claims due deliveries (PENDING, due, unlocked, endpoint on) and locks them for PUSH_LOCK_MS. */
export async function claimDueDeliveries(limit: number, now: Date): Promise<Claimed[]> {
  const lockedUntil = new Date(now.getTime() + PUSH_LOCK_MS);
  return db().$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" AS d
       SET "lockedUntil" = ${lockedUntil}
      FROM (
        SELECT w.id, p."webhookUrl"
          FROM "WebhookDelivery" AS w
          JOIN "LogisticsPartner" AS p ON p.id = w."partnerId"
         WHERE w.status = 'PENDING'
           AND w."nextAttemptAt" <= ${now}
           AND (w."lockedUntil" IS NULL OR w."lockedUntil" <= ${now})
           AND p."webhookUrl" IS NOT NULL
           AND p."webhookDisabledAt" IS NULL
         ORDER BY w."nextAttemptAt", w.id
         LIMIT ${limit}
           FOR UPDATE OF w SKIP LOCKED
      ) AS c
     WHERE d.id = c.id
    RETURNING d.id, d."partnerId", d.payload, d."createdAt", d.attempts, c."webhookUrl"`;
}

/** The Retry-After header as milliseconds (delta-seconds or an HTTP date), bounded; null if absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), RETRY_AFTER_MAX_MS);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt−1))), at least MIN_RETRY_MS. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 30));
  return Math.max(MIN_RETRY_MS, Math.floor(random() * ceiling));
}

/** The webhook-signature header: one "v1,…" per secret that signs now, space-separated. */
export function signatureHeader(secrets: string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(" ");
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timeout";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`.slice(0, 300);
    return error.message.slice(0, 300);
  }
  return String(error).slice(0, 300);
}

async function attempt(row: Claimed, secrets: string[], timeoutMs: number, now: Date): Promise<Outcome> {
  if (secrets.length === 0) return { kind: "retry", status: null, error: "no signing secret", retryAfterMs: null };
  const body = JSON.stringify(row.payload);
  const sentAt = new Date();
  let response: Response;
  try {
    response = await fetch(row.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "yicun-logistics-push/1",
        "webhook-id": row.id,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signatureHeader(secrets, row.id, sentAt, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "retry", status: null, error: describeError(error), retryAfterMs: null };
  }
  // The answer's body is not read (a receiver could send anything); the connection is released.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status >= 500 || status === 408 || status === 429)
    return {
      kind: "retry",
      status,
      error: `HTTP ${status}`,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after"), now),
    };
  if (status >= 300 && status < 400) return { kind: "dead", status, error: `HTTP ${status}: redirect not followed` };
  return { kind: "dead", status, error: `HTTP ${status}` };
}

/** Records one attempt's outcome on the delivery and on its partner's endpoint. */
async function record(
  row: Claimed,
  outcome: Outcome,
  now: Date,
  random: () => number,
): Promise<{ state: "delivered" | "retried" | "dead"; disabled: boolean }> {
  const attempts = row.attempts + 1;
  const common = { attempts, lastAttemptAt: now, lockedUntil: null };
  if (outcome.kind === "delivered") {
    await db().webhookDelivery.updateMany({
      where: { id: row.id, status: "PENDING" },
      data: { ...common, status: "DELIVERED", deliveredAt: now, lastStatusCode: outcome.status, lastError: null },
    });
    await db().logisticsPartner.updateMany({
      where: { id: row.partnerId, webhookFailingSince: { not: null } },
      data: { webhookFailingSince: null },
    });
    return { state: "delivered", disabled: false };
  }
  let dead = outcome.kind === "dead";
  let nextAttemptAt = now;
  if (outcome.kind === "retry") {
    const wait = Math.max(backoffMs(attempts, random), outcome.retryAfterMs ?? 0);
    nextAttemptAt = new Date(now.getTime() + wait);
    if (now.getTime() - row.createdAt.getTime() >= PUSH_RETRY_WINDOW_MS) dead = true;
  }
  await db().webhookDelivery.updateMany({
    where: { id: row.id, status: "PENDING" },
    data: {
      ...common,
      status: dead ? "DEAD" : "PENDING",
      nextAttemptAt,
      lastStatusCode: outcome.status,
      lastError: outcome.error,
    },
  });
  // The endpoint's failing streak: started by this failure unless one is running.
  await db().logisticsPartner.updateMany({
    where: { id: row.partnerId, webhookFailingSince: null },
    data: { webhookFailingSince: now },
  });
  const { count } = await db().logisticsPartner.updateMany({
    where: {
      id: row.partnerId,
      webhookDisabledAt: null,
      webhookFailingSince: { lte: new Date(now.getTime() - ENDPOINT_FAILING_LIMIT_MS) },
    },
    data: { webhookDisabledAt: now },
  });
  if (count > 0)
    logger.warn(
      { partnerId: row.partnerId, deliveryId: row.id },
      "logistics push: endpoint failing for 24 h, switched off",
    );
  return { state: dead ? "dead" : "retried", disabled: count > 0 };
}

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * Sends the due deliveries: claims a round, posts them (at most `concurrency` at once), records
 * each outcome, and claims again while rounds come back full and time is left.
 */
export async function sendDuePushes({
  now = () => new Date(),
  concurrency = 10,
  batch = 20,
  maxRunMs = 30_000,
  timeoutMs = PUSH_TIMEOUT_MS,
  random = Math.random,
  onClaim,
}: SendOptions = {}): Promise<SendResult> {
  const result: SendResult = { claimed: 0, delivered: 0, retried: 0, dead: 0, endpointsDisabled: 0 };
  const started = Date.now();
  const secretsOf = new Map<string, Promise<string[]>>();
  for (;;) {
    const rows = await claimDueDeliveries(batch, now());
    result.claimed += rows.length;
    await pool(rows, concurrency, async (row) => {
      onClaim?.(row.id);
      let secrets = secretsOf.get(row.partnerId);
      if (!secrets) {
        secrets = signingSecrets(row.partnerId, now());
        secretsOf.set(row.partnerId, secrets);
      }
      const outcome = await attempt(row, await secrets, timeoutMs, now());
      const { state, disabled } = await record(row, outcome, now(), random);
      result[state]++;
      if (disabled) result.endpointsDisabled++;
    });
    if (rows.length < batch || Date.now() - started > maxRunMs) break;
  }
  return result;
}

/**
 * Sends a DEAD or DELIVERED delivery again (by hand, from the deliveries page): PENDING, due now,
 * its attempts kept. Returns false when it is not one of the partner's or already pending.
 */
export async function replayDelivery(partnerId: string, deliveryId: string, now = new Date()): Promise<boolean> {
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: deliveryId, partnerId, status: { in: ["DEAD", "DELIVERED"] } },
    data: { status: "PENDING", nextAttemptAt: now, lockedUntil: null },
  });
  return count > 0;
}
