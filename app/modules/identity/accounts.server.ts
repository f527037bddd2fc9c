import { db } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import { notify } from "~/modules/notifications/notify.server";
import { parseIdentifier, type Identifier } from "./identifier";
import { burnPasswordTime, hashPassword, verifyPassword } from "./password.server";
import { hashToken, newToken } from "./tokens.server";

// Sign-up, sign-in with rate limits and lockout, and password resets.

export const LOCKOUT = {
  /** Failed attempts for one account within the window that lock it. */
  accountFailures: 5,
  /** Failed attempts from one address within the window that block it. */
  ipFailures: 20,
  windowMinutes: 15,
};

const RESET_MINUTES = 30;

function whereIdentifier(identifier: Identifier) {
  return identifier.kind === "email" ? { email: identifier.value } : { phone: identifier.value };
}

export async function findUserByIdentifier(input: string) {
  const identifier = parseIdentifier(input);
  return identifier ? db().user.findUnique({ where: whereIdentifier(identifier) }) : null;
}

export type SignUpResult = { ok: true; userId: string } | { ok: false; field: "identifier"; error: string };

export async function signUp(input: { identifier: string; password: string; name: string; locale: string }): Promise<SignUpResult> {
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return { ok: false, field: "identifier", error: "auth.errors.identifierInvalid" };
  if (await db().user.findUnique({ where: whereIdentifier(identifier) })) {
    return { ok: false, field: "identifier", error: "auth.errors.identifierTaken" };
  }
  const hash = await hashPassword(input.password);
  try {
    const user = await db().user.create({
      data: { ...whereIdentifier(identifier), name: input.name, locale: input.locale, password: { create: { hash } } },
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    // Two sign-ups racing for one identifier: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, field: "identifier", error: "auth.errors.identifierTaken" };
    throw error;
  }
}

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; error: "auth.errors.wrongCredentials" }
  | { ok: false; error: "auth.errors.locked" | "auth.errors.tooManyFromHere"; retryAfterMinutes: number };

/** Checks the limits first, then the password; every attempt is recorded. */
export async function signIn(input: { identifier: string; password: string; ip: string; now?: Date }): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const identifier = parseIdentifier(input.identifier);
  const key = identifier?.value ?? input.identifier.trim().toLowerCase().slice(0, 254);
  const since = new Date(now.getTime() - LOCKOUT.windowMinutes * 60_000);

  const [accountFailures, ipFailures] = await Promise.all([
    db().signInAttempt.findMany({
      where: { identifier: key, success: false, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    db().signInAttempt.count({ where: { ip: input.ip, success: false, createdAt: { gt: since } } }),
  ]);
  const retryAfter = (oldest: Date) =>
    Math.max(1, Math.ceil((oldest.getTime() + LOCKOUT.windowMinutes * 60_000 - now.getTime()) / 60_000));
  if (accountFailures.length >= LOCKOUT.accountFailures) {
    const unlocking = accountFailures[accountFailures.length - LOCKOUT.accountFailures]!.createdAt;
    return { ok: false, error: "auth.errors.locked", retryAfterMinutes: retryAfter(unlocking) };
  }
  if (ipFailures >= LOCKOUT.ipFailures) {
    return { ok: false, error: "auth.errors.tooManyFromHere", retryAfterMinutes: LOCKOUT.windowMinutes };
  }

  const user = identifier
    ? await db().user.findUnique({ where: whereIdentifier(identifier), include: { password: true } })
    : null;
  const ok = user?.password ? await verifyPassword(user.password.hash, input.password) : (await burnPasswordTime(input.password), false);
  await db().signInAttempt.create({ data: { identifier: key, ip: input.ip, success: ok, createdAt: now } });
  return ok && user ? { ok: true, userId: user.id } : { ok: false, error: "auth.errors.wrongCredentials" };
}

/**
 * Sends a one-time reset link when the account exists. Says nothing either way
 * (the page shows the same text), so it cannot be used to find accounts.
 */
export async function requestPasswordReset(input: { identifier: string; locale: string }): Promise<void> {
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return;
  const user = await db().user.findUnique({ where: whereIdentifier(identifier) });
  if (!user) return;
  const token = newToken();
  await db().passwordResetToken.create({
    data: { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) },
  });
  await notify({
    channel: identifier.kind === "email" ? "EMAIL" : "SMS",
    recipient: identifier.value,
    template: "password-reset",
    locale: input.locale,
    // The link is on the configured origin, never the request's Host (issue #9).
    payload: { url: `${platformOrigin()}/reset-password?token=${token}`, minutes: String(RESET_MINUTES) },
  });
}

async function usableResetToken(token: string) {
  const row = await db().passwordResetToken.findUnique({ where: { id: hashToken(token) } });
  return row && !row.usedAt && row.expiresAt > new Date() ? row : null;
}

export async function isResetTokenUsable(token: string): Promise<boolean> {
  return Boolean(await usableResetToken(token));
}

/** Sets the new password, spends the token and signs the user out everywhere. */
export async function resetPassword(token: string, password: string): Promise<{ ok: true; userId: string } | { ok: false }> {
  const hash = await hashPassword(password);
  return db().$transaction(async (tx) => {
    // Spend the token first: of two concurrent uses only one updates a row.
    const spent = await tx.passwordResetToken.updateMany({
      where: { id: hashToken(token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (spent.count !== 1) return { ok: false as const };
    const row = await tx.passwordResetToken.findUniqueOrThrow({ where: { id: hashToken(token) } });
    await tx.password.upsert({ where: { userId: row.userId }, create: { userId: row.userId, hash }, update: { hash } });
    await tx.session.deleteMany({ where: { userId: row.userId } });
    return { ok: true as const, userId: row.userId };
  });
}
