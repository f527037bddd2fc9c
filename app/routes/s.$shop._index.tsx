import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ShopHome } from "~/components/shop-home";
import { getLanguage } from "~/lib/i18n.server";
import { loadShopHome } from "~/modules/catalog/shop-home.server";
import { requireStorefront } from "~/modules/tenancy/storefront.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const storefront = await requireStorefront(request, params);
  return loadShopHome(storefront, await getLanguage(request));
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.header.name },
  { name: "description", content: data?.header.tagline ?? data?.profile.story?.slice(0, 150) },
];

export default function ShopIndex() {
  return <ShopHome data={useLoaderData<typeof loader>()} />;
}
