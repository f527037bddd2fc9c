import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BatchForm } from "~/components/batch-form";
import { groupedCode } from "~/components/trace-label";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { can } from "~/modules/identity/permissions";
import { batchSchema } from "~/modules/trace/batch-schema";
import { getBatchForEdit, listLinkableProducts, saveBatch } from "~/modules/trace/batches.server";
import { readForm } from "~/lib/request-bounds.server";

function notFound(): never {
  throw new Response(null, { status: 404, statusText: "Not Found" });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const batch = await getBatchForEdit({ shopId: access.shop.id, batchId: params.batch ?? "" });
  if (!batch) notFound();
  return {
    title: t("batches.editTitle", { code: batch.traceCode }),
    shop: { slug: access.shop.slug, live: access.shop.status === "LIVE" },
    canEdit: can(access.role, "batches:edit"),
    saved: new URL(request.url).searchParams.get("saved") === "1",
    batch,
    products: await listLinkableProducts({ shopId: access.shop.id, lng, linked: batch.values.products }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const access = await requireShopAccess(request, params.shop, "batches:edit");
  const batchId = params.batch ?? "";
  const submission = parseWithZod(formData, { schema: batchSchema });
  if (submission.status !== "success") {
    // Refuse to say anything about an id that is not this shop's, even on bad input.
    if (!(await getBatchForEdit({ shopId: access.shop.id, batchId }))) notFound();
    return data(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const saved = await saveBatch({ shopId: access.shop.id, batchId, values: submission.value });
  if (!saved.ok) {
    if (saved.status === 404) notFound();
    return data(submission.reply({ fieldErrors: { [saved.field ?? ""]: [saved.error ?? ""] } }), {
      status: saved.status,
    });
  }
  return redirect(`/admin/${access.shop.slug}/batches/${saved.batchId}?saved=1`);
}

export default function EditBatch() {
  const { t, i18n } = useTranslation();
  const { shop, canEdit, saved, batch, products } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const base = `/admin/${shop.slug}/batches/${batch.id}`;
  const linkButton =
    "inline-flex min-h-11 items-center rounded-full border border-leaf px-4 text-sm font-medium text-leaf";
  return (
    <>
      <nav className="mb-2 text-sm">
        <Link to={`/admin/${shop.slug}/batches`} className="text-stone-600 underline underline-offset-4">
          {t("batches.backToList")}
        </Link>
      </nav>
      <h1 className="text-2xl font-bold">
        {pick(i18n.language, batch.values.productNameZh ?? "", batch.values.productNameEn)}
      </h1>
      {saved && !lastResult ? (
        <p role="status" className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("batches.saved")}
        </p>
      ) : null}

      <section className="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
        <p className="text-sm text-stone-600">{t("batches.traceCode")}</p>
        <p className="font-mono text-2xl font-bold tracking-wide" data-testid="trace-code">
          {groupedCode(batch.traceCode)}
        </p>
        <p className="mt-1 text-xs text-stone-600">{t("batches.traceCodeHint")}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Link to={`${base}/labels`} className={linkButton}>
            {t("batches.labels")}
          </Link>
          <Link to={`${base}/labels?single=1`} className={linkButton}>
            {t("batches.singleLabel")}
          </Link>
          <a href={`${base}/qr.svg`} download className={linkButton}>
            {t("batches.downloadQr")}
          </a>
          {shop.live ? (
            <a href={`/t/${batch.traceCode}`} target="_blank" rel="noreferrer" className={linkButton}>
              {t("batches.publicPage")}
            </a>
          ) : null}
        </div>
        {shop.live ? null : <p className="mt-2 text-sm text-amber-900">{t("batches.notPublicYet")}</p>}
      </section>

      {canEdit ? null : (
        <p className="mt-4 rounded-lg bg-stone-100 px-3 py-2 text-stone-700">{t("batches.readOnly")}</p>
      )}
      <div className="mt-5">
        <BatchForm
          key={JSON.stringify(batch.values)}
          defaults={batch.values}
          products={products}
          lastResult={lastResult}
          canEdit={canEdit}
          submitLabel={t("batches.save")}
        />
      </div>
    </>
  );
}
