import { randomInt } from "node:crypto";
import { db } from "~/db/index.server";
import { env } from "~/env.server";
import { verifyPassword } from "./password.server";
import { openSecret, sealSecret } from "./secret-box.server";
import { hashToken } from "./tokens.server";
import { groupedSecret, matchTotpCode, newTotpSecret, normaliseTotpInput, totpUri } from "./totp";

// Two-factor sign-in with an authenticator app (TOTP) and ten one-time recovery codes.
// Enrolment: a secret is made and shown once (QR code and key); it takes effect when the
// first code from the app is confirmed, and then the recovery codes are shown, once. Only
// hashes of the recovery codes are kept; the secret is sealed (secret-box.server.ts).

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i

export type SecondFactorMethod = "totp" | "recovery";

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const [row, left] = await Promise.all([
    db().twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } }),
    db().recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return {
    enabled: Boolean(row?.enabledAt),
    enabledAt: row?.enabledAt ?? null,
    recoveryCodesLeft: row?.enabledAt ? left : 0,
  };
}

export async function hasTwoFactor(userId: string): Promise<boolean> {
  const row = await db().twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } });
  return Boolean(row?.enabledAt);
}

/** What the enrolment page shows: the otpauth:// address (for the QR code) and the key to type. */
export interface Enrolment {
  uri: string;
  manualKey: string;
}

/**
 * Starts (or restarts) enrolment: a new secret, not yet in force. Refused while two-factor
 * is on (turn it off first), so a stolen session cannot swap the secret silently.
 */
export async function startEnrolment(user: {
  id: string;
  phone: string | null;
  email: string | null;
}): Promise<Enrolment | null> {
  const existing = await db().twoFactor.findUnique({
    where: { userId: user.id },
    select: { enabledAt: true, secret: true },
  });
  if (existing?.enabledAt) return null;
  const secret = newTotpSecret();
  await db().twoFactor.upsert({
    where: { userId: user.id },
    create: { userId: user.id, secret: sealSecret(secret) },
    update: { secret: sealSecret(secret), lastStep: null, createdAt: new Date() },
  });
  return enrolmentOf(user, secret);
}

function enrolmentOf(user: { phone: string | null; email: string | null }, secret: string): Enrolment {
  return {
    uri: totpUri({ secret, accountName: user.phone ?? user.email ?? "account", issuer: env().TWO_FACTOR_ISSUER }),
    manualKey: groupedSecret(secret),
  };
}

/** The enrolment in progress (to show the same QR code again after a wrong code), or null. */
export async function pendingEnrolment(user: {
  id: string;
  phone: string | null;
  email: string | null;
}): Promise<Enrolment | null> {
  const row = await db().twoFactor.findUnique({
    where: { userId: user.id },
    select: { enabledAt: true, secret: true },
  });
  if (!row || row.enabledAt) return null;
  return enrolmentOf(user, openSecret(row.secret));
}

/**
 * Accepts the step of a code for the user's secret once: a code (or any code of an earlier
 * step) that was already used is refused, even inside its 90-second window. Returns whether
 * this call spent it.
 */
async function spendStep(userId: string, step: number, enabled: boolean): Promise<boolean> {
  const spent = await db().twoFactor.updateMany({
    where: {
      userId,
      enabledAt: enabled ? { not: null } : null,
      OR: [{ lastStep: null }, { lastStep: { lt: step } }],
    },
    data: { lastStep: step },
  });
  return spent.count === 1;
}

function newRecoveryCode(): string {
  let raw = "";
  for (let i = 0; i < 16; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return raw.replace(/(.{4})(?=.)/g, "$1-");
}

/** Case, spaces and dashes do not matter when a recovery code is typed. */
export function normaliseRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, "");
  return /^[a-z0-9]{16}$/.test(code) ? code : null;
}

const hashRecoveryCode = (normalised: string) => hashToken(`recovery:${normalised}`);

