import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { accountNav } from "~/components/account/account-nav";
import { AdminLayout } from "~/components/admin-layout";
import { CsrfInput, FormError } from "~/components/forms";
import { getFixedT, getLanguage } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import {
  PHONE_CODE_MINUTES,
  phoneCodePending,
  sendPhoneCode,
  verifiedPhoneOf,
  verifyPhoneCode,
} from "~/modules/identity/phone-verification.server";
import { requireUser } from "~/modules/identity/session.server";
import { attachGuestOrders } from "~/modules/orders/guest-orders.server";

// 我的 › 验证手机 (issue #13, decision 025): a code sent by SMS proves the account's mobile;
// then the orders placed as a guest with that mobile are attached to the account.

const PRIVATE = { "Cache-Control": "private, no-store" };
export const headers: HeadersFunction = () => PRIVATE;

const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await getFixedT(request);
  const [verified, pending] = await Promise.all([verifiedPhoneOf(user.id), phoneCodePending(user.id)]);
  return data(
    {
      title: t("account.mobile.title"),
      userName: user.name || user.phone || user.email || "",
      phone: user.phone,
      verified: verified !== null,
      pending,
      minutes: PHONE_CODE_MINUTES,
    },
    { headers: PRIVATE },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  if (formData.get("intent") === "send") {
    const sent = await sendPhoneCode({ userId: user.id, locale: await getLanguage(request) });
    if (!sent.ok) {
      const error =
        "retryAfterMinutes" in sent
          ? `${sent.error}|${JSON.stringify({ minutes: sent.retryAfterMinutes })}`
          : sent.error;
      return data({ error, sent: false }, { status: 400, headers: PRIVATE });
    }
    return data({ error: null, sent: true }, { headers: PRIVATE });
  }
  const code = codeSchema.safeParse(formData.get("code") ?? "");
  if (!code.success)
    return data({ error: "account.mobile.errors.codeFormat", sent: false }, { status: 400, headers: PRIVATE });
  const verified = await verifyPhoneCode({ userId: user.id, code: code.data });
  if (!verified.ok) return data({ error: verified.error, sent: false }, { status: 400, headers: PRIVATE });
  const attached = await attachGuestOrders({ userId: user.id, phone: verified.phone });
  return redirect(`/account?verified=1&attached=${attached}`, { headers: PRIVATE });
}

export default function AccountMobile() {
  const { t } = useTranslation();
  const { userName, phone, verified, pending, minutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const codeSent = pending || actionData?.sent;
  return (
    <AdminLayout userName={userName} title={t("account.title")} home="/account" nav={accountNav(t)}>
      <div className="max-w-md">
        <h1 className="text-2xl font-bold">{t("account.mobile.title")}</h1>
        {!phone ? (
          <p className="mt-2 text-stone-700">{t("account.mobile.noMobile")}</p>
        ) : verified ? (
          <p className="mt-2 text-stone-700" data-testid="mobile-verified">
            {t("account.mobile.verified", { phone })}
          </p>
        ) : (
          <>
            <p className="mt-2 text-stone-700">{t("account.mobile.intro", { phone })}</p>
            {actionData?.error ? (
              <div className="mt-3">
                <FormError errors={[actionData.error]} />
              </div>
            ) : null}
            {actionData?.sent ? (
              <p
                role="status"
                className="mt-3 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
              >
                {t("account.mobile.sent", { minutes })}
              </p>
            ) : null}
            <Form method="post" className="mt-4">
              <CsrfInput />
              <button
                type="submit"
                name="intent"
                value="send"
                className="min-h-11 rounded-full border border-stone-300 bg-white px-5 font-medium"
                data-testid="send-code"
              >
                {codeSent ? t("account.mobile.resend") : t("account.mobile.send")}
              </button>
            </Form>
            {codeSent ? (
              <Form method="post" className="mt-4 flex flex-col gap-2">
                <CsrfInput />
                <input type="hidden" name="intent" value="verify" />
                <label htmlFor="phone-code" className="text-sm font-medium text-stone-800">
                  {t("account.mobile.code")}
                </label>
                <input
                  id="phone-code"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="\d{6}"
                  maxLength={6}
                  required
                  className="min-h-11 w-40 rounded-lg border border-stone-300 bg-white px-3 text-base tracking-widest"
                />
                <button
                  type="submit"
                  className="min-h-11 self-start rounded-full bg-leaf px-5 font-semibold text-white"
                  data-testid="verify-code"
                >
                  {t("account.mobile.verify")}
                </button>
              </Form>
            ) : null}
          </>
        )}
        <p className="mt-6">
          <Link to="/account" className="text-sm text-stone-600 underline underline-offset-4">
            ← {t("account.backToAccount")}
          </Link>
        </p>
      </div>
    </AdminLayout>
  );
}
