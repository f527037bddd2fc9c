import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RatingSummary, ShownReview } from "~/modules/reviews/review-display";
import { Stars } from "./rating";
import { ReviewList } from "./review-list";

/** The product page's reviews: the average, the first reviews (photo reviews first), a link to all. */
export function ProductReviews({
  rating,
  reviews,
  allHref,
}: {
  rating: RatingSummary;
  reviews: ShownReview[];
  allHref: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="mt-6" aria-labelledby="reviews-heading" data-testid="product-reviews">
      <h2 id="reviews-heading" className="mb-2 flex flex-wrap items-center gap-2 text-lg font-semibold">
        {t("reviews.title")}
        {rating.average !== null ? (
          <span className="flex items-center gap-2 text-base font-normal">
            <Stars value={rating.average} />
            <span data-testid="review-average">{t("reviews.average", { value: rating.average.toFixed(1) })}</span>
            <span className="text-stone-600">({t("reviews.count", { count: rating.count })})</span>
          </span>
        ) : null}
      </h2>
      {reviews.length ? <ReviewList reviews={reviews} /> : <p className="text-stone-600">{t("reviews.none")}</p>}
      {rating.count > reviews.length ? (
        <p className="mt-3">
          <Link
            to={allHref}
            className="inline-flex min-h-11 items-center text-[var(--brand)] underline underline-offset-4"
          >
            {t("reviews.allReviews", { count: rating.count })}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
