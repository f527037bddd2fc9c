import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The account's delivered lines still waiting for the buyer's review, each linked to its form. */
export function LinesToReview({
  lines,
}: {
  lines: { lineId: string; orderNumber: string; title: string; variant: string }[];
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="to-review" className="mt-6">
      <h2 id="to-review" className="text-lg font-semibold">
        {t("reviews.write.toWrite")}
      </h2>
      {lines.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("reviews.write.toWriteEmpty")}</p> : null}
      <ul className="mt-2 space-y-2" data-testid="lines-to-review">
        {lines.map((line) => (
          <li
            key={line.lineId}
            className="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-white px-3 py-2 text-sm ring-1 ring-stone-200"
          >
            <span className="min-w-0 flex-1">
              {line.title} <span className="text-stone-600">· {line.variant}</span>
            </span>
            <Link
              to={`/orders/${encodeURIComponent(line.orderNumber)}/review/${encodeURIComponent(line.lineId)}`}
              className="inline-flex min-h-11 items-center rounded-full bg-leaf px-4 font-semibold text-white"
            >
              {t("reviews.write.button")}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
