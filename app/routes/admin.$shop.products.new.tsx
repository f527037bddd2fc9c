import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { KindPicker } from "~/components/catalog/kind-picker";
import { ProductForm } from "~/components/catalog/product-form";
import { getFixedT } from "~/lib/i18n.server";
import { createProduct } from "~/modules/catalog/admin-products.server";
import { isProductKind, productFormSchema } from "~/modules/catalog/product-schema";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { readForm } from "~/lib/request-bounds.server";

// /admin/:shop/products/new?kind=PRODUCE|SPECIALTY|EXPERIENCE: without a kind, the kind picker.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireShopAccess(request, params.shop, "catalog:edit");
  const { t } = await getFixedT(request);
  const kind = new URL(request.url).searchParams.get("kind");
  return {
    title: t("catalog.new.title"),
    shopSlug: access.shop.slug,
    kind: isProductKind(kind) ? kind : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const access = await requireShopAccess(request, params.shop, "catalog:edit");
  const submission = parseWithZod(formData, { schema: productFormSchema });
  if (submission.status !== "success") return data({ form: "product", result: submission.reply() }, { status: 400 });
  const outcome = await createProduct({ shopId: access.shop.id, form: submission.value });
  if (!outcome.ok) {
    const fieldErrors = "field" in outcome ? { [outcome.field]: [outcome.error] } : { "": ["catalog.errors.notFound"] };
    return data({ form: "product", result: submission.reply({ fieldErrors }) }, { status: 400 });
  }
  return redirect(`/admin/${access.shop.slug}/products/${outcome.productId}?saved=created`);
}

export default function NewProduct() {
  const { t } = useTranslation();
  const { shopSlug, kind } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="flex flex-col gap-4">
      <nav className="text-sm">
        <Link to={`/admin/${shopSlug}/products`} className="text-stone-600 underline underline-offset-4">
          ← {t("catalog.backToList")}
        </Link>
      </nav>
      <h1 className="text-2xl font-bold">
        {kind ? t("catalog.new.titleKind", { kind: t(`kind.${kind}`) }) : t("catalog.new.title")}
      </h1>
      {kind ? (
        <ProductForm
          key={kind}
          kind={kind}
          defaultValue={{ status: "DRAFT" }}
          reply={actionData}
          submitLabel={t("catalog.new.submit")}
          slugPrefix={`/s/${shopSlug}/p/`}
        />
      ) : (
        <>
          <p className="text-stone-700">{t("catalog.kindPicker.prompt")}</p>
          <KindPicker shopSlug={shopSlug} />
        </>
      )}
    </div>
  );
}
