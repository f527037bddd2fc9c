import { randomInt } from "node:crypto";
import { db } from "~/db/index.server";
import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";
import { notify } from "~/modules/notifications/notify.server";
import { hashToken, safeEqual } from "./tokens.server";

// Proving an account's mobile (issue #13, decision 025): a six-digit code sent by SMS to the
// account's own mobile. Signing up with a mobile proves nothing (anyone can type one), so the
// orders placed as a guest with that mobile become the account's only after this proof.

export const PHONE_CODE_MINUTES = 10;
/** Wrong codes that spend the pending one. */
export const PHONE_CODE_TRIES = 5;

/** Codes sent per account and hour. */
export const PHONE_CODE_LIMIT = {
  name: "phonecode:send",
  points: 5,
  windowSeconds: 60 * 60,
  fallbackPoints: 3,
} satisfies LimitRule;

const codeHash = (userId: string, code: string) => hashToken(`phone-code:${userId}:${code}`);

export type SendCodeResult =
  | { ok: true }
  | { ok: false; error: "account.mobile.errors.noMobile" | "account.mobile.errors.alreadyVerified" }
  | { ok: false; error: "account.mobile.errors.tooMany"; retryAfterMinutes: number };

/** Sends a fresh code to the account's mobile (replacing any pending one). */
export async function sendPhoneCode({
  userId,
  locale,
  now = new Date(),
}: {
  userId: string;
  locale: string;
  now?: Date;
}): Promise<SendCodeResult> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { phone: true, phoneVerifiedAt: true } });
  if (!user?.phone) return { ok: false, error: "account.mobile.errors.noMobile" };
  if (user.phoneVerifiedAt) return { ok: false, error: "account.mobile.errors.alreadyVerified" };
  const limiter = limiterFor(PHONE_CODE_LIMIT);
  const wait = await limiter.retryAfter(userId);
  if (wait > 0) {
    return { ok: false, error: "account.mobile.errors.tooMany", retryAfterMinutes: Math.max(1, Math.ceil(wait / 60)) };
  }
  await limiter.hit(userId);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const row = {
    phone: user.phone,
    hash: codeHash(userId, code),
    failures: 0,
    expiresAt: new Date(now.getTime() + PHONE_CODE_MINUTES * 60_000),
  };
  await db().phoneCode.upsert({ where: { userId }, create: { userId, ...row }, update: row });
  await notify({
    channel: "SMS",
    recipient: user.phone,
    template: "phone-code",
    locale,
    payload: { code, minutes: String(PHONE_CODE_MINUTES) },
  });
  return { ok: true };
}

export type VerifyCodeResult =
  | { ok: true; phone: string }
  | { ok: false; error: "account.mobile.errors.wrongCode" | "account.mobile.errors.expired" };

/**
 * Checks the code; on success marks the mobile verified and spends the code. A wrong code
 * counts; the fifth spends the pending code, so guessing needs a new code each five tries
 * (and codes are limited per hour).
 */
export async function verifyPhoneCode({
  userId,
  code,
  now = new Date(),
}: {
  userId: string;
  code: string;
  now?: Date;
}): Promise<VerifyCodeResult> {
  return db().$transaction(async (tx) => {
    const [pending] = await tx.$queryRaw<{ phone: string; hash: string; failures: number; expiresAt: Date }[]>`
      SELECT phone, hash, failures, "expiresAt" FROM "PhoneCode" WHERE "userId" = ${userId} FOR UPDATE`;
    if (!pending || pending.expiresAt <= now || pending.failures >= PHONE_CODE_TRIES) {
      return { ok: false as const, error: "account.mobile.errors.expired" as const };
    }
    const user = await tx.user.findUnique({ where: { id: userId }, select: { phone: true } });
    // The account's mobile changed since the code was sent: the code proves the old one only.
    if (!safeEqual(pending.hash, codeHash(userId, code)) || user?.phone !== pending.phone) {
      await tx.phoneCode.update({ where: { userId }, data: { failures: { increment: 1 } } });
      return { ok: false as const, error: "account.mobile.errors.wrongCode" as const };
    }
    await tx.phoneCode.delete({ where: { userId } });
    await tx.user.update({ where: { id: userId }, data: { phoneVerifiedAt: now } });
    return { ok: true as const, phone: pending.phone };
  });
}

/** The account's mobile when it has been proven, else null. */
export async function verifiedPhoneOf(userId: string): Promise<string | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { phone: true, phoneVerifiedAt: true } });
  return user?.phone && user.phoneVerifiedAt ? user.phone : null;
}

/** Whether a code is pending (not expired, not spent) for the account. */
export async function phoneCodePending(userId: string, now = new Date()): Promise<boolean> {
  const row = await db().phoneCode.findUnique({ where: { userId }, select: { expiresAt: true, failures: true } });
  return Boolean(row && row.expiresAt > now && row.failures < PHONE_CODE_TRIES);
}
