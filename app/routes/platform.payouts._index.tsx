import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { BalanceWords } from "~/components/money/balance-words";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { shopBalances } from "~/modules/ledger/balances.cross-shop.server";

// /platform/payouts: what every cooperative is owed (or owes), most owed first.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  return { title: t("money.platform.title"), shops: await shopBalances(lng) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function PlatformPayouts() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { shops } = useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("money.platform.title")}</h1>
      <p className="text-stone-700">{t("money.platform.intro")}</p>
      {shops.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("money.platform.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="shop-balances">
          {shops.map((shop) => (
            <li key={shop.slug}>
              <Link
                to={`/platform/payouts/${shop.slug}`}
                className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 rounded-xl bg-white p-3 ring-1 ring-stone-200 hover:ring-leaf"
              >
                <span className="min-w-0">
                  <span className="block font-medium text-leaf">{shop.name}</span>
                  <span className="block text-xs text-stone-600">
                    {shop.slug} · {t(`admin.status.${shop.status}`)}
                    {shop.lastPayoutAt
                      ? ` · ${t("money.platform.lastPayout", { when: formatDateTime(shop.lastPayoutAt, lng) })}`
                      : ""}
                    {shop.hasStripeAccount ? ` · ${t("money.platform.stripeLinked")}` : ""}
                  </span>
                </span>
                <span className={`font-semibold ${shop.balanceFen < 0 ? "text-rose-800" : ""}`}>
                  <BalanceWords balanceFen={shop.balanceFen} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
