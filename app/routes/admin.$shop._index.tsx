import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { can } from "~/modules/identity/permissions";
import { getShopReviewState, submitForReview, type SubmissionChecklist } from "~/modules/shops/review.server";
import { readForm } from "~/lib/request-bounds.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, role } = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const state = await getShopReviewState(shop.id);
  return {
    title: t("shopsetup.overview.title"),
    lng,
    slug: shop.slug,
    status: state.status,
    reviewNote: state.reviewNote,
    submittedAt: state.submittedAt?.toISOString() ?? null,
    approvedAt: state.approvedAt?.toISOString() ?? null,
    checklist: state.checklist,
    ready: state.ready,
    canSubmit: can(role, "shop:submit"),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { shop } = await requireShopAccess(request, params.shop, "shop:submit");
  const result = await submitForReview(shop.id);
  if (!result.ok) return data({ error: result.error }, { status: 400 });
  return redirect(`/admin/${shop.slug}?submitted=1`);
}

const CHECKLIST: { key: keyof SubmissionChecklist; fix: string }[] = [
  { key: "creditCode", fix: "settings" },
  { key: "logo", fix: "branding" },
  { key: "productWithPhoto", fix: "products" },
];

export default function ShopOverview() {
  const { t } = useTranslation();
  const shop = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const base = `/admin/${shop.slug}`;
  const noticeKey = ["created", "submitted", "joined"].find((key) => params.get(key) === "1");

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("shopsetup.overview.title")}</h1>
      {noticeKey && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`shopsetup.overview.notice.${noticeKey}`)}
        </p>
      ) : null}

      <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="status-heading">
        <h2 id="status-heading" className="text-sm font-medium text-stone-600">
          {t("shopsetup.overview.statusLabel")}
        </h2>
        <p className="mt-1 text-xl font-semibold" data-testid="shop-status">
          {t(`admin.status.${shop.status}`)}
        </p>
        <p className="mt-1 text-stone-700">{t(`shopsetup.overview.statusMeaning.${shop.status}`)}</p>
        {shop.status === "SUBMITTED" && shop.submittedAt ? (
          <p className="mt-1 text-sm text-stone-600">
            {t("shopsetup.overview.submittedAt", { when: formatDateTime(shop.submittedAt, shop.lng) })}
          </p>
        ) : null}
        {shop.status === "LIVE" ? (
          <p className="mt-3">
            <Link
              to={`/s/${shop.slug}`}
              className="inline-flex min-h-11 items-center rounded-full bg-leaf px-5 font-semibold text-white"
            >
              {t("shopsetup.overview.viewStorefront")}
            </Link>
          </p>
        ) : null}
      </section>

      {shop.status === "DRAFT" && shop.reviewNote ? (
        <section role="note" className="rounded-2xl bg-amber-50 p-4 text-amber-950 ring-1 ring-amber-200">
          <h2 className="font-semibold">{t("shopsetup.overview.reviewNoteTitle")}</h2>
          <p className="mt-1 whitespace-pre-line">{shop.reviewNote}</p>
          <p className="mt-2 text-sm">{t("shopsetup.overview.reviewNoteHelp")}</p>
        </section>
      ) : null}

      {shop.status === "DRAFT" ? (
        <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="checklist-heading">
          <h2 id="checklist-heading" className="text-lg font-semibold">
            {t("shopsetup.overview.checklistTitle")}
          </h2>
          <p className="mt-1 text-sm text-stone-600">{t("shopsetup.overview.checklistIntro")}</p>
          <ul className="mt-3 flex flex-col gap-2">
            {CHECKLIST.map(({ key, fix }) => {
              const done = shop.checklist[key];
              return (
                <li key={key} className="flex items-start gap-3" data-testid={`check-${key}`} data-done={done}>
                  <span
                    aria-hidden="true"
                    className={`mt-0.5 inline-flex size-6 shrink-0 items-center justify-center rounded-full text-sm font-bold ${
                      done ? "bg-emerald-100 text-emerald-800" : "bg-stone-100 text-stone-500"
                    }`}
                  >
                    {done ? "✓" : "·"}
                  </span>
                  <span className="flex-1">
                    <span className="sr-only">
                      {done ? t("shopsetup.overview.done") : t("shopsetup.overview.todo")}:{" "}
                    </span>
                    {t(`shopsetup.overview.check.${key}`)}
                    {!done ? (
                      <>
                        {" "}
                        <Link
                          to={`${base}/${fix}`}
                          className="whitespace-nowrap text-leaf underline underline-offset-4"
                        >
                          {t(`shopsetup.overview.fix.${key}`)}
                        </Link>
                      </>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ul>
          {shop.canSubmit ? (
            <Form method="post" className="mt-4 flex flex-col gap-3">
              <CsrfInput />
              <FormError errors={actionData?.error ? [actionData.error] : undefined} />
              {!shop.ready ? <p className="text-sm text-stone-600">{t("shopsetup.overview.notReady")}</p> : null}
              <SubmitButton pending={navigation.state === "submitting"}>{t("shopsetup.overview.submit")}</SubmitButton>
            </Form>
          ) : (
            <p className="mt-4 text-sm text-stone-600">{t("shopsetup.overview.ownerSubmits")}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
