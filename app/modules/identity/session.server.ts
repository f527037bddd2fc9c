import { redirect } from "@remix-run/node";
import { db } from "~/db/index.server";
import { clientAddress } from "~/lib/client-address.server";
import { serializeFor, sessionCookie } from "./cookies.server";
import { hashToken, newToken } from "./tokens.server";

const SESSION_DAYS = 30;

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

/** The signed-in user's id, or null. Expired sessions count as none. */
export async function getUserId(request: Request): Promise<string | null> {
  const token = await readToken(request);
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { id: hashToken(token) },
    select: { userId: true, expiresAt: true },
  });
  if (!session || session.expiresAt <= new Date()) return null;
  return session.userId;
}

export async function getUser(request: Request) {
  const userId = await getUserId(request);
  if (!userId) return null;
  return db().user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, phone: true, isPlatformAdmin: true, locale: true },
  });
}

export type SignedInUser = NonNullable<Awaited<ReturnType<typeof getUser>>>;

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

/** The signed-in user, or a redirect to /login that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SignedInUser> {
  const user = await getUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/** This browser's session row (its id is the token's hash), or null. */
export async function currentSession(request: Request) {
  const token = await readToken(request);
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { id: hashToken(token) },
    select: { id: true, userId: true, expiresAt: true, secondFactorAt: true },
  });
  return session && session.expiresAt > new Date() ? session : null;
}

/** Records that this session proved the second factor just now (sign-in, re-authentication). */
export async function markSecondFactor(request: Request, at = new Date()): Promise<void> {
  const token = await readToken(request);
  if (token) await db().session.updateMany({ where: { id: hashToken(token) }, data: { secondFactorAt: at } });
}

function backTo(request: Request) {
  const url = new URL(request.url);
  return encodeURIComponent(`${url.pathname}${url.search}`);
}

/**
 * A platform admin, signed in with two factors. One without two-factor is sent to set it up
 * first (then comes back); a session that never proved it is asked for a code.
 */
export async function requirePlatformAdmin(request: Request): Promise<SignedInUser> {
  const user = await requireUser(request);
  if (!user.isPlatformAdmin) throw new Response(null, { status: 403, statusText: "Forbidden" });
  const [twoFactor, session] = await Promise.all([
    db().twoFactor.findUnique({ where: { userId: user.id }, select: { enabledAt: true } }),
    currentSession(request),
  ]);
  if (!twoFactor?.enabledAt) throw redirect(`/account/two-factor?required=platform&redirectTo=${backTo(request)}`);
  if (!session?.secondFactorAt) throw redirect(`/reauthenticate?redirectTo=${backTo(request)}`);
  return user;
}

/**
 * Starts a fresh session (a new id at every sign-in, so a planted cookie is worthless)
 * and ends the one the browser had. Returns the Set-Cookie header.
 */
export async function startSession(
  request: Request,
  userId: string,
  options: { secondFactorAt?: Date } = {},
): Promise<string> {
  const previous = await readToken(request);
  if (previous) await db().session.deleteMany({ where: { id: hashToken(previous) } });
  const token = newToken();
  await db().session.create({
    data: {
      id: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
      userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
      ip: clientIp(request),
      secondFactorAt: options.secondFactorAt ?? null,
    },
  });
  return serializeFor(request, sessionCookie, token, SESSION_DAYS * 86_400);
}

/** Ends this browser's session. Returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token) await db().session.deleteMany({ where: { id: hashToken(token) } });
  return serializeFor(request, sessionCookie, "", 0);
}

/** Signs the user out on every device. */
export async function endAllSessions(userId: string): Promise<number> {
  return (await db().session.deleteMany({ where: { userId } })).count;
}

export async function listSessions(userId: string, request: Request) {
  const token = await readToken(request);
  const current = token ? hashToken(token) : null;
  const sessions = await db().session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, userAgent: true, ip: true },
  });
  return sessions.map(({ id, ...rest }) => ({ ...rest, current: id === current }));
}

/** The client's address as TRUST_PROXY allows it to be known (see ~/lib/client-address.server). */
export function clientIp(request: Request): string {
  return clientAddress(request);
}
