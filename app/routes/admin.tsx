import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireUser } from "~/modules/identity/session.server";

// Everything under /admin needs a signed-in user; signed-out visits go to /login and back.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { id: user.id, name: user.name ?? user.phone ?? user.email ?? "", isPlatformAdmin: user.isPlatformAdmin } };
}

export default function AdminRoot() {
  return <Outlet />;
}
