import { db, unscopedDb } from "~/db/index.server";
import { signUp } from "~/modules/identity/accounts.server";
import { csrfCookie, sessionCookie } from "~/modules/identity/cookies.server";
import { sealSecret } from "~/modules/identity/secret-box.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { newTotpSecret } from "~/modules/identity/totp";

// Signed-in requests for integration tests: real users, real sessions, real CSRF tokens.

let serial = 0;
export const TEST_PASSWORD = "correct horse battery";

export async function createUser(options: { name?: string; isPlatformAdmin?: boolean } = {}) {
  const n = `${Date.now() % 1e6}${++serial}`.padStart(8, "0").slice(-8);
  const phone = `139${n}`;
  const result = await signUp({
    identifier: phone,
    password: TEST_PASSWORD,
    name: options.name ?? `用户${n}`,
    locale: "zh-CN",
  });
  if (!result.ok) throw new Error(`could not create test user: ${result.error}`);
  if (!options.isPlatformAdmin) return { id: result.userId, phone, totpSecret: null };
  // Platform admins must have two-step verification: test admins get it set up already.
  await db().user.update({ where: { id: result.userId }, data: { isPlatformAdmin: true } });
  return { id: result.userId, phone, totpSecret: await enableTwoFactor(result.userId) };
}

/** Turns two-step verification on for the user, as a finished enrolment would; returns the secret. */
export async function enableTwoFactor(userId: string): Promise<string> {
  const secret = newTotpSecret();
  await db().twoFactor.create({ data: { userId, secret: sealSecret(secret), enabledAt: new Date() } });
  return secret;
}

/** Makes `userId` a member of the shop with the given role. */
export async function addMember(shopId: string, userId: string, role: "OWNER" | "STAFF") {
  await db().membership.create({ data: { shopId, userId, role } });
}

export async function shopIdOf(slug: string) {
  return (await unscopedDb().shop.findUniqueOrThrow({ where: { slug } })).id;
}

/**
 * Cookie header of a fresh session for the user, plus a CSRF token for forms. The session
 * proved the second factor at `secondFactorAt` (just now by default, as a sign-in with two-step
 * verification does; null for a session that never did).
 */
export async function signedIn(userId: string, options: { secondFactorAt?: Date | null } = {}) {
  const token = newToken();
  const secondFactorAt = options.secondFactorAt === undefined ? new Date() : options.secondFactorAt;
  await db().session.create({
    data: { id: hashToken(token), userId, expiresAt: new Date(Date.now() + 86_400_000), secondFactorAt },
  });
  const csrf = newToken();
  const cookie = [
    (await sessionCookie.serialize(token)).split(";")[0],
    (await csrfCookie.serialize(csrf)).split(";")[0],
  ].join("; ");
  return { cookie, csrf };
}

export type Session = Awaited<ReturnType<typeof signedIn>>;

/** A GET as the signed-in user. */
export function getAs(session: Session | null, url: string) {
  return new Request(url, { headers: session ? { Cookie: session.cookie } : {} });
}

/** A form POST as the signed-in user, with the CSRF token unless told otherwise. */
export function postAs(
  session: Session | null,
  url: string,
  fields: Record<string, string | string[] | Blob>,
  options: { csrf?: boolean } = {},
) {
  const form = new FormData();
  if (session && options.csrf !== false) form.set("csrf", session.csrf);
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) value.forEach((v) => form.append(key, v));
    else form.set(key, value);
  }
  return new Request(url, { method: "POST", body: form, headers: session ? { Cookie: session.cookie } : {} });
}

type RouteFn = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<unknown>;

/**
 * Runs a loader or action; returns the status and the data (or thrown Response).
 * Redirects come back as { status: 302, location }.
 */
export async function run(fn: RouteFn, request: Request, params: Record<string, string> = {}) {
  try {
    const result = await fn({ request, params, context: {} });
    if (result instanceof Response)
      return {
        status: result.status,
        location: result.headers.get("Location"),
        headers: result.headers,
        data: undefined,
      };
    const maybe = result as { type?: string; data?: unknown; init?: { status?: number } } | undefined;
    if (maybe && maybe.type === "DataWithResponseInit")
      return { status: maybe.init?.status ?? 200, data: maybe.data as never, location: null, headers: null };
    return { status: 200, data: result as never, location: null, headers: null };
  } catch (thrown) {
    if (thrown instanceof Response)
      return {
        status: thrown.status,
        location: thrown.headers.get("Location"),
        headers: thrown.headers,
        data: undefined,
      };
    throw thrown;
  }
}
