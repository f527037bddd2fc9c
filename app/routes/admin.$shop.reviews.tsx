import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormError } from "~/components/forms";
import { Pagination } from "~/components/pagination";
import { Stars } from "~/components/reviews/rating";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { formatDateTime } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { can } from "~/modules/identity/permissions";
import { MAX_REPLY_TEXT } from "~/modules/reviews/review-display";
import { replySchema } from "~/modules/reviews/review-schema";
import { listShopReviews, replyToReview } from "~/modules/reviews/reviews.server";

// The cooperative's reviews (issue #13 §2): every review of its products, newest first, and
// one reply to each published one. Only this shop's reviews, for its own members.

function pageOf(request: Request) {
  const n = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, role } = await requireShopAccess(request, params.shop, "shop:view");
  const { t, lng } = await getFixedT(request);
  const page = pageOf(request);
  const list = await listShopReviews({ shopId: shop.id, page, lng });
  return { title: t("reviews.admin.title"), page, canReply: can(role, "reviews:reply"), ...list };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { shop } = await requireShopAccess(request, params.shop, "reviews:reply");
  const parsed = replySchema.safeParse({
    intent: formData.get("intent"),
    reviewId: formData.get("reviewId"),
    reply: formData.get("reply") ?? undefined,
  });
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors;
    const reviewId = String(formData.get("reviewId") ?? "");
    return data({ reviewId, error: fields.reply?.[0] ?? "reviews.errors.invalid" }, { status: 400 });
  }
  const { reviewId, reply } = parsed.data;
  if (!(await replyToReview({ shopId: shop.id, reviewId, reply }))) {
    return data({ reviewId, error: "reviews.errors.cannotReply" }, { status: 409 });
  }
  const page = pageOf(request);
  return redirect(
    `/admin/${shop.slug}/reviews?${new URLSearchParams({ ...(page > 1 ? { page: String(page) } : {}), replied: "1" })}#review-${reviewId}`,
  );
}

export default function ShopReviews() {
  const { t, i18n } = useTranslation();
  const { reviews, page, pageCount, canReply } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("reviews.admin.title")}</h1>
      {params.get("replied") === "1" && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("reviews.admin.replied")}
        </p>
      ) : null}
      {reviews.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("reviews.admin.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {reviews.map((review) => (
            <li
              key={review.id}
              id={`review-${review.id}`}
              className="rounded-xl bg-white p-3 ring-1 ring-stone-200"
              data-testid="admin-review"
            >
              <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
                <span className="font-medium">{review.product.title}</span>
                <span className="text-xs text-stone-600">
                  {review.authorName} · {formatDateTime(review.createdAt, i18n.language)} ·{" "}
                  {t(`reviews.admin.status.${review.status}`)}
                </span>
              </div>
              <Stars value={review.stars} />
              <p className="mt-1 whitespace-pre-line break-words">{review.text}</p>
              {review.reply ? (
                <div className="mt-2 rounded-lg bg-stone-50 p-2 text-sm" data-testid="admin-reply">
                  <p className="font-medium text-stone-700">{t("reviews.reply")}</p>
                  <p className="whitespace-pre-line break-words">{review.reply}</p>
                </div>
              ) : canReply && review.status === "PUBLISHED" ? (
                <Form method="post" className="mt-2 flex flex-col gap-2">
                  <CsrfInput />
                  <input type="hidden" name="reviewId" value={review.id} />
                  <label htmlFor={`reply-${review.id}`} className="text-sm font-medium">
                    {t("reviews.admin.replyLabel")}
                  </label>
                  <textarea
                    id={`reply-${review.id}`}
                    name="reply"
                    rows={3}
                    maxLength={MAX_REPLY_TEXT}
                    required
                    className="w-full rounded-lg border border-stone-300 px-3 py-2 text-base"
                  />
                  {actionData?.reviewId === review.id ? <FormError errors={[actionData.error]} /> : null}
                  <div>
                    <button
                      type="submit"
                      name="intent"
                      value="reply"
                      className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white"
                    >
                      {t("reviews.admin.replySubmit")}
                    </button>
                  </div>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} hrefOf={(n) => (n === 1 ? "?" : `?page=${n}`)} />
    </div>
  );
}
