import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReviewableLine } from "~/modules/reviews/review-display";

/** On the buyer's order page: each delivered line with a link to review it, or its review's state. */
export function OrderReviews({
  orderNumber,
  lines,
  reviewed,
}: {
  orderNumber: string;
  lines: ReviewableLine[];
  reviewed: string | null;
}) {
  const { t } = useTranslation();
  if (!lines.length) return null;
  return (
    <section
      id="reviews"
      className="mt-6 rounded-2xl bg-white p-4 ring-1 ring-stone-200"
      aria-labelledby="order-reviews-heading"
    >
      <h2 id="order-reviews-heading" className="text-lg font-semibold">
        {t("reviews.write.heading")}
      </h2>
      {reviewed === "published" || reviewed === "held" ? (
        <p
          role="status"
          className="mt-2 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-950 ring-1 ring-emerald-200"
        >
          {t(reviewed === "held" ? "reviews.write.held" : "reviews.write.done")}
        </p>
      ) : null}
      <ul className="mt-2 divide-y divide-stone-100">
        {lines.map((line) => (
          <li
            key={line.lineId}
            className="flex flex-wrap items-center justify-between gap-2 py-2"
            data-testid="reviewable-line"
          >
            <span className="min-w-0 flex-1">
              {line.title} <span className="text-sm text-stone-600">· {line.variant}</span>
            </span>
            {line.review ? (
              <span className="text-sm text-stone-700" data-testid="line-review-state">
                {t("reviews.write.yours", { count: line.review.stars })}
                {line.review.status !== "PUBLISHED" ? ` · ${t(`reviews.write.status${line.review.status}`)}` : ""}
              </span>
            ) : (
              <Link
                to={`/orders/${encodeURIComponent(orderNumber)}/review/${encodeURIComponent(line.lineId)}`}
                className="inline-flex min-h-11 items-center rounded-full bg-leaf px-4 text-sm font-semibold text-white"
              >
                {t("reviews.write.button")}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
