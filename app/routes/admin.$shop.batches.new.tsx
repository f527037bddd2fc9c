import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BatchForm } from "~/components/batch-form";
import { getFixedT } from "~/lib/i18n.server";
import { shanghaiToday } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { batchSchema } from "~/modules/trace/batch-schema";
import { listLinkableProducts, newBatchDefaults, saveBatch } from "~/modules/trace/batches.server";
import { readForm } from "~/lib/request-bounds.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "batches:edit");
  const { t, lng } = await getFixedT(request);
  return {
    title: t("batches.newTitle"),
    shopSlug: access.shop.slug,
    defaults: await newBatchDefaults({ shopId: access.shop.id, today: shanghaiToday() }),
    products: await listLinkableProducts({ shopId: access.shop.id, lng }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const access = await requireShopAccess(request, params.shop, "batches:edit");
  const submission = parseWithZod(formData, { schema: batchSchema });
  // An intent (such as "add a row") is not an error: it only re-renders the form.
  if (submission.status !== "success")
    return data(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  const saved = await saveBatch({ shopId: access.shop.id, values: submission.value });
  if (!saved.ok)
    return data(submission.reply({ fieldErrors: { [saved.field ?? ""]: [saved.error ?? ""] } }), {
      status: saved.status,
    });
  return redirect(`/admin/${access.shop.slug}/batches/${saved.batchId}?saved=1`);
}

export default function NewBatch() {
  const { t } = useTranslation();
  const { shopSlug, defaults, products } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <nav className="mb-2 text-sm">
        <Link to={`/admin/${shopSlug}/batches`} className="text-stone-600 underline underline-offset-4">
          {t("batches.backToList")}
        </Link>
      </nav>
      <h1 className="mb-4 text-2xl font-bold">{t("batches.newTitle")}</h1>
      <BatchForm
        defaults={defaults}
        products={products}
        lastResult={lastResult}
        canEdit
        submitLabel={t("batches.create")}
      />
    </>
  );
}
