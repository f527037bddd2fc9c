import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/pagination";
import { Stars } from "~/components/reviews/rating";
import { ReviewList } from "~/components/reviews/review-list";
import { ShopFrame } from "~/components/shop-frame";
import { getFixedT } from "~/lib/i18n.server";
import { publicPage } from "~/modules/caching/page-cache";
import { productReviewsPage } from "~/modules/reviews/reviews.server";
import { requireStorefront, shopHeader } from "~/modules/tenancy/storefront.server";

// All of a product's published reviews, photo reviews first, a page at a time. Served at
// /s/:shop/p/:product/reviews and, on a shop's own host, /p/:product/reviews (remix.config.js).
export const headers = publicPage();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const storefront = await requireStorefront(request, params);
  const { t, lng } = await getFixedT(request);
  const pageParam = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const page = Number.isInteger(pageParam) && pageParam >= 1 && pageParam <= 1000 ? pageParam : 1;
  const slug = params.product ?? "";
  const reviews = await productReviewsPage({ shopId: storefront.shop.id, slug, page, lng });
  if (!reviews) throw new Response(null, { status: 404, statusText: "Not Found" });
  const header = shopHeader(storefront, lng);
  return {
    header,
    slug,
    page,
    ...reviews,
    pageTitle: `${t("reviews.productReviews", { product: reviews.title })} · ${header.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle },
  // The product page carries the reviews that matter for search engines.
  { name: "robots", content: "noindex, follow" },
];

export default function ProductReviewsPage() {
  const { header, slug, page, pageCount, title, stats, reviews } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const productHref = `${header.basePath}/p/${encodeURIComponent(slug)}`;
  return (
    <ShopFrame shop={header}>
      <nav className="py-3 text-sm">
        <Link to={productHref} className="text-stone-600 underline underline-offset-4">
          ← {t("reviews.backToProduct")}
        </Link>
      </nav>
      <h1 className="text-xl font-bold">{t("reviews.productReviews", { product: title })}</h1>
      {stats.average !== null ? (
        <p className="mt-1 flex items-center gap-2">
          <Stars value={stats.average} />
          <span data-testid="review-average">{t("reviews.average", { value: stats.average.toFixed(1) })}</span>
          <span className="text-stone-600">({t("reviews.count", { count: stats.count })})</span>
        </p>
      ) : null}
      <div className="mt-4">
        {reviews.length ? <ReviewList reviews={reviews} /> : <p className="text-stone-600">{t("reviews.none")}</p>}
      </div>
      <Pagination
        page={page}
        pageCount={pageCount}
        hrefOf={(n) => (n === 1 ? `${productHref}/reviews` : `${productHref}/reviews?page=${n}`)}
      />
    </ShopFrame>
  );
}
