import { useTranslation } from "react-i18next";
import type { ShopHomeData } from "~/modules/catalog/shop-home.server";
import { shopHomeHref } from "~/modules/catalog/shop-home-links";
import { Pagination } from "./pagination";
import { Picture } from "./picture";
import { ProductCard } from "./product-card";
import { Stars } from "./reviews/rating";
import { ShopFrame } from "./shop-frame";

export function ShopHome({ data }: { data: ShopHomeData }) {
  const { t } = useTranslation();
  const { header, profile, products, paging, rating } = data;
  return (
    <ShopFrame shop={header}>
      {profile.banner ? (
        <div className="-mx-4 sm:mx-0 sm:mt-4">
          <Picture
            picture={profile.banner}
            alt=""
            sizes="(min-width: 1152px) 1152px, 100vw"
            eager
            className="aspect-[8/3] w-full object-cover sm:rounded-2xl"
          />
        </div>
      ) : null}
      <section className="mt-6" aria-labelledby="shop-name">
        <h1 id="shop-name" className="text-2xl font-bold sm:text-3xl">
          {header.name}
        </h1>
        {header.tagline ? <p className="mt-1 text-lg text-[var(--brand)]">{header.tagline}</p> : null}
        <p className="mt-1 text-sm text-stone-600">
          {[profile.city, header.county, profile.town, header.village].filter(Boolean).join(" · ")}
        </p>
        {rating.average !== null ? (
          <p className="mt-1 flex items-center gap-2 text-sm" data-testid="shop-rating">
            <Stars value={rating.average} />
            <span>{t("reviews.average", { value: rating.average.toFixed(1) })}</span>
            <span className="text-stone-600">({t("reviews.count", { count: rating.count })})</span>
          </p>
        ) : null}
      </section>

      <section className="mt-8" aria-labelledby="products-heading">
        <h2 id="products-heading" className="mb-3 text-xl font-semibold">
          {t("shop.products")}
        </h2>
        {products.length === 0 ? (
          <p className="rounded-xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("shop.noProducts")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4" data-testid="product-grid">
            {products.map((product, i) => (
              <ProductCard
                key={product.slug}
                product={product}
                href={`${header.basePath}/p/${product.slug}`}
                eager={i < 2}
              />
            ))}
          </ul>
        )}
        <Pagination
          page={paging.page}
          pageCount={paging.pageCount}
          hrefOf={(page) => shopHomeHref(header.basePath, page)}
        />
      </section>

      <div className="mt-10 grid gap-6 md:grid-cols-3">
        {profile.story ? (
          <section className="md:col-span-2" aria-labelledby="story-heading">
            <h2 id="story-heading" className="mb-2 text-xl font-semibold">
              {t("shop.story")}
            </h2>
            <div className="space-y-3 leading-relaxed text-stone-800">
              {profile.story.split(/\n+/).map((paragraph, i) => (
                <p key={i}>{paragraph}</p>
              ))}
            </div>
          </section>
        ) : null}
        <section aria-labelledby="credentials-heading" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
          <h2 id="credentials-heading" className="mb-2 text-lg font-semibold">
            {t("shop.credentials")}
          </h2>
          <dl className="space-y-2 text-sm">
            {profile.creditCode ? (
              <div>
                <dt className="text-stone-600">{t("shop.creditCode")}</dt>
                <dd className="font-mono">{profile.creditCode}</dd>
              </div>
            ) : null}
            {profile.certifications.map((c, i) => (
              <div key={i}>
                <dt className="text-stone-600">{t(`cert.${c.kind}`)}</dt>
                <dd>
                  {c.name}
                  {c.number ? <span className="ml-1 font-mono text-xs text-stone-600">{c.number}</span> : null}
                </dd>
              </div>
            ))}
            {profile.contactName ? (
              <div>
                <dt className="text-stone-600">{t("shop.contact")}</dt>
                <dd>
                  {profile.contactName}
                  {profile.contactPhone ? (
                    <a className="ml-2 underline" href={`tel:${profile.contactPhone}`}>
                      {profile.contactPhone}
                    </a>
                  ) : null}
                </dd>
              </div>
            ) : null}
          </dl>
        </section>
      </div>
    </ShopFrame>
  );
}
