import { useTranslation } from "react-i18next";
import type { RatingSummary } from "~/modules/reviews/review-display";

/** Five stars, filled to the rounded value; the words for screen readers say the number. */
export function Stars({ value, size = "text-sm" }: { value: number; size?: string }) {
  const { t } = useTranslation();
  const filled = Math.round(value);
  return (
    <span className={`${size} leading-none tracking-tight`} role="img" aria-label={t("reviews.starsOutOf", { value })}>
      <span aria-hidden="true" className="text-amber-500">
        {"★".repeat(filled)}
      </span>
      <span aria-hidden="true" className="text-stone-300">
        {"★".repeat(5 - filled)}
      </span>
    </span>
  );
}

/** A card's line: ★ 4.8 (12) · 已售 30 — nothing of what is zero. */
export function RatingLine({ rating }: { rating: RatingSummary }) {
  const { t } = useTranslation();
  if (rating.average === null && rating.sold === 0) return null;
  return (
    <p className="flex flex-wrap items-center gap-x-2 text-xs text-stone-600" data-testid="card-rating">
      {rating.average !== null ? (
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className="text-amber-500">
            ★
          </span>
          <span className="sr-only">{t("reviews.starsOutOf", { value: rating.average })}</span>
          <span aria-hidden="true" className="font-medium text-stone-800" data-testid="card-average">
            {rating.average.toFixed(1)}
          </span>
          <span>({t("reviews.count", { count: rating.count })})</span>
        </span>
      ) : null}
      {rating.sold > 0 ? <span data-testid="card-sold">{t("reviews.sold", { count: rating.sold })}</span> : null}
    </p>
  );
}
