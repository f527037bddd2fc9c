import { db } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";
import { notify } from "~/modules/notifications/notify.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { parseIdentifier, type Identifier } from "./identifier";
import { burnPasswordTime, hashPassword, verifyPassword } from "./password.server";
import { hashToken, newToken } from "./tokens.server";

// Sign-up, sign-in with rate limits and lockout, and password resets.

// Sign-in limits (counted in the store every app process shares, app/lib/rate-limit.server.ts).
// Failures slow the address and the (account, address) pair first, so that an attacker from
// one place cannot keep an account's owner out. The account itself is locked only when many
// addresses fail on it within an hour (a distributed attack); its owner is then told and sent
// a one-time link that lets them in past the lock (unlockWithLink below).
export const SIGN_IN_LIMITS = {
  /** Failures from one address, whatever the account. */
  address: { name: "signin:address", points: 20, windowSeconds: 15 * 60, fallbackPoints: 10 },
  /** Failures on one account from one address. */
  pair: { name: "signin:pair", points: 5, windowSeconds: 15 * 60, fallbackPoints: 3 },
  /** Marks an (account, address) pair that already failed this hour, so each address counts once below. */
  seen: { name: "signin:seen", points: 1_000_000, windowSeconds: 60 * 60, fallbackPoints: 1_000_000 },
  /** Distinct failing addresses on one account within the hour that lock the account. */
  account: { name: "signin:account", points: 10, windowSeconds: 60 * 60, fallbackPoints: 5 },
} satisfies Record<string, LimitRule>;

/** How long the link sent to a locked account's owner works. */
export const UNLOCK_LINK_MINUTES = 60;

const RESET_MINUTES = 30;

function whereIdentifier(identifier: Identifier) {
  return identifier.kind === "email" ? { email: identifier.value } : { phone: identifier.value };
}

export async function findUserByIdentifier(input: string) {
  const identifier = parseIdentifier(input);
  return identifier ? db().user.findUnique({ where: whereIdentifier(identifier) }) : null;
}

export type SignUpResult = { ok: true; userId: string } | { ok: false; field: "identifier"; error: string };

export async function signUp(input: {
  identifier: string;
  password: string;
  name: string;
  locale: string;
}): Promise<SignUpResult> {
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
    if ((error as { code?: string }).code === "P2002")
      return { ok: false, field: "identifier", error: "auth.errors.identifierTaken" };
    throw error;
  }
}

export type SignInLimited = {
  ok: false;
  error: "auth.errors.locked" | "auth.errors.tooManyFromHere" | "auth.errors.tooManyForAccount";
  retryAfterMinutes: number;
};

export type SignInResult =
  { ok: true; userId: string } | { ok: false; error: "auth.errors.wrongCredentials" } | SignInLimited;

const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

function accountKeyOf(input: string): string {
  const identifier = parseIdentifier(input);
  return identifier?.value ?? input.trim().toLowerCase().slice(0, 254);
}

/** The address and pair limits, which apply to every password check (the unlock link's too). */
async function slowedDown(account: string, ip: string): Promise<SignInLimited | null> {
  const [fromHere, onThisAccount] = await Promise.all([
    limiterFor(SIGN_IN_LIMITS.address).retryAfter(ip),
    limiterFor(SIGN_IN_LIMITS.pair).retryAfter(`${account}|${ip}`),
  ]);
  if (fromHere > 0) return { ok: false, error: "auth.errors.tooManyFromHere", retryAfterMinutes: minutesOf(fromHere) };
  if (onThisAccount > 0)
    return { ok: false, error: "auth.errors.tooManyForAccount", retryAfterMinutes: minutesOf(onThisAccount) };
  return null;
}

/** Counts a wrong password; returns the account's lock when this failure completed it. */
async function countFailure(account: string, ip: string): Promise<{ lockedNow: boolean; addresses: number }> {
  const pair = `${account}|${ip}`;
  const [, , seen] = await Promise.all([
    limiterFor(SIGN_IN_LIMITS.address).hit(ip),
    limiterFor(SIGN_IN_LIMITS.pair).hit(pair),
    limiterFor(SIGN_IN_LIMITS.seen).hit(pair),
  ]);
  if (!seen.first) return { lockedNow: false, addresses: 0 };
  const addresses = await limiterFor(SIGN_IN_LIMITS.account).hit(account);
  const threshold = limiterFor(SIGN_IN_LIMITS.account).rule.points;
  return { lockedNow: addresses.retryAfterSeconds > 0 && addresses.used === threshold, addresses: addresses.used };
}

