import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AddToCart } from "~/components/add-to-cart";
import { BuyBar } from "~/components/catalog/buy-bar";
import { ProductTags } from "~/components/catalog/product-tags";
import { PromiseBlock } from "~/components/catalog/promise-block";
import { CompareAtPrice, FromPrice, ShopperPrice } from "~/components/catalog/shopper-price";
import { cardTags } from "~/modules/catalog/product-card";
import { Picture } from "~/components/picture";
import { ShopFrame } from "~/components/shop-frame";
import { getLanguage } from "~/lib/i18n.server";
import { formatDate, shanghaiMonth, shortMonthNames } from "~/lib/time";
import { JsonLd } from "~/components/json-ld";
import { RatingLine } from "~/components/reviews/rating";
import { ProductReviews } from "~/components/reviews/product-reviews";
import { cartChoices } from "~/modules/cart/choices.server";
import { getShopProduct } from "~/modules/catalog/storefront.server";
import { clip, seoMeta } from "~/modules/seo/meta";
import { largestJpegUrl, productJsonLd, shopSeo } from "~/modules/seo/seo.server";
import { storefrontOrigin } from "~/modules/tenancy/origins.server";
import { requireStorefront, shopHeader } from "~/modules/tenancy/storefront.server";
import { publicPage } from "~/modules/caching/page-cache";

// Stock and prices may lag a minute in a cache; the cart always checks the current ones.
export const headers = publicPage();

// Served at /s/:shop/p/:product and, on a shop's own host, at /p/:product (remix.config.js).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const storefront = await requireStorefront(request, params);
  const lng = await getLanguage(request);
  const product = await getShopProduct({ shopId: storefront.shop.id, slug: params.product ?? "", lng });
  if (!product) throw new Response(null, { status: 404, statusText: "Not Found" });
  const choices = await cartChoices({ shopId: storefront.shop.id, productSlug: product.slug });
  // Where the add-to-cart form without JavaScript was sent back to (see routes/cart.add).
  const search = new URL(request.url).searchParams;
  const cartError = search.get("cartError");
  const cartNotice = {
    added: search.get("added") === "1",
    error: cartError
      ? {
          key: cartError,
          values: {
            available: search.get("available") ?? "",
            inCart: search.get("inCart") ?? "",
            unit: search.get("unit") ?? "",
          },
        }
      : null,
  };
  const header = shopHeader(storefront, lng);
  const seo = shopSeo(storefront, {
    path: `/p/${encodeURIComponent(product.slug)}`,
    lng,
    title: `${product.title} · ${header.name}`,
    description: clip(product.summary || product.description || header.tagline),
    picture: product.pictures[0] ?? header.logo,
    type: "product",
    siteName: header.name,
  });
  const origin = storefrontOrigin(storefront.shop);
  const images = product.pictures
    .map((picture) => largestJpegUrl(picture, origin))
    .filter((url): url is string => url !== null);
  const jsonLd = productJsonLd(product, { url: seo.url, brand: header.name, images });
  const { shop } = storefront;
  const shipping = {
    homeFen: shop.shippingHomeFen,
    pickupFen: shop.shippingPickupFen,
    freeFromFen: shop.freeShippingFromFen,
  };
  return { header, product, currentMonth: shanghaiMonth(), choices, cartNotice, seo, jsonLd, shipping };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => seoMeta(data?.seo);

