import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, FormError } from "~/components/forms";
import { Pagination } from "~/components/pagination";
import { Stars } from "~/components/reviews/rating";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { formatDateTime } from "~/lib/time";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { addBlockedWord, listBlockedWords, removeBlockedWord } from "~/modules/reviews/blocklist.cross-shop.server";
import { hideReview, listForModeration, releaseReview } from "~/modules/reviews/moderation.cross-shop.server";
import { MAX_BLOCKED_WORD, MAX_HIDE_REASON, MODERATION_FILTERS } from "~/modules/reviews/review-display";
import { blocklistSchema, moderateSchema } from "~/modules/reviews/review-schema";

// The platform admin's review moderation (issue #13 §2): held reviews to release or hide,
// published ones to hide (the reason is kept), hidden ones to look back at; and the blocklist
// that holds a review for moderation (add a word, remove one).

const statusParam = z.enum(MODERATION_FILTERS).catch("HELD");

function query(request: Request) {
  const search = new URL(request.url).searchParams;
  const n = Number(search.get("page") ?? "1");
  return {
    status: statusParam.parse(search.get("status") ?? "HELD"),
    page: Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 1,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  const { status, page } = query(request);
  const [list, words] = await Promise.all([listForModeration({ status, page, lng }), listBlockedWords()]);
  return { title: t("reviews.platform.title"), status, page, words, ...list };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  await requirePlatformAdmin(request);
  const intent = formData.get("intent");
  if (intent === "addWord" || intent === "removeWord") return blocklistAction(request, formData);
  const parsed = moderateSchema.safeParse({
    intent: formData.get("intent"),
    shopId: formData.get("shopId"),
    reviewId: formData.get("reviewId"),
    reason: formData.get("reason") ?? undefined,
  });
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>;
    return data(
      { reviewId: String(formData.get("reviewId") ?? ""), error: fields.reason?.[0] ?? "reviews.errors.invalid" },
      { status: 400 },
    );
  }
  const input = parsed.data;
  const done =
    input.intent === "hide"
      ? await hideReview({ shopId: input.shopId, reviewId: input.reviewId, reason: input.reason })
      : await releaseReview({ shopId: input.shopId, reviewId: input.reviewId });
  if (!done) return data({ reviewId: input.reviewId, error: "reviews.errors.notFound" }, { status: 409 });
  const { status } = query(request);
  return redirect(`/platform/reviews?${new URLSearchParams({ status, done: input.intent })}`);
}

const backTo = (request: Request, done: string) => {
  const { status } = query(request);
  return `/platform/reviews?${new URLSearchParams({ status, done })}#blocklist`;
};

async function blocklistAction(request: Request, formData: FormData) {
  const parsed = blocklistSchema.safeParse({ intent: formData.get("intent"), word: formData.get("word") ?? undefined });
  if (!parsed.success) {
    const fields = parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>;
    return data(
      { wordError: fields.word?.[0] ?? "reviews.errors.invalid", word: String(formData.get("word") ?? "") },
      { status: 400 },
    );
  }
  const { intent, word } = parsed.data;
  if (intent === "removeWord") {
    if (!(await removeBlockedWord(word))) {
      return data({ wordError: "reviews.errors.wordNotListed", word: "" }, { status: 409 });
    }
    return redirect(backTo(request, "removeWord"));
  }
  const added = await addBlockedWord(word);
  if (added !== "added") {
    const error = added === "duplicate" ? "reviews.errors.wordDuplicate" : "reviews.errors.wordRequired";
    return data({ wordError: error, word }, { status: 400 });
  }
  return redirect(backTo(request, "addWord"));
}

