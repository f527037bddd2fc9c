import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountNav } from "~/components/account/account-nav";
import { AdminLayout } from "~/components/admin-layout";
import { CsrfInput } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { formatFen } from "~/lib/money";
import { formatDateTime } from "~/lib/time";
import { verifiedPhoneOf } from "~/modules/identity/phone-verification.server";
import { listSessions, requireUser } from "~/modules/identity/session.server";
import { listMyOrders } from "~/modules/orders/buyer-orders.cross-shop.server";
import { attachGuestOrders } from "~/modules/orders/guest-orders.server";
import { linesToReview } from "~/modules/reviews/buyer-reviews.cross-shop.server";
import { LinesToReview } from "~/components/reviews/to-review";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t, lng } = await getFixedT(request);
  // A proven mobile: orders placed as a guest with it since are the account's too (decision 025).
  const verifiedPhone = await verifiedPhoneOf(user.id);
  if (verifiedPhone) await attachGuestOrders({ userId: user.id, phone: verifiedPhone });
  const search = new URL(request.url).searchParams;
  const [sessions, orders, toReview] = await Promise.all([
    listSessions(user.id, request),
    listMyOrders({ userId: user.id, lng }),
    linesToReview({ userId: user.id, lng }),
  ]);
  return {
    title: t("auth.accountTitle"),
    user: { name: user.name ?? "", identifier: user.phone ?? user.email ?? "" },
    mobile: { phone: user.phone, verified: verifiedPhone !== null },
    justVerified: search.get("verified") === "1" ? Math.max(0, Number(search.get("attached")) || 0) : null,
    sessions: sessions.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
    /** Newest first; orders placed as a guest are attached once the account's mobile is proven. */
    orders,
    /** Delivered lines the buyer has not reviewed yet (decision 023). */
    toReview,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function Account() {
  const { t, i18n } = useTranslation();
  const { user, sessions, orders, mobile, justVerified, toReview } = useLoaderData<typeof loader>();
  const lng = i18n.language;
  return (
    <AdminLayout userName={user.name || user.identifier} title={t("account.title")} home="/account" nav={accountNav(t)}>
      <h1 className="text-2xl font-bold">{t("auth.accountTitle")}</h1>
      <p className="mt-1 text-stone-600">
        {user.name} · {user.identifier}
      </p>
      {justVerified !== null ? (
        <p
          role="status"
          className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
          data-testid="attached-notice"
        >
          {t("account.mobile.attached", { count: justVerified })}
        </p>
      ) : null}
      {mobile.phone && !mobile.verified ? (
        <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200">
          {t("account.mobile.prompt")}{" "}
          <Link
            to="/account/mobile"
            className="font-medium underline underline-offset-4"
            data-testid="verify-mobile-link"
          >
            {t("account.mobile.promptLink")}
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="my-orders" className="mt-6">
        <h2 id="my-orders" className="text-lg font-semibold">
          {t("checkout.account.heading")}
        </h2>
        {orders.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("checkout.account.empty")}</p> : null}
        <ul className="mt-2 space-y-2" data-testid="my-orders">
          {orders.map((o) => (
            <li key={o.number}>
              <Link
                to={`/orders/${o.number}`}
                className="block rounded-xl bg-white px-3 py-2 text-sm ring-1 ring-stone-200 hover:ring-leaf"
                data-testid="my-order"
              >
                <span className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-semibold">{o.number}</span>
                  <span className="text-stone-700">
                    {t(
                      `checkout.order.status.${o.status === "AWAITING_PAYMENT" ? `AWAITING_PAYMENT_${o.provider}` : o.status}`,
                    )}
                  </span>
                </span>
                <span className="block truncate text-stone-600">{o.shops.map((s) => s.name).join("、")}</span>
                <span className="block text-stone-600">
                  {t("checkout.account.placedAt", { time: formatDateTime(o.createdAt, lng) })} ·{" "}
                  {t("checkout.account.total", { amount: formatFen(o.totalFen, lng) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm text-stone-600">
          {t(mobile.verified ? "account.guestNoteVerified" : "account.guestNote")}{" "}
          <Link to="/orders" className="font-medium text-leaf underline underline-offset-4">
            {t("checkout.account.lookupLink")}
          </Link>
        </p>
      </section>
      <LinesToReview lines={toReview} />
      <p className="mt-6">
        <Link
          to="/account/two-factor"
          className="font-medium text-leaf underline underline-offset-4"
          data-testid="two-factor-link"
        >
          {t("auth.twoFactorLink")}
        </Link>
      </p>
      <h2 className="mt-6 text-lg font-semibold">{t("auth.sessions")}</h2>
      <ul className="mt-2 space-y-2" data-testid="sessions">
        {sessions.map((s, i) => (
          <li key={i} className="rounded-xl bg-white px-3 py-2 text-sm ring-1 ring-stone-200">
            <span className="block truncate">{s.userAgent ?? "—"}</span>
            <span className="text-stone-600">
              {t("auth.signedInAt", { date: formatDateTime(s.createdAt, lng) })}
              {s.current ? ` · ${t("auth.currentDevice")}` : ""}
            </span>
          </li>
        ))}
      </ul>
      <Form method="post" action="/logout" className="mt-6">
        <CsrfInput />
        <input type="hidden" name="everywhere" value="1" />
        <button type="submit" className="min-h-11 rounded-full border border-red-300 px-5 font-medium text-red-800">
          {t("auth.signOutEverywhere")}
        </button>
      </Form>
    </AdminLayout>
  );
}
