import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { endAllSessions, endSession, getUserId } from "~/modules/identity/session.server";
import { readForm } from "~/lib/request-bounds.server";

// POST only: signing out changes state. `everywhere=1` ends every session of the user.
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const userId = await getUserId(request);
  if (userId && formData.get("everywhere") === "1") await endAllSessions(userId);
  const cookie = await endSession(request);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
