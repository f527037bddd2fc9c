import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { requireUser } from "~/modules/identity/session.server";
import { loadStaffMessages } from "~/lib/i18n-client";

// Everything under /admin needs a signed-in user; signed-out visits go to /login and back.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { id: user.id, name: user.name ?? user.phone ?? user.email ?? "", isPlatformAdmin: user.isPlatformAdmin } };
}

// In the browser, the staff's texts are fetched beside the data on the way in (app/lib/i18n-client.ts).
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export default function AdminRoot() {
  return <Outlet />;
}
