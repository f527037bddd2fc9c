import { redirect } from "@remix-run/node";
import { parseDecimal } from "~/lib/decimal";
import { shopHeader, shopProfile, type Storefront } from "~/modules/tenancy/storefront.server";
import { SHOP_HOME_PAGE_SIZE, shopHomeHref } from "./shop-home-links";
import { listShopProducts } from "./storefront.server";

const MAX_PAGE = 500;

/** The shop home's `?page=N` (decimal digits); 1 when absent or malformed: the page never refuses a link. */
export function shopHomePage(url: URL): number {
  const page = parseDecimal(url.searchParams.get("page"));
  return page !== null && page >= 1 && page <= MAX_PAGE ? page : 1;
}

/**
 * Everything a shop's home page shows, whether reached by host or by /s/:shop: two SQL
 * statements with the storefront's. A page past the last redirects to the last.
 */
export async function loadShopHome(storefront: Storefront, lng: string, page = 1) {
  const { total, products, shopRating } = await listShopProducts({
    shopId: storefront.shop.id,
    lng,
    limit: SHOP_HOME_PAGE_SIZE,
    offset: (page - 1) * SHOP_HOME_PAGE_SIZE,
  });
  const pageCount = Math.max(1, Math.ceil(total / SHOP_HOME_PAGE_SIZE));
  if (page > pageCount) throw redirect(shopHomeHref(storefront.basePath, pageCount));
  return {
    header: shopHeader(storefront, lng),
    profile: shopProfile(storefront, lng),
    products,
    /** Average stars and count over the shop's listed products (decision 023). */
    rating: shopRating,
    paging: { page, pageCount, total },
  };
}

export type ShopHomeData = Awaited<ReturnType<typeof loadShopHome>>;
