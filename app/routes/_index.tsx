import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PlatformHome } from "~/components/platform-home";
import { ShopHome } from "~/components/shop-home";
import { getFixedT } from "~/lib/i18n.server";
import { marketplaceHome } from "~/modules/catalog/marketplace.cross-shop.server";
import { loadShopHome } from "~/modules/catalog/shop-home.server";
import { liveShopsByCounty } from "~/modules/tenancy/directory.cross-shop.server";
import { shopFromHost } from "~/modules/tenancy/storefront.server";

// "/" is the marketplace (特产馆), or a shop's home on the shop's own host.
export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const hosted = await shopFromHost(request);
  if (hosted) {
    const shop = await loadShopHome(hosted, lng);
    return { kind: "shop" as const, shop, title: shop.header.name, description: shop.header.tagline ?? "" };
  }
  const [market, counties] = await Promise.all([marketplaceHome({ lng }), liveShopsByCounty(lng)]);
  return {
    kind: "platform" as const,
    ...market,
    counties,
    title: t("home.title"),
    description: t("home.description"),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.description },
];

export default function Index() {
  const data = useLoaderData<typeof loader>();
  return data.kind === "shop" ? <ShopHome data={data.shop} /> : <PlatformHome counties={data.counties} month={data.month} inSeason={data.inSeason} featured={data.featured} />;
}
