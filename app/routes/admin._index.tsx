import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { getFixedT } from "~/lib/i18n.server";
import { pick } from "~/lib/i18n";
import { listMyShops } from "~/modules/identity/my-shops.cross-shop.server";
import { requireUser } from "~/modules/identity/session.server";
import { countiesOf } from "~/modules/platform/coordinators.server";
import type { loader as adminLoader } from "./admin";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t, lng } = await getFixedT(request);
  const [mine, counties] = await Promise.all([listMyShops(user.id), countiesOf(user.id)]);
  const name = (s: { nameZh: string; nameEn: string }) => pick(lng, s.nameZh, s.nameEn);
  return {
    title: t("admin.title"),
    shops: mine.memberships.map((s) => ({ slug: s.slug, name: name(s), status: s.status, role: s.role })),
    coordinated: mine.coordinated.map((s) => ({ slug: s.slug, name: name(s), status: s.status, role: s.role })),
    coordinatesCounty: counties.length > 0,
    passwordReset: new URL(request.url).searchParams.get("reset") === "1",
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function AdminHome() {
  const { t } = useTranslation();
  const { shops, coordinated, coordinatesCounty, passwordReset } = useLoaderData<typeof loader>();
  const { user } = useRouteLoaderData<typeof adminLoader>("routes/admin")!;
  return (
    <AdminLayout userName={user.name}>
      {passwordReset ? (
        <p role="status" className="mb-4 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("auth.resetDone")}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t("admin.myShops")}</h1>
        <Link to="/admin/new" className="inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-semibold text-white">
          {t("admin.createShop")}
        </Link>
      </div>
      {shops.length === 0 ? (
        <div className="mt-6 rounded-2xl bg-white p-6 ring-1 ring-stone-200" data-testid="no-shops">
          <p className="font-medium">{t("admin.noShopsTitle")}</p>
          <p className="mt-1 text-stone-600">{t("admin.noShopsText")}</p>
        </div>
      ) : (
        <ul className="mt-4 grid gap-3 sm:grid-cols-2">
          {shops.map((shop) => (
            <li key={shop.slug}>
              <Link to={`/admin/${shop.slug}`} className="block rounded-2xl bg-white p-4 ring-1 ring-stone-200 hover:ring-leaf">
                <span className="block text-lg font-semibold">{shop.name}</span>
                <span className="mt-1 flex gap-2 text-sm text-stone-600">
                  <span>{t(`admin.status.${shop.status}`)}</span>·<span>{t(`admin.role.${shop.role}`)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {coordinated.length ? (
        <section className="mt-8">
          <h2 className="text-lg font-semibold">{t("admin.countyShops")}</h2>
          <ul className="mt-2 grid gap-2 sm:grid-cols-2">
            {coordinated.map((shop) => (
              <li key={shop.slug}>
                <Link to={`/admin/${shop.slug}`} className="block rounded-xl bg-white p-3 ring-1 ring-stone-200">
                  {shop.name} <span className="text-sm text-stone-600">· {t(`admin.status.${shop.status}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {coordinatesCounty ? (
        <p className="mt-8">
          <Link to="/county" className="text-leaf underline" data-testid="county-link">
            {t("coordinators.mine.link")}
          </Link>
        </p>
      ) : null}
      {user.isPlatformAdmin ? (
        <p className="mt-8">
          <Link to="/platform" className="text-leaf underline">
            {t("admin.platformLink")}
          </Link>
        </p>
      ) : null}
    </AdminLayout>
  );
}
