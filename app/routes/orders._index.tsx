import type { SubmissionResult } from "@conform-to/react";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MarketFrame } from "~/components/market-frame";
import { OrderLookupForm } from "~/components/order-lookup-form";
import { getFixedT } from "~/lib/i18n.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { answerLookup } from "~/modules/orders/lookup-action.server";
import { readForm } from "~/lib/request-bounds.server";

// "查询订单": a buyer finds an order by its number and the mobile given at checkout.

const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };
export const headers: HeadersFunction = () => PRIVATE;

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await getFixedT(request);
  return data({ title: t("checkout.lookup.title") }, { headers: PRIVATE });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  return answerLookup(request, formData);
}

export default function OrderLookup() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  return (
    <MarketFrame>
      <div className="mx-auto max-w-md py-8">
        <h1 className="text-2xl font-bold">{t("checkout.lookup.title")}</h1>
        <p className="mt-1 text-stone-700">{t("checkout.lookup.intro")}</p>
        <OrderLookupForm lastResult={actionData?.result as SubmissionResult<string[]> | undefined} />
        <p className="mt-6 text-sm text-stone-600">
          {t("checkout.lookup.signInHint")}{" "}
          <Link to="/account" className="font-medium text-leaf underline underline-offset-4">
            {t("checkout.account.heading")}
          </Link>
        </p>
      </div>
    </MarketFrame>
  );
}
