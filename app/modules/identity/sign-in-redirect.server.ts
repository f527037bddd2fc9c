import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/lib/safe-redirect";
import { mergeGuestCart } from "~/modules/cart/cart.cross-shop.server";
import { startPendingSignIn } from "./pending-sign-in.server";
import { startSession } from "./session.server";
import { hasTwoFactor } from "./two-factor.server";

/**
 * After a right password (sign-in, an unlock link, a password reset): for an account with
 * two-step verification, the way to the code step (a short pending sign-in, no session);
 * null when a session may start now. Every path that proves the password goes through it.
 */
export async function secondFactorStep(
  request: Request,
  userId: string,
  redirectTo: string | undefined,
): Promise<Response | null> {
  if (!(await hasTwoFactor(userId))) return null;
  const cookie = await startPendingSignIn(request, userId, redirectTo);
  return redirect("/login/two-factor", { headers: { "Set-Cookie": cookie } });
}

/**
 * The answer to a successful sign-in or sign-up: a fresh session, the guest cart joined
 * to the buyer's own (its cookie cleared), and a redirect to where they were going.
 */
export async function signedInRedirect(
  request: Request,
  userId: string,
  redirectTo: string | undefined,
  options: { secondFactorAt?: Date; headers?: string[] } = {},
) {
  const to = safeRedirect(redirectTo);
  const headers = new Headers({ "Set-Cookie": await startSession(request, userId, options) });
  for (const cookie of options.headers ?? []) headers.append("Set-Cookie", cookie);
  const clearGuestCart = await mergeGuestCart(request, userId);
  if (clearGuestCart) headers.append("Set-Cookie", clearGuestCart);
  return redirect(to, { headers });
}
