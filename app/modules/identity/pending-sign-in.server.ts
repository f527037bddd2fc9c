import { createCookie } from "@remix-run/node";
import { db } from "~/db/index.server";
import { serializeFor } from "./cookies.server";
import { hashToken, newToken } from "./tokens.server";

// Between the password and the second factor: a short-lived pending sign-in, not a session.
// Its cookie only lets the browser try codes for that one account for a few minutes; too many
// wrong codes end it (and the password must be given again).

export const PENDING_MINUTES = 5;
/** Wrong codes one pending sign-in may take before it ends. */
export const PENDING_MAX_FAILURES = 5;

export const pendingCookie = createCookie("sid_pending", { path: "/", httpOnly: true, sameSite: "lax" });

export async function startPendingSignIn(
  request: Request,
  userId: string,
  redirectTo: string | undefined,
): Promise<string> {
  const token = newToken();
  await db().pendingSignIn.create({
    data: {
      id: hashToken(token),
      userId,
      redirectTo: redirectTo?.slice(0, 500) || null,
      expiresAt: new Date(Date.now() + PENDING_MINUTES * 60_000),
    },
  });
  return serializeFor(request, pendingCookie, token, PENDING_MINUTES * 60);
}

async function tokenOf(request: Request): Promise<string | null> {
  const value: unknown = await pendingCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export interface PendingSignIn {
  id: string;
  userId: string;
  redirectTo: string | null;
  failures: number;
}

export async function readPendingSignIn(request: Request): Promise<PendingSignIn | null> {
  const token = await tokenOf(request);
  if (!token) return null;
  const row = await db().pendingSignIn.findUnique({ where: { id: hashToken(token) } });
  if (!row || row.expiresAt <= new Date() || row.failures >= PENDING_MAX_FAILURES) return null;
  return { id: row.id, userId: row.userId, redirectTo: row.redirectTo, failures: row.failures };
}

/** Counts a wrong code; returns whether the pending sign-in is still usable. */
export async function pendingSignInFailed(id: string): Promise<boolean> {
  const row = await db().pendingSignIn.update({
    where: { id },
    data: { failures: { increment: 1 } },
    select: { failures: true },
  });
  if (row.failures < PENDING_MAX_FAILURES) return true;
  await db().pendingSignIn.deleteMany({ where: { id } });
  return false;
}

/** Ends it (used, or abandoned); returns the Set-Cookie header that clears the cookie. */
export async function endPendingSignIn(request: Request, id?: string): Promise<string> {
  await db().pendingSignIn.deleteMany({
    where: { OR: [{ expiresAt: { lt: new Date() } }, ...(id ? [{ id }] : [])] },
  });
  return serializeFor(request, pendingCookie, "", 0);
}
