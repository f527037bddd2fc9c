import { db } from "~/db/index.server";

// How many wrong second-factor codes are allowed: per account, and per account and address,
// in a sliding window, counted in the database so that every app process sees the same
// count. Kept behind these two functions so that the shared rate limiter (issue #9) can
// take their place.

export const SECOND_FACTOR_LIMIT = {
  /** Wrong codes for one account within the window, from anywhere. */
  perAccount: 10,
  /** Wrong codes for one account from one address within the window. */
  perAccountAndAddress: 5,
  windowMinutes: 15,
};

export type SecondFactorLimit = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Whether another code may be tried now. */
export async function checkSecondFactorLimit({ userId, ip, now = new Date() }: { userId: string; ip: string | null; now?: Date }): Promise<SecondFactorLimit> {
  const since = new Date(now.getTime() - SECOND_FACTOR_LIMIT.windowMinutes * 60_000);
  const failures = await db().secondFactorFailure.findMany({
    where: { userId, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, ip: true },
    take: SECOND_FACTOR_LIMIT.perAccount,
  });
  const fromHere = failures.filter((f) => f.ip === ip);
  const blockedBy =
    failures.length >= SECOND_FACTOR_LIMIT.perAccount
      ? failures[failures.length - 1]
      : fromHere.length >= SECOND_FACTOR_LIMIT.perAccountAndAddress
        ? fromHere[SECOND_FACTOR_LIMIT.perAccountAndAddress - 1]
        : undefined;
  if (!blockedBy) return { ok: true };
  const until = blockedBy.createdAt.getTime() + SECOND_FACTOR_LIMIT.windowMinutes * 60_000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

export async function recordSecondFactorFailure({ userId, ip, now = new Date() }: { userId: string; ip: string | null; now?: Date }): Promise<void> {
  await db().secondFactorFailure.create({ data: { userId, ip, createdAt: now } });
}

/** Drops wrong-code counts past their window and pending sign-ins past their time. */
export async function pruneSecondFactorState(now = new Date()): Promise<{ secondFactorFailures: number; pendingSignIns: number }> {
  const before = new Date(now.getTime() - SECOND_FACTOR_LIMIT.windowMinutes * 60_000);
  const [failures, pending] = await Promise.all([
    db().secondFactorFailure.deleteMany({ where: { createdAt: { lt: before } } }),
    db().pendingSignIn.deleteMany({ where: { expiresAt: { lt: now } } }),
  ]);
  return { secondFactorFailures: failures.count, pendingSignIns: pending.count };
}