/** Ten new recovery codes replace the old ones (all of them, used or not). Shown once. */
async function replaceRecoveryCodes(userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db().$transaction([
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({
      data: codes.map((code) => ({ userId, hash: hashRecoveryCode(normaliseRecoveryCode(code)!) })),
    }),
  ]);
  return codes;
}

export type ConfirmResult =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; error: "security.errors.codeWrong" | "security.errors.noEnrolment" };

/** Turns two-factor on with the first code from the app; returns the recovery codes to show once. */
export async function confirmEnrolment(userId: string, code: string): Promise<ConfirmResult> {
  const row = await db().twoFactor.findUnique({ where: { userId }, select: { enabledAt: true, secret: true } });
  if (!row || row.enabledAt) return { ok: false, error: "security.errors.noEnrolment" };
  const step = await matchTotpCode(openSecret(row.secret), code);
  if (step === null || !(await spendStep(userId, step, false)))
    return { ok: false, error: "security.errors.codeWrong" };
  const enabled = await db().twoFactor.updateMany({
    where: { userId, enabledAt: null },
    data: { enabledAt: new Date() },
  });
  if (enabled.count !== 1) return { ok: false, error: "security.errors.noEnrolment" };
  return { ok: true, recoveryCodes: await replaceRecoveryCodes(userId) };
}

export type VerifyResult = { ok: true; method: SecondFactorMethod; recoveryCodesLeft?: number } | { ok: false };

/**
 * Checks a second factor of a user with two-factor on: a code from the app (each accepted
 * once) or a recovery code (each works once, ever).
 */
export async function verifySecondFactor(userId: string, input: string): Promise<VerifyResult> {
  const row = await db().twoFactor.findUnique({ where: { userId }, select: { enabledAt: true, secret: true } });
  if (!row?.enabledAt) return { ok: false };
  if (normaliseTotpInput(input)) {
    const step = await matchTotpCode(openSecret(row.secret), input);
    return step !== null && (await spendStep(userId, step, true)) ? { ok: true, method: "totp" } : { ok: false };
  }
  const recovery = normaliseRecoveryCode(input);
  if (!recovery) return { ok: false };
  // Spent by one conditional update: of two concurrent uses, one wins.
  const used = await db().recoveryCode.updateMany({
    where: { userId, hash: hashRecoveryCode(recovery), usedAt: null },
    data: { usedAt: new Date() },
  });
  if (used.count !== 1) return { ok: false };
  return {
    ok: true,
    method: "recovery",
    recoveryCodesLeft: await db().recoveryCode.count({ where: { userId, usedAt: null } }),
  };
}

/** New recovery codes, for someone who proved the second factor just now. */
export async function regenerateRecoveryCodes(
  userId: string,
  code: string,
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const verified = await verifySecondFactor(userId, code);
  if (!verified.ok) return { ok: false };
  return { ok: true, recoveryCodes: await replaceRecoveryCodes(userId) };
}

/**
 * Turns two-factor off. Asks for a current code (or a recovery code) or the password: a
 * stolen session alone cannot do it. Platform admins cannot: it is required for them.
 */
export async function disableTwoFactor(
  userId: string,
  proof: { code?: string; password?: string },
): Promise<
  | { ok: true; method: SecondFactorMethod | "password" }
  | { ok: false; error: "security.errors.proofWrong" | "security.errors.requiredForAdmins" }
> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { isPlatformAdmin: true } });
  if (user?.isPlatformAdmin) return { ok: false, error: "security.errors.requiredForAdmins" };
  let method: SecondFactorMethod | "password" | null = null;
  if (proof.code) {
    const verified = await verifySecondFactor(userId, proof.code);
    if (verified.ok) method = verified.method;
  } else if (proof.password) {
    const password = await db().password.findUnique({ where: { userId }, select: { hash: true } });
    if (password && (await verifyPassword(password.hash, proof.password))) method = "password";
  }
  if (!method) return { ok: false, error: "security.errors.proofWrong" };
  await db().$transaction([
    db().twoFactor.deleteMany({ where: { userId } }),
    db().recoveryCode.deleteMany({ where: { userId } }),
  ]);
  return { ok: true, method };
}
