import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, SubmitButton, TextField } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { isResetTokenUsable, resetPassword } from "~/modules/identity/accounts.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { passwordField } from "~/modules/identity/identifier";
import { startSession } from "~/modules/identity/session.server";
import { secondFactorStep } from "~/modules/identity/sign-in-redirect.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";
import { SpentLink } from "~/components/identity/spent-link";

const schema = z.object({ token: z.string().min(1), password: passwordField });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const { t } = await getFixedT(request);
  return { token, usable: token ? await isResetTokenUsable(token) : false, title: t("auth.resetTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "referrer", content: "no-referrer" },
];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success")
    return { expired: false, result: submission.reply({ hideFields: ["password"] }) };
  const result = await resetPassword(submission.value.token, submission.value.password);
  if (!result.ok) return { expired: true, result: submission.reply({ hideFields: ["password"] }) };
  await recordSecurityEvent({
    type: "password_changed",
    userId: result.userId,
    ...requestSource(request),
    detail: { via: "reset" },
  });
  // A reset link proves the mailbox or phone, not the second factor: with two-step verification
  // on, the new password leads to the code step, not straight into a session.
  const codeStep = await secondFactorStep(request, result.userId, "/admin?reset=1");
  if (codeStep) return codeStep;
  const cookie = await startSession(request, result.userId);
  return redirect("/admin?reset=1", { headers: { "Set-Cookie": cookie } });
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { token, usable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  if (!usable || actionData?.expired) {
    return <SpentLink title={t("auth.resetTitle")} message={t("auth.resetInvalid")} />;
  }
  return (
    <AuthLayout title={t("auth.resetTitle")}>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <TextField
          meta={fields.password}
          label={t("auth.newPassword")}
          hint={t("auth.passwordHint")}
          type="password"
          autoComplete="new-password"
        />
        <SubmitButton pending={navigation.state === "submitting"}>{t("auth.resetSubmit")}</SubmitButton>
      </Form>
    </AuthLayout>
  );
}
