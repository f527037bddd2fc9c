import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ShopHome } from "~/components/shop-home";
import { getLanguage } from "~/lib/i18n.server";
import { loadShopHome, shopHomePage } from "~/modules/catalog/shop-home.server";
import { seoMeta } from "~/modules/seo/meta";
import { shopHomeSeo } from "~/modules/seo/seo.server";
import { requireStorefront } from "~/modules/tenancy/storefront.server";
import { publicPage } from "~/modules/caching/page-cache";

export const headers = publicPage();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const storefront = await requireStorefront(request, params);
  const lng = await getLanguage(request);
  const home = await loadShopHome(storefront, lng, shopHomePage(new URL(request.url)));
  return { ...home, seo: shopHomeSeo(storefront, home, lng) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => seoMeta(data?.seo);

export default function ShopIndex() {
  return <ShopHome data={useLoaderData<typeof loader>()} />;
}
