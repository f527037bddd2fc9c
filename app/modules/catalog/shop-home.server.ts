import { shopHeader, shopProfile, type Storefront } from "~/modules/tenancy/storefront.server";
import { listShopProducts } from "./storefront.server";

/** Everything a shop's home page shows, whether reached by host or by /s/:shop. */
export async function loadShopHome(storefront: Storefront, lng: string) {
  return {
    header: shopHeader(storefront, lng),
    profile: shopProfile(storefront, lng),
    products: await listShopProducts({ shopId: storefront.shop.id, lng }),
  };
}

export type ShopHomeData = Awaited<ReturnType<typeof loadShopHome>>;
