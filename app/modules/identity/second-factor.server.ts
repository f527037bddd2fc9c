import { redirect } from "@remix-run/node";
import { env } from "~/env.server";
import { currentSession } from "./session.server";
import { hasTwoFactor } from "./two-factor.server";

// Money actions (recording payouts, changing where a cooperative is paid) want two-factor set
// up and a code proven on this session within the last REAUTH_MINUTES. Otherwise the user is
// sent to set it up or to give a code, and comes back to the page afterwards.

function here(request: Request, back?: string) {
  if (back) return encodeURIComponent(back);
  const url = new URL(request.url);
  url.searchParams.delete("index");
  return encodeURIComponent(`${url.pathname}${url.search}`);
}

export async function secondFactorIsFresh(request: Request, now = new Date()): Promise<boolean> {
  const session = await currentSession(request);
  return Boolean(
    session?.secondFactorAt && now.getTime() - session.secondFactorAt.getTime() <= env().REAUTH_MINUTES * 60_000,
  );
}

/** Throws a redirect unless this session proved the second factor recently. `back` is where to return. */
export async function requireFreshSecondFactor(request: Request, userId: string, back?: string): Promise<void> {
  if (!(await hasTwoFactor(userId)))
    throw redirect(`/account/two-factor?required=money&redirectTo=${here(request, back)}`);
  if (!(await secondFactorIsFresh(request))) throw redirect(`/reauthenticate?redirectTo=${here(request, back)}`);
}
