import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * Previous, next and nearby pages of a listing as plain links (they work without JavaScript);
 * `hrefOf` gives a page's address, keeping whatever else the listing's URL carries.
 */
export function Pagination({ page, pageCount, hrefOf }: { page: number; pageCount: number; hrefOf: (page: number) => string }) {
  const { t } = useTranslation();
  if (pageCount <= 1) return null;
  const nearby = Array.from({ length: pageCount }, (_, i) => i + 1).filter(
    (n) => n === 1 || n === pageCount || Math.abs(n - page) <= 2,
  );
  const box = "inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg px-3 ring-1";
  const linkClass = `${box} bg-white ring-stone-300`;
  return (
    <nav aria-label={t("paging.pages")} className="mt-8" data-testid="pagination">
      <ul className="flex flex-wrap items-center justify-center gap-2">
        {page > 1 ? (
          <li>
            <Link to={hrefOf(page - 1)} rel="prev" className={linkClass}>
              ← {t("paging.previous")}
            </Link>
          </li>
        ) : null}
        {nearby.map((n, i) => (
          <li key={n} className="flex items-center gap-2">
            {i > 0 && n - nearby[i - 1]! > 1 ? <span aria-hidden="true">…</span> : null}
            {n === page ? (
              <span aria-current="page" className={`${box} bg-leaf font-semibold text-white ring-leaf`}>
                {n}
              </span>
            ) : (
              <Link to={hrefOf(n)} aria-label={t("paging.page", { page: n })} className={linkClass}>
                {n}
              </Link>
            )}
          </li>
        ))}
        {page < pageCount ? (
          <li>
            <Link to={hrefOf(page + 1)} rel="next" className={linkClass}>
              {t("paging.next")} →
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
