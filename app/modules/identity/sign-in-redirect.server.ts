import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/lib/safe-redirect";
import { mergeGuestCart } from "~/modules/cart/cart.cross-shop.server";
import { startSession } from "./session.server";

/**
 * The answer to a successful sign-in or sign-up: a fresh session, the guest cart joined
 * to the buyer's own (its cookie cleared), and a redirect to where they were going.
 */
export async function signedInRedirect(request: Request, userId: string, redirectTo: string | undefined) {
  const to = safeRedirect(redirectTo);
  const headers = new Headers({ "Set-Cookie": await startSession(request, userId) });
  const clearGuestCart = await mergeGuestCart(request, userId);
  if (clearGuestCart) headers.append("Set-Cookie", clearGuestCart);
  return redirect(to, { headers });
}
