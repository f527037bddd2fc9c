import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PlatformHome } from "~/components/platform-home";
import { ShopHome } from "~/components/shop-home";
import { getFixedT } from "~/lib/i18n.server";
import { marketplaceHome } from "~/modules/catalog/marketplace.cross-shop.server";
import { loadShopHome, shopHomePage } from "~/modules/catalog/shop-home.server";
import { seoMeta } from "~/modules/seo/meta";
import { platformSeo, shopHomeSeo } from "~/modules/seo/seo.server";
import { liveShopsByCounty } from "~/modules/tenancy/directory.cross-shop.server";
import { shopFromHost } from "~/modules/tenancy/storefront.server";
import { publicPage } from "~/modules/caching/page-cache";

// The marketplace and a shop's home are the same for every visitor nobody knows yet.
export const headers = publicPage();

// "/" is the marketplace (特产馆), or a shop's home on the shop's own host.
export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const hosted = await shopFromHost(request);
  if (hosted) {
    const shop = await loadShopHome(hosted, lng, shopHomePage(new URL(request.url)));
    return { kind: "shop" as const, shop, seo: shopHomeSeo(hosted, shop, lng) };
  }
  const [market, counties] = await Promise.all([marketplaceHome({ lng }), liveShopsByCounty(lng)]);
  const seo = platformSeo({
    path: "/",
    lng,
    title: t("home.title"),
    description: t("home.description"),
    // The marketplace has no picture of its own; a featured product previews what it sells.
    picture: market.featured[0]?.product.picture ?? market.inSeason[0]?.product.picture,
    siteName: t("app.name"),
  });
  return { kind: "platform" as const, ...market, counties, seo };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => seoMeta(data?.seo);

export default function Index() {
  const data = useLoaderData<typeof loader>();
  return data.kind === "shop" ? (
    <ShopHome data={data.shop} />
  ) : (
    <PlatformHome counties={data.counties} month={data.month} inSeason={data.inSeason} featured={data.featured} />
  );
}
