import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FOOTER_PAGES } from "~/modules/platform/static-pages";

/**
 * Every storefront page's footer (issue #13): the way back in (我的, 订单查询), the way in for
 * cooperatives (开店入驻) and the platform's pages. Links only: nothing here depends on who
 * is looking, so cached anonymous pages stay shareable (decision 019).
 */
export function SiteFooter() {
  const { t } = useTranslation();
  const link = "inline-flex min-h-10 items-center text-stone-700 underline-offset-4 hover:underline";
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white/60" data-testid="site-footer">
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 text-sm sm:grid-cols-3">
        <nav aria-labelledby="footer-buyers">
          <h2 id="footer-buyers" className="font-semibold text-stone-900">
            {t("pages.footer.buyers")}
          </h2>
          <ul className="mt-1">
            <li>
              <Link to="/account" className={link} data-testid="footer-account">
                {t("pages.footer.account")}
              </Link>
            </li>
            <li>
              <Link to="/orders" className={link} data-testid="footer-order-lookup">
                {t("pages.footer.orderLookup")}
              </Link>
            </li>
            <li>
              <Link to="/cart" className={link}>
                {t("pages.footer.cart")}
              </Link>
            </li>
          </ul>
        </nav>
        <nav aria-labelledby="footer-coops">
          <h2 id="footer-coops" className="font-semibold text-stone-900">
            {t("pages.footer.cooperatives")}
          </h2>
          <ul className="mt-1">
            <li>
              <Link to="/admin/new" className={link} data-testid="footer-open-shop">
                {t("pages.footer.openShop")}
              </Link>
            </li>
            <li>
              <Link to="/admin" className={link}>
                {t("pages.footer.shopAdmin")}
              </Link>
            </li>
          </ul>
        </nav>
        <nav aria-labelledby="footer-platform">
          <h2 id="footer-platform" className="font-semibold text-stone-900">
            {t("pages.footer.platform")}
          </h2>
          <ul className="mt-1">
            {FOOTER_PAGES.map((page) => (
              <li key={page}>
                <Link to={`/pages/${page}`} className={link} data-testid={`footer-page-${page}`}>
                  {t(`pages.${page}.title`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <p className="mx-auto max-w-6xl px-4 pb-6 text-xs leading-relaxed text-stone-600">{t("app.footer")}</p>
    </footer>
  );
}
