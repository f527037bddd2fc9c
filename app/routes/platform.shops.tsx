import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, FormError } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { requirePlatformAdmin } from "~/modules/identity/session.server";
import { countShopsByStatus, listShops } from "~/modules/platform/shops.cross-shop.server";
import { suspendShop, unsuspendShop } from "~/modules/shops/review.server";
import { readForm } from "~/lib/request-bounds.server";

const STATUSES = ["DRAFT", "SUBMITTED", "LIVE", "SUSPENDED"] as const;
const statusParam = z.enum(STATUSES).nullable().catch(null);
const suspendSchema = z.object({ intent: z.enum(["suspend", "unsuspend"]), shopId: z.string().min(1).max(40) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { t, lng } = await getFixedT(request);
  const status = statusParam.parse(new URL(request.url).searchParams.get("status"));
  const [shops, counts] = await Promise.all([listShops(lng, status), countShopsByStatus()]);
  return { title: t("platform.shops.title"), status, shops, counts };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  await requirePlatformAdmin(request);
  const parsed = suspendSchema.safeParse({ intent: formData.get("intent"), shopId: formData.get("shopId") });
  if (!parsed.success) return data({ error: "platform.errors.invalid" }, { status: 400 });
  const { intent, shopId } = parsed.data;
  const result = intent === "suspend" ? await suspendShop(shopId) : await unsuspendShop(shopId);
  if (!result.ok) return data({ error: result.error }, { status: 409 });
  const back = new URL(request.url).searchParams.get("status");
  return redirect(`/platform/shops?${new URLSearchParams({ ...(back ? { status: back } : {}), done: intent })}`);
}

export default function AllShops() {
  const { t } = useTranslation();
  const { shops, counts, status } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const tab = (active: boolean) =>
    `inline-flex min-h-11 items-center whitespace-nowrap rounded-full px-4 text-sm font-medium ${
      active ? "bg-leaf text-white" : "bg-white text-stone-800 ring-1 ring-stone-300"
    }`;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("platform.shops.title")}</h1>
      {(done === "suspend" || done === "unsuspend") && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`platform.shops.done.${done}`)}
        </p>
      ) : null}
      <FormError errors={actionData?.error ? [actionData.error] : undefined} />
      <nav aria-label={t("platform.shops.filter")} className="-mx-1 overflow-x-auto px-1">
        <ul className="flex gap-2">
          <li>
            <Link
              to="/platform/shops"
              className={tab(status === null)}
              aria-current={status === null ? "page" : undefined}
            >
              {t("platform.shops.all")} ({total})
            </Link>
          </li>
          {STATUSES.map((s) => (
            <li key={s}>
              <Link
                to={`/platform/shops?status=${s}`}
                className={tab(status === s)}
                aria-current={status === s ? "page" : undefined}
              >
                {t(`admin.status.${s}`)} ({counts[s] ?? 0})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {shops.length === 0 ? (
        <p className="rounded-2xl bg-white p-6 text-stone-600 ring-1 ring-stone-200">{t("platform.shops.empty")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {shops.map((shop) => (
            <li
              key={shop.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-xl bg-white p-3 ring-1 ring-stone-200"
              data-testid={`shop-${shop.slug}`}
            >
              <span className="min-w-0 flex-1">
                <Link
                  to={`/admin/${shop.slug}`}
                  className="block font-medium text-leaf underline-offset-4 hover:underline"
                >
                  {shop.name}
                </Link>
                <span className="block text-sm text-stone-600">
                  {shop.slug} · {t(`admin.status.${shop.status}`)} · {shop.county} ·{" "}
                  {t("platform.shops.products", { count: shop.activeProducts })}
                  {shop.isDemo ? ` · ${t("app.demoData")}` : ""}
                </span>
              </span>
              {shop.status === "LIVE" ? (
                <Link
                  to={`/s/${shop.slug}`}
                  className="min-h-11 content-center px-2 text-sm text-leaf underline underline-offset-4"
                >
                  {t("platform.shops.storefront")}
                </Link>
              ) : null}
              {shop.status === "LIVE" || shop.status === "SUSPENDED" ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="shopId" value={shop.id} />
                  <button
                    type="submit"
                    name="intent"
                    value={shop.status === "LIVE" ? "suspend" : "unsuspend"}
                    className={`min-h-11 rounded-full px-4 text-sm font-medium ring-1 ${
                      shop.status === "LIVE" ? "text-red-800 ring-red-300" : "text-leaf ring-leaf"
                    }`}
                  >
                    {shop.status === "LIVE" ? t("platform.shops.suspend") : t("platform.shops.unsuspend")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
