import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ACCEPTED_IMAGE_TYPES } from "~/modules/media/limits";
import { MAX_REVIEW_TEXT } from "~/modules/reviews/review-display";
import { CsrfInput, useErrorText } from "../form-basics";

export interface ReviewFormErrors {
  stars?: string;
  text?: string;
  /** Already in the page's language (a photo's refusal comes from the media pipeline). */
  form?: string;
}

/** The buyer's review of one delivered line: stars, words, up to 6 photos, anonymity. Works without JavaScript. */
export function ReviewForm({
  lineId,
  errors,
  values,
}: {
  lineId: string;
  errors?: ReviewFormErrors;
  values?: { stars?: string; text?: string; anonymous?: boolean };
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const starsError = errorText(errors?.stars);
  const textError = errorText(errors?.text);
  return (
    <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4" data-testid="review-form">
      <CsrfInput />
      <input type="hidden" name="lineId" value={lineId} />
      {errors?.form ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {errors.form}
        </p>
      ) : null}
      <fieldset aria-describedby={starsError ? "stars-error" : undefined}>
        <legend className="text-sm font-medium text-stone-800">{t("reviews.write.stars")}</legend>
        <div className="mt-1 flex flex-wrap gap-2">
          {[5, 4, 3, 2, 1].map((n) => (
            <label
              key={n}
              className="inline-flex min-h-11 cursor-pointer items-center gap-1 rounded-full px-3 ring-1 ring-stone-300 has-[:checked]:bg-amber-50 has-[:checked]:ring-amber-500"
            >
              <input type="radio" name="stars" value={n} defaultChecked={values?.stars === String(n)} required />
              <span aria-hidden="true" className="text-amber-500">
                {"★".repeat(n)}
              </span>
              <span className="sr-only">{t("reviews.stars", { count: n })}</span>
            </label>
          ))}
        </div>
        {starsError ? (
          <p id="stars-error" role="alert" className="mt-1 text-sm text-red-700">
            {starsError}
          </p>
        ) : null}
      </fieldset>
      <div className="flex flex-col gap-1">
        <label htmlFor="review-text" className="text-sm font-medium text-stone-800">
          {t("reviews.write.text")}
        </label>
        <textarea
          id="review-text"
          name="text"
          rows={5}
          maxLength={MAX_REVIEW_TEXT}
          required
          defaultValue={values?.text}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? "review-text-hint review-text-error" : "review-text-hint"}
          className="w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base outline-none focus:border-leaf focus:ring-2 focus:ring-leaf/30 aria-[invalid=true]:border-red-600"
        />
        <p id="review-text-hint" className="text-xs text-stone-600">
          {t("reviews.write.textHint")}
        </p>
        {textError ? (
          <p id="review-text-error" role="alert" className="text-sm text-red-700">
            {textError}
          </p>
        ) : null}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="review-photos" className="text-sm font-medium text-stone-800">
          {t("reviews.write.photos")}
        </label>
        <input
          id="review-photos"
          type="file"
          name="photos"
          multiple
          accept={ACCEPTED_IMAGE_TYPES}
          className="min-h-11 text-sm"
        />
      </div>
      <label className="inline-flex min-h-11 items-center gap-2 text-sm">
        <input type="checkbox" name="anonymous" defaultChecked={values?.anonymous} className="size-5" />
        {t("reviews.write.anonymous")}
      </label>
      <div>
        <button
          type="submit"
          className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white shadow-sm hover:brightness-110"
        >
          {t("reviews.write.submit")}
        </button>
      </div>
    </Form>
  );
}
