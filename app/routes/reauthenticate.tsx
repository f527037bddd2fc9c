import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { env } from "~/env.server";
import { getFixedT } from "~/lib/i18n.server";
import { loadStaffMessages } from "~/lib/i18n-client";
import { safeRedirect } from "~/lib/safe-redirect";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { proveSecondFactor, secondFactorRefusal as refusal } from "~/modules/identity/prove-second-factor.server";
import { markSecondFactor, requireUser } from "~/modules/identity/session.server";
import { hasTwoFactor } from "~/modules/identity/two-factor.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";
import { SecondFactorCodeField } from "~/components/identity/second-factor-code-field";

// /reauthenticate?redirectTo=…: before money moves, a code from the authenticator app proves
// that the person at this session is its owner now; it counts for REAUTH_MINUTES, then back.

function backOf(request: Request) {
  return safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/account");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const back = backOf(request);
  if (!(await hasTwoFactor(user.id)))
    throw redirect(`/account/two-factor?required=money&redirectTo=${encodeURIComponent(back)}`);
  const { t } = await getFixedT(request);
  return { title: t("security.reauth.title"), minutes: env().REAUTH_MINUTES };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [loaded] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return loaded;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requireUser(request);
  const source = requestSource(request);
  const code = String(formData.get("code") ?? "").slice(0, 64);
  const proof = await proveSecondFactor({ userId: user.id, code, source, purpose: "reauthenticate" });
  if (!proof.ok) return refusal(proof);
  await markSecondFactor(request);
  await recordSecurityEvent({
    type: "reauthenticated",
    userId: user.id,
    ...source,
    detail: { method: proof.method },
  });
  return redirect(backOf(request));
}

export default function Reauthenticate() {
  const { t } = useTranslation();
  const { minutes } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = reply && "error" in reply ? reply.error : undefined;
  return (
    <AuthLayout title={t("security.reauth.title")} intro={t("security.reauth.intro", { minutes })}>
      <Form method="post" className="flex flex-col gap-4">
        <CsrfInput />
        <FormError errors={error ? [error] : undefined} />
        <SecondFactorCodeField invalid={Boolean(error)} />
        <SubmitButton pending={navigation.state === "submitting"}>{t("security.reauth.submit")}</SubmitButton>
      </Form>
    </AuthLayout>
  );
}
