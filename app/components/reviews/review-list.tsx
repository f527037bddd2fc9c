import { useTranslation } from "react-i18next";
import { formatDate } from "~/lib/time";
import type { ShownReview } from "~/modules/reviews/review-display";
import { Picture } from "../picture";
import { Stars } from "./rating";

/** Published reviews as buyers read them: stars, words, photos, and the cooperative's reply. */
export function ReviewList({ reviews }: { reviews: ShownReview[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="flex flex-col gap-3" data-testid="review-list">
      {reviews.map((review) => (
        <li key={review.id} className="rounded-xl bg-white p-3 ring-1 ring-stone-200" data-testid="review">
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="font-medium" data-testid="review-author">
              {review.authorName}
            </span>
            <span className="text-xs text-stone-500">{formatDate(review.createdAt, i18n.language)}</span>
          </div>
          <Stars value={review.stars} />
          <p className="mt-1 text-xs text-stone-500">{t("reviews.variant", { variant: review.variant })}</p>
          <p className="mt-2 whitespace-pre-line break-words text-stone-800">{review.text}</p>
          {review.photos.length ? (
            <ul className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-6">
              {review.photos.map((photo, i) => (
                <li key={i}>
                  <Picture
                    picture={photo}
                    sizes="(min-width: 640px) 16vw, 33vw"
                    className="aspect-square w-full rounded-lg object-cover"
                  />
                </li>
              ))}
            </ul>
          ) : null}
          {review.reply ? (
            <div className="mt-2 rounded-lg bg-stone-50 p-2 text-sm" data-testid="review-reply">
              <p className="font-medium text-stone-700">{t("reviews.reply")}</p>
              <p className="whitespace-pre-line break-words text-stone-700">{review.reply}</p>
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
