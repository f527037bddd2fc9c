import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ShopProfileForm } from "~/components/shop-profile-form";
import { getFixedT } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { listCounties } from "~/modules/platform/counties.server";
import { shopProfileSchema } from "~/modules/shops/profile-schema";
import { getShopProfile, updateShopProfile } from "~/modules/shops/profile.server";
import { readForm } from "~/lib/request-bounds.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopAccess(request, params.shop, "shop:edit");
  const { t, lng } = await getFixedT(request);
  const [profile, counties] = await Promise.all([getShopProfile(shop.id), listCounties(lng)]);
  return {
    title: t("shopsetup.settings.title"),
    profile,
    counties: counties.map((c) => ({ id: c.id, label: c.label })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { shop } = await requireShopAccess(request, params.shop, "shop:edit");
  const submission = parseWithZod(formData, { schema: shopProfileSchema });
  // An intent (add or remove a certification row without JS) is answered with the form redrawn.
  if (submission.status !== "success")
    return data(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  const result = await updateShopProfile({ shopId: shop.id, profile: submission.value });
  if (!result.ok)
    return data(submission.reply({ fieldErrors: result.fieldErrors as Record<string, string[]> }), { status: 400 });
  return redirect(`/admin/${shop.slug}/settings?saved=1`);
}

export default function ShopSettings() {
  const { t } = useTranslation();
  const { profile, counties } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("shopsetup.settings.title")}</h1>
      <p className="text-stone-700">{t("shopsetup.settings.intro", { slug: profile.slug })}</p>
      {params.get("saved") === "1" && !lastResult ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("shopsetup.settings.saved")}
        </p>
      ) : null}
      <ShopProfileForm
        // A fresh form after each save, so new certification rows pick up their ids.
        key={profile.updatedAt}
        mode="edit"
        counties={counties}
        defaultValue={profile.values}
        lastResult={lastResult}
        submitLabel={t("shopsetup.settings.save")}
        pending={navigation.state === "submitting"}
      />
    </div>
  );
}
