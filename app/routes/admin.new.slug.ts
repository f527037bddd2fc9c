import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/identity/session.server";
import { suggestSlug } from "~/modules/shops/slug.server";

// GET /admin/new/slug?zh=…&en=… → { slug }: the free slug the shop's name suggests,
// fetched by the new-shop form as the name is typed (without JS the server fills it on create).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const params = new URL(request.url).searchParams;
  const zh = params.get("zh")?.slice(0, 60) ?? "";
  const en = params.get("en")?.slice(0, 120) ?? "";
  return { slug: await suggestSlug({ zh, en }) };
}
