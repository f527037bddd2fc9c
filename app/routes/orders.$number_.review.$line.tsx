import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MarketFrame } from "~/components/market-frame";
import { ReviewForm, type ReviewFormErrors } from "~/components/reviews/review-form";
import { getFixedT } from "~/lib/i18n.server";
import { readPhotoForm, chosenFiles } from "~/modules/media/upload-form.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requireUser } from "~/modules/identity/session.server";
import { reviewableLines, writeReview } from "~/modules/reviews/buyer-reviews.cross-shop.server";
import { writeReviewSchema } from "~/modules/reviews/review-schema";

// The buyer writes a review of one delivered line of their own order (issue #13 §2):
// /orders/<number>/review/<line>. Anyone else, and a line not delivered, gets a 404.

const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };
export const headers = () => PRIVATE;

async function lineOf(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const { lng } = await getFixedT(request);
  const number = params.number ?? "";
  const line = (await reviewableLines({ userId: user.id, orderNumber: number, lng })).find(
    (l) => l.lineId === params.line,
  );
  if (!line) throw new Response(null, { status: 404, statusText: "Not Found", headers: PRIVATE });
  return { user, number, line };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { number, line } = await lineOf(request, params);
  const { t } = await getFixedT(request);
  return data({ title: t("reviews.write.heading"), number, line }, { headers: PRIVATE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function action({ request, params }: ActionFunctionArgs) {
  // Only the buyer's request body is read.
  const { user, number, line } = await lineOf(request, params);
  const { t } = await getFixedT(request);
  const form = await readPhotoForm(request);
  if (!form.ok) {
    return data(
      { errors: { form: t(form.error, form.values ?? {}) } as ReviewFormErrors, values: {} },
      { status: 400 },
    );
  }
  const { formData } = form;
  await requireCsrf(request, formData);
  const values = {
    stars: String(formData.get("stars") ?? ""),
    text: String(formData.get("text") ?? ""),
    anonymous: formData.get("anonymous") !== null,
  };
  const parsed = writeReviewSchema.safeParse({
    lineId: line.lineId,
    stars: formData.get("stars") ?? undefined,
    text: formData.get("text") ?? undefined,
    anonymous: formData.get("anonymous") ?? undefined,
  });
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors;
    const errors: ReviewFormErrors = { stars: fields.stars?.[0], text: fields.text?.[0] };
    if (!errors.stars && !errors.text) errors.form = t("reviews.errors.invalid");
    return data({ errors, values }, { status: 400 });
  }
  const outcome = await writeReview({ userId: user.id, input: parsed.data, photos: chosenFiles(formData, "photos") });
  if (!outcome.ok) {
    return data(
      { errors: { form: t(outcome.error, outcome.values ?? {}) } as ReviewFormErrors, values },
      { status: 400 },
    );
  }
  return redirect(`/orders/${encodeURIComponent(number)}?reviewed=${outcome.held ? "held" : "published"}#reviews`, {
    headers: PRIVATE,
  });
}

export default function WriteReview() {
  const { number, line } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <MarketFrame>
      <div className="mx-auto flex max-w-xl flex-col gap-4 py-4">
        <Link
          to={`/orders/${encodeURIComponent(number)}`}
          className="text-sm text-stone-600 underline underline-offset-4"
        >
          ← {number}
        </Link>
        <h1 className="text-xl font-bold">{t("reviews.write.heading")}</h1>
        <p className="text-stone-700">
          {line.title} · {line.variant}
        </p>
        {line.review ? (
          <p role="status" className="rounded-lg bg-stone-50 px-3 py-2 ring-1 ring-stone-200">
            {t("reviews.errors.alreadyReviewed")}
          </p>
        ) : (
          <ReviewForm lineId={line.lineId} errors={actionData?.errors} values={actionData?.values} />
        )}
      </div>
    </MarketFrame>
  );
}