/**
 * Checks the limits first, then the password (the login route records the outcome in the
 * security log). One address that fails is slowed down on its own; the account is locked only
 * by failures from many addresses.
 */
export async function signIn(input: { identifier: string; password: string; ip: string }): Promise<SignInResult> {
  const identifier = parseIdentifier(input.identifier);
  const key = accountKeyOf(input.identifier);

  const slowed = await slowedDown(key, input.ip);
  if (slowed) return slowed;
  const locked = await limiterFor(SIGN_IN_LIMITS.account).retryAfter(key);
  if (locked > 0) return { ok: false, error: "auth.errors.locked", retryAfterMinutes: minutesOf(locked) };

  const user = identifier
    ? await db().user.findUnique({ where: whereIdentifier(identifier), include: { password: true } })
    : null;
  const ok = user?.password
    ? await verifyPassword(user.password.hash, input.password)
    : (await burnPasswordTime(input.password), false);
  if (ok && user) {
    await limiterFor(SIGN_IN_LIMITS.pair).clear(`${key}|${input.ip}`);
    return { ok: true, userId: user.id };
  }
  const failure = await countFailure(key, input.ip);
  if (failure.lockedNow && user) await announceLockout(user, input.ip, failure.addresses);
  return { ok: false, error: "auth.errors.wrongCredentials" };
}

/** Tells the owner of a just-locked account, with a one-time link that lets them in. */
async function announceLockout(
  user: { id: string; email: string | null; phone: string | null; locale: string },
  ip: string,
  addresses: number,
) {
  const token = newToken();
  await db().accountUnlockToken.create({
    data: { id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + UNLOCK_LINK_MINUTES * 60_000) },
  });
  await recordSecurityEvent({ type: "lockout", userId: user.id, ip, detail: { addresses } });
  const recipient = user.email ?? user.phone;
  if (!recipient) return;
  await notify({
    channel: user.email ? "EMAIL" : "SMS",
    recipient,
    template: "account-locked",
    locale: user.locale,
    payload: { url: `${platformOrigin()}/unlock?token=${token}`, minutes: String(UNLOCK_LINK_MINUTES) },
  });
}

async function usableUnlockToken(token: string) {
  if (!token) return null;
  const row = await db().accountUnlockToken.findUnique({ where: { id: hashToken(token) } });
  return row && !row.usedAt && row.expiresAt > new Date() ? row : null;
}

export async function isUnlockTokenUsable(token: string): Promise<boolean> {
  return Boolean(await usableUnlockToken(token));
}

export type UnlockResult =
  | { ok: true; userId: string }
  | { ok: false; error: "auth.errors.unlockInvalid" | "auth.errors.wrongCredentials" }
  | SignInLimited;

/**
 * The owner's way in while their account is locked: the link's token and their password.
 * The address and pair limits still apply; on success the token is spent, the lock lifted
 * and "unlock" recorded. A wrong password leaves the link usable until it expires.
 */
export async function unlockWithLink(input: { token: string; password: string; ip: string }): Promise<UnlockResult> {
  const row = await usableUnlockToken(input.token);
  if (!row) return { ok: false, error: "auth.errors.unlockInvalid" };
  const user = await db().user.findUnique({ where: { id: row.userId }, include: { password: true } });
  if (!user) return { ok: false, error: "auth.errors.unlockInvalid" };
  const key = user.phone ?? user.email ?? user.id;
  const slowed = await slowedDown(key, input.ip);
  if (slowed) return slowed;
  const ok = user.password ? await verifyPassword(user.password.hash, input.password) : false;
  if (!ok) {
    await Promise.all([
      limiterFor(SIGN_IN_LIMITS.address).hit(input.ip),
      limiterFor(SIGN_IN_LIMITS.pair).hit(`${key}|${input.ip}`),
    ]);
    return { ok: false, error: "auth.errors.wrongCredentials" };
  }
  // Spend the token first: of two concurrent uses only one updates a row.
  const spent = await db().accountUnlockToken.updateMany({
    where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (spent.count !== 1) return { ok: false, error: "auth.errors.unlockInvalid" };
  const keys = [user.phone, user.email].filter((k): k is string => Boolean(k));
  await Promise.all(keys.map((k) => limiterFor(SIGN_IN_LIMITS.account).clear(k)));
  await limiterFor(SIGN_IN_LIMITS.pair).clear(`${key}|${input.ip}`);
  await recordSecurityEvent({ type: "unlock", userId: user.id, ip: input.ip });
  return { ok: true, userId: user.id };
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
export async function resetPassword(
  token: string,
  password: string,
): Promise<{ ok: true; userId: string } | { ok: false }> {
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
