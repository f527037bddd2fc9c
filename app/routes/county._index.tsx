import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { loadStaffMessages } from "~/lib/i18n-client";
import { getFixedT } from "~/lib/i18n.server";
import { requireCountyAccess } from "~/modules/identity/county-access.server";
import { requireUser } from "~/modules/identity/session.server";
import { countiesOf } from "~/modules/platform/coordinators.server";

// /county: a coordinator of one county goes straight to its pages; of several, picks one here.
// Anyone else gets what requireCountyAccess gives them (403, or 404 for a platform admin).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const counties = await countiesOf(user.id);
  if (counties.length === 0) await requireCountyAccess(request, undefined);
  if (counties.length === 1) throw redirect(`/county/${counties[0]!.code}`);
  const { t } = await getFixedT(request);
  return { title: t("coordinators.mine.title"), counties };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function MyCounties() {
  const { t, i18n } = useTranslation();
  const { counties } = useLoaderData<typeof loader>();
  const en = i18n.language === "en";
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 p-4">
      <h1 className="text-2xl font-bold">{t("coordinators.mine.title")}</h1>
      <p className="text-stone-600">{t("coordinators.mine.intro")}</p>
      <ul className="flex flex-col gap-2">
        {counties.map((county) => (
          <li key={county.code}>
            <Link
              to={`/county/${county.code}`}
              className="block min-h-11 rounded-xl bg-white p-3 font-medium ring-1 ring-stone-200 hover:ring-leaf"
            >
              {en ? county.nameEn : county.nameZh}
              <span className="ml-2 text-sm font-normal text-stone-600">{county.code}</span>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
