import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminLayout } from "~/components/admin-layout";
import { ShopProfileForm } from "~/components/shop-profile-form";
import { getFixedT } from "~/lib/i18n.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { listCounties } from "~/modules/platform/counties.server";
import { createShopSchema } from "~/modules/shops/profile-schema";
import { createShop } from "~/modules/shops/profile.server";
import type { loader as adminLoader } from "./admin";
import { readForm } from "~/lib/request-bounds.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t, lng } = await getFixedT(request);
  const counties = await listCounties(lng);
  return { title: t("shopsetup.new.title"), counties: counties.map((c) => ({ id: c.id, label: c.label })) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requireUser(request);
  const submission = parseWithZod(formData, { schema: createShopSchema });
  // An intent (add or remove a certification row without JS) is answered with the form redrawn.
  if (submission.status !== "success")
    return data(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  const { slug, ...profile } = submission.value;
  const result = await createShop({ userId: user.id, profile, slug });
  if (!result.ok)
    return data(submission.reply({ fieldErrors: result.fieldErrors as Record<string, string[]> }), { status: 400 });
  return redirect(`/admin/${result.slug}?created=1`);
}

export default function NewShop() {
  const { t } = useTranslation();
  const { counties } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { user } = useRouteLoaderData<typeof adminLoader>("routes/admin")!;
  return (
    <AdminLayout userName={user.name}>
      <p className="mb-2 text-sm">
        <Link to="/admin" className="text-leaf underline underline-offset-4">
          {t("shopsetup.new.back")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t("shopsetup.new.title")}</h1>
      <p className="mt-1 mb-5 text-stone-700">{t("shopsetup.new.intro")}</p>
      <ShopProfileForm
        mode="create"
        counties={counties}
        defaultValue={{ certifications: [{}] }}
        lastResult={lastResult}
        submitLabel={t("shopsetup.new.submit")}
        pending={navigation.state === "submitting" && navigation.formAction === "/admin/new"}
      />
    </AdminLayout>
  );
}