export default function PlatformReviews() {
  const { t, i18n } = useTranslation();
  const { reviews, status, page, pageCount, total, words } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const wordError = actionData && "wordError" in actionData ? actionData : null;
  const tab = (active: boolean) =>
    `inline-flex min-h-11 items-center whitespace-nowrap rounded-full px-4 text-sm font-medium ${
      active ? "bg-leaf text-white" : "bg-white text-stone-800 ring-1 ring-stone-300"
    }`;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("reviews.platform.title")}</h1>
      {(done === "hide" || done === "release") && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`reviews.platform.done.${done}`)}
        </p>
      ) : null}
      <nav aria-label={t("reviews.platform.filter")} className="-mx-1 overflow-x-auto px-1">
        <ul className="flex gap-2">
          {MODERATION_FILTERS.map((s) => (
            <li key={s}>
              <Link
                to={`/platform/reviews?status=${s}`}
                className={tab(status === s)}
                aria-current={status === s ? "page" : undefined}
              >
                {t(`reviews.admin.status.${s}`)}
                {status === s ? ` (${total})` : ""}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {reviews.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("reviews.platform.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {reviews.map((review) => (
            <li
              key={review.id}
              className="rounded-xl bg-white p-3 ring-1 ring-stone-200"
              data-testid="moderated-review"
            >
              <p className="text-sm">
                <span className="font-medium">{review.shop.name}</span> · {review.product.title}
              </p>
              <p className="text-xs text-stone-600">
                {review.authorName} · {formatDateTime(review.createdAt, i18n.language)}
              </p>
              <Stars value={review.stars} />
              <p className="mt-1 whitespace-pre-line break-words">{review.text}</p>
              {review.heldWord ? (
                <p className="mt-1 text-sm text-amber-800">
                  {t("reviews.platform.heldWord", { word: review.heldWord })}
                </p>
              ) : null}
              {review.hiddenReason ? (
                <p className="mt-1 text-sm text-stone-700">
                  {t("reviews.platform.hiddenReason", { reason: review.hiddenReason })}
                </p>
              ) : null}
              {review.status !== "HIDDEN" ? (
                <div className="mt-2 flex flex-wrap items-end gap-2">
                  {review.status === "HELD" ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="shopId" value={review.shopId} />
                      <input type="hidden" name="reviewId" value={review.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="release"
                        className="min-h-11 rounded-full px-4 text-sm font-medium text-leaf ring-1 ring-leaf"
                      >
                        {t("reviews.platform.release")}
                      </button>
                    </Form>
                  ) : null}
                  <Form method="post" className="flex min-w-0 flex-1 flex-wrap items-end gap-2">
                    <CsrfInput />
                    <input type="hidden" name="shopId" value={review.shopId} />
                    <input type="hidden" name="reviewId" value={review.id} />
                    <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
                      {t("reviews.platform.reason")}
                      <input
                        name="reason"
                        required
                        maxLength={MAX_HIDE_REASON}
                        className="min-h-11 w-full rounded-lg border border-stone-300 px-3 text-base"
                      />
                    </label>
                    <button
                      type="submit"
                      name="intent"
                      value="hide"
                      className="min-h-11 rounded-full px-4 text-sm font-medium text-red-800 ring-1 ring-red-300"
                    >
                      {t("reviews.platform.hide")}
                    </button>
                  </Form>
                </div>
              ) : null}
              {actionData && "reviewId" in actionData && actionData.reviewId === review.id ? (
                <FormError errors={[actionData.error]} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} hrefOf={(n) => `/platform/reviews?status=${status}&page=${n}`} />
      <section id="blocklist" aria-labelledby="blocklist-title" className="flex flex-col gap-3">
        <h2 id="blocklist-title" className="text-lg font-bold">
          {t("reviews.platform.blocklist")}
        </h2>
        <p className="text-sm text-stone-600">{t("reviews.platform.blocklistHint")}</p>
        {/* Said here, where the page comes back to (#blocklist), not at the top. */}
        {(done === "addWord" || done === "removeWord") && !actionData ? (
          <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
            {t(`reviews.platform.done.${done}`)}
          </p>
        ) : null}
        {words.length === 0 ? (
          <p className="text-sm text-stone-600">{t("reviews.platform.blocklistEmpty")}</p>
        ) : (
          <ul className="flex flex-wrap gap-2" data-testid="blocked-words">
            {words.map((word) => (
              <li
                key={word}
                className="flex max-w-full items-center gap-1 rounded-full bg-white pl-3 ring-1 ring-stone-300"
              >
                <span className="min-w-0 break-all text-sm">{word}</span>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="word" value={word} />
                  <button
                    type="submit"
                    name="intent"
                    value="removeWord"
                    aria-label={t("reviews.platform.removeWord", { word })}
                    className="min-h-11 min-w-11 rounded-full px-3 text-sm text-red-800"
                  >
                    ×
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <CsrfInput />
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
            {t("reviews.platform.newWord")}
            <input
              name="word"
              required
              maxLength={MAX_BLOCKED_WORD}
              defaultValue={wordError?.word ?? ""}
              aria-invalid={wordError ? true : undefined}
              aria-describedby={wordError ? "word-error" : undefined}
              className="min-h-11 w-full rounded-lg border border-stone-300 px-3 text-base"
            />
          </label>
          <button
            type="submit"
            name="intent"
            value="addWord"
            className="min-h-11 rounded-full bg-leaf px-4 text-sm font-medium text-white"
          >
            {t("reviews.platform.addWord")}
          </button>
        </Form>
        {wordError ? (
          <div id="word-error">
            <FormError errors={[wordError.wordError]} />
          </div>
        ) : null}
      </section>
    </div>
  );
}