export default function ProductPage() {
  const { header, product, currentMonth, choices, cartNotice, jsonLd, shipping } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const months = shortMonthNames(lng);
  const [cover, ...rest] = product.pictures;
  const prices = product.variants.map((v) => v.priceFen);
  const minPrice = prices.length ? Math.min(...prices) : null;
  const cheapest = product.variants.find((v) => v.priceFen === minPrice);
  const compareAt = cheapest?.compareAtFen && cheapest.compareAtFen > cheapest.priceFen ? cheapest.compareAtFen : null;
  const tags = cardTags({
    freeShipping:
      product.kind !== "EXPERIENCE" &&
      minPrice !== null &&
      (shipping.homeFen === 0 || (shipping.freeFromFen !== null && minPrice >= shipping.freeFromFen)),
    coldChain: product.coldChain,
    presale: product.presale !== null,
    gi: product.gi !== null,
  });
  const canBuy = product.experience
    ? product.slots.some((s) => s.placesLeft > 0)
    : choices.variants.some((v) => (v.available ?? 0) > 0);

  return (
    <ShopFrame shop={header} bottomBar={<BuyBar shopHref={header.basePath || "/"} canBuy={canBuy} />}>
      <JsonLd data={jsonLd} />
      <nav className="py-3 text-sm">
        <Link to={header.basePath || "/"} className="text-stone-600 underline underline-offset-4">
          ← {t("product.backToShop", { shop: header.name })}
        </Link>
      </nav>
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-label={t("product.gallery")} data-testid="gallery">
          {cover ? (
            <Picture
              picture={cover}
              sizes="(min-width: 768px) 50vw, 100vw"
              eager
              className="aspect-[4/3] w-full rounded-2xl object-cover"
            />
          ) : null}
          {rest.length ? (
            <ul className="mt-2 grid grid-cols-3 gap-2">
              {rest.map((picture, i) => (
                <li key={i}>
                  <Picture
                    picture={picture}
                    sizes="(min-width: 768px) 16vw, 33vw"
                    className="aspect-[4/3] w-full rounded-xl object-cover"
                  />
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section>
          <p className="text-sm font-medium text-[var(--brand)]">{t(`kind.${product.kind}`)}</p>
          <h1 className="mt-1 text-2xl font-bold leading-tight sm:text-3xl" data-testid="product-title">
            {product.title}
          </h1>
          {product.summary ? <p className="mt-2 text-stone-700">{product.summary}</p> : null}
          <RatingLine rating={product.rating} />
          <ProductTags tags={tags} className="mt-2" />
          {minPrice !== null ? (
            <p className="mt-3 flex flex-wrap items-baseline gap-x-2">
              <span className="text-3xl font-bold text-red-700" data-testid="product-price">
                {product.pricesVary ? <FromPrice fen={minPrice} /> : <ShopperPrice fen={minPrice} />}
              </span>
              {compareAt !== null ? <CompareAtPrice fen={compareAt} className="text-base" /> : null}
            </p>
          ) : null}
          {product.presale ? (
            <p className="mt-2 inline-block rounded-lg bg-[var(--accent)]/30 px-3 py-1 text-sm font-medium">
              {t("product.presale")}
              {product.presale.shipBy
                ? ` · ${t("product.presaleShipBy", { date: formatDate(product.presale.shipBy, lng) })}`
                : null}
            </p>
          ) : null}

          <AddToCart
            variants={product.variants}
            slots={product.experience ? product.slots : null}
            choices={choices}
            notice={cartNotice}
          />
          <PromiseBlock
            data={{
              kind: product.kind,
              coldChain: product.coldChain,
              presaleShipBy: product.presale?.shipBy ?? null,
              traceable: product.batches.length > 0,
              shipping,
            }}
          />
        </section>
      </div>

      <section className="mt-8 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="details-heading">
        <h2 id="details-heading" className="mb-3 text-lg font-semibold">
          {t("product.details")}
        </h2>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          {product.harvestMonths.length ? (
            <div>
              <dt className="text-stone-600">{t("product.season")}</dt>
              <dd>
                {product.harvestMonths.map((m) => months[m - 1]).join(" · ")}
                {product.harvestMonths.includes(currentMonth) ? (
                  <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">
                    {t("product.inSeason")}
                  </span>
                ) : null}
              </dd>
            </div>
          ) : null}
          {product.coldChain ? (
            <div>
              <dt className="text-stone-600">{t("product.coldChain")}</dt>
              <dd>{t("product.coldChainNote")}</dd>
            </div>
          ) : null}
          {product.shelfLifeDays ? (
            <div>
              <dt className="text-stone-600">{t("product.shelfLife")}</dt>
              <dd>{t("product.days", { count: product.shelfLifeDays })}</dd>
            </div>
          ) : null}
          {product.storage ? (
            <div>
              <dt className="text-stone-600">{t("product.storage")}</dt>
              <dd>{product.storage}</dd>
            </div>
          ) : null}
          {product.gi ? (
            <div>
              <dt className="text-stone-600">{t("product.gi")}</dt>
              <dd>
                {product.gi.name}
                {product.gi.authNumber ? (
                  <span className="ml-1 text-stone-600">{t("product.giAuth", { number: product.gi.authNumber })}</span>
                ) : null}
              </dd>
            </div>
          ) : null}
          {product.presale?.yieldCap ? (
            <div>
              <dt className="text-stone-600">{t("product.presale")}</dt>
              <dd>{t("product.presaleCap", { count: product.presale.yieldCap })}</dd>
            </div>
          ) : null}
          {product.experience?.durationMinutes ? (
            <div>
              <dt className="text-stone-600">{t("product.duration")}</dt>
              <dd>{t("product.minutes", { count: product.experience.durationMinutes })}</dd>
            </div>
          ) : null}
          {product.experience?.meetingPoint ? (
            <div>
              <dt className="text-stone-600">{t("product.meetingPoint")}</dt>
              <dd>{product.experience.meetingPoint}</dd>
            </div>
          ) : null}
          {product.experience?.included ? (
            <div className="sm:col-span-2">
              <dt className="text-stone-600">{t("product.included")}</dt>
              <dd>{product.experience.included}</dd>
            </div>
          ) : null}
          {product.batches.length ? (
            <div className="sm:col-span-2">
              <dt className="text-stone-600">{t("product.trace")}</dt>
              <dd>
                <ul className="mt-1 space-y-1">
                  {product.batches.map((b) => (
                    <li key={b.traceCode} data-testid="trace-code">
                      {t("product.traceCode")}{" "}
                      <Link
                        to={`/t/${b.traceCode}`}
                        className="font-mono font-medium text-[var(--brand)] underline underline-offset-4"
                      >
                        {b.traceCode}
                      </Link>
                      <span className="ml-2 text-stone-600">
                        {t("product.harvested", { date: formatDate(b.harvestDate, lng) })}
                      </span>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      {product.description ? (
        <section className="mt-6" aria-labelledby="description-heading">
          <h2 id="description-heading" className="mb-2 text-lg font-semibold">
            {t("product.description")}
          </h2>
          <div className="space-y-3 leading-relaxed">
            {product.description.split(/\n+/).map((paragraph, i) => (
              <p key={i}>{paragraph}</p>
            ))}
          </div>
        </section>
      ) : null}

      <ProductReviews
        rating={product.rating}
        reviews={product.reviews}
        allHref={`${header.basePath}/p/${encodeURIComponent(product.slug)}/reviews`}
      />
    </ShopFrame>
  );
}
