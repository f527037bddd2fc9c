import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { loadStaffMessages } from "~/lib/i18n-client";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { endPendingSignIn, pendingSignInFailed, readPendingSignIn } from "~/modules/identity/pending-sign-in.server";
import { proveSecondFactor, secondFactorRefusal as refusal } from "~/modules/identity/prove-second-factor.server";
import { signedInRedirect } from "~/modules/identity/sign-in-redirect.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";
import { SecondFactorCodeField } from "~/components/identity/second-factor-code-field";

// /login/two-factor: the second step of signing in, for an account with two-step verification.
// Only a pending sign-in (the password was right, minutes ago) may be here; a code from the
// authenticator app or a recovery code turns it into a session.

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await readPendingSignIn(request))) throw redirect("/login");
  const { t } = await getFixedT(request);
  return { title: t("security.signIn.title") };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [loaded] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return loaded;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const pending = await readPendingSignIn(request);
  if (!pending) throw redirect("/login");
  const source = requestSource(request);
  const code = String(formData.get("code") ?? "").slice(0, 64);
  const proof = await proveSecondFactor({ userId: pending.userId, code, source, purpose: "signIn" });
  if (!proof.ok) {
    if (
      proof.status === 400 &&
      proof.error === "security.errors.codeWrong" &&
      !(await pendingSignInFailed(pending.id))
    ) {
      // Too many wrong codes for this sign-in: the password must be given again.
      return redirect("/login?expired=1", { headers: { "Set-Cookie": await endPendingSignIn(request, pending.id) } });
    }
    return refusal(proof);
  }
  await recordSecurityEvent({
    type: "sign_in",
    userId: pending.userId,
    ...source,
    detail: { secondFactor: proof.method },
  });
  const clear = await endPendingSignIn(request, pending.id);
  return signedInRedirect(request, pending.userId, pending.redirectTo ?? undefined, {
    secondFactorAt: new Date(),
    headers: [clear],
  });
}

export default function SignInSecondFactor() {
  const { t } = useTranslation();
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = reply && "error" in reply ? reply.error : undefined;
  return (
    <AuthLayout title={t("security.signIn.title")} intro={t("security.signIn.intro")}>
      <Form method="post" className="flex flex-col gap-4">
        <CsrfInput />
        <FormError errors={error ? [error] : undefined} />
        <SecondFactorCodeField invalid={Boolean(error)} />
        <SubmitButton pending={navigation.state === "submitting"}>{t("security.signIn.submit")}</SubmitButton>
      </Form>
      <p className="mt-6 text-sm">
        <Link to="/login" className="text-leaf underline">
          {t("security.signIn.back")}
        </Link>
      </p>
    </AuthLayout>
  );
}
