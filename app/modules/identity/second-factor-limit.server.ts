import { db } from "~/db/index.server";
import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";

// How many wrong second-factor codes (sign-in, re-authentication, setting up or turning off
// two-step verification) are allowed: per account and address, and per account from anywhere,
// within a 15-minute window. Counted in the store every app process shares
// (app/lib/rate-limit.server.ts), like the sign-in and order look-up limits.

export const SECOND_FACTOR_LIMITS = {
  /** Wrong codes for one account from one address within the window. */
  pair: { name: "2fa:pair", points: 5, windowSeconds: 15 * 60, fallbackPoints: 3 },
  /** Wrong codes for one account within the window, from anywhere. */
  account: { name: "2fa:account", points: 10, windowSeconds: 15 * 60, fallbackPoints: 5 },
} satisfies Record<string, LimitRule>;

export type SecondFactorLimit = { ok: true } | { ok: false; retryAfterSeconds: number };

const keys = ({ userId, ip }: { userId: string; ip: string | null }) =>
  [
    [SECOND_FACTOR_LIMITS.pair, `${userId}|${ip ?? "unknown"}`],
    [SECOND_FACTOR_LIMITS.account, userId],
  ] as const;

/** Whether another code may be tried now. */
export async function checkSecondFactorLimit(subject: {
  userId: string;
  ip: string | null;
}): Promise<SecondFactorLimit> {
  const waits = await Promise.all(keys(subject).map(([rule, key]) => limiterFor(rule).retryAfter(key)));
  const retryAfterSeconds = Math.max(0, ...waits);
  return retryAfterSeconds > 0 ? { ok: false, retryAfterSeconds } : { ok: true };
}

export async function recordSecondFactorFailure(subject: { userId: string; ip: string | null }): Promise<void> {
  await Promise.all(keys(subject).map(([rule, key]) => limiterFor(rule).hit(key)));
}

/** Drops pending sign-ins past their time (the wrong-code counts expire in the rate-limit store). */
export async function pruneSecondFactorState(now = new Date()): Promise<{ pendingSignIns: number }> {
  const pending = await db().pendingSignIn.deleteMany({ where: { expiresAt: { lt: now } } });
  return { pendingSignIns: pending.count };
}

/** The translated refusal of a limited attempt ("tooMany" with the minutes to wait). */
export function tooManyCodesError(retryAfterSeconds: number): string {
  return `security.errors.tooMany|${JSON.stringify({ minutes: Math.ceil(retryAfterSeconds / 60) })}`;
}
