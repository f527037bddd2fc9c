import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { getFixedT } from "~/lib/i18n.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { signIn } from "~/modules/identity/accounts.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { secondFactorStep, signedInRedirect } from "~/modules/identity/sign-in-redirect.server";
import { identifierField } from "~/modules/identity/identifier";
import { getUserId } from "~/modules/identity/session.server";
import { clientAddress } from "~/lib/client-address.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";

const schema = z.object({
  identifier: identifierField,
  password: z
    .string({ required_error: "auth.errors.passwordRequired" })
    .min(1, "auth.errors.passwordRequired")
    .max(128),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  const { t } = await getFixedT(request);
  return { title: t("auth.signInTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });
  const result = await signIn({ ...submission.value, ip: clientAddress(request) });
  if (!result.ok) {
    await recordSecurityEvent({
      type: "sign_in_failed",
      ...requestSource(request),
      detail: {
        identifier: submission.value.identifier.slice(0, 100),
        reason: result.error.replace("auth.errors.", ""),
      },
    });
    const message =
      "retryAfterMinutes" in result
        ? `${result.error}|${JSON.stringify({ minutes: result.retryAfterMinutes })}`
        : result.error;
    return data(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: "retryAfterMinutes" in result ? 429 : 400,
      headers: "retryAfterMinutes" in result ? { "Retry-After": String(result.retryAfterMinutes * 60) } : undefined,
    });
  }
  // Two-step verification on: the password only opens a short pending sign-in, not a session.
  const codeStep = await secondFactorStep(request, result.userId, submission.value.redirectTo);
  if (codeStep) return codeStep;
  await recordSecurityEvent({
    type: "sign_in",
    userId: result.userId,
    ...requestSource(request),
    detail: { secondFactor: null },
  });
  return signedInRedirect(request, result.userId, submission.value.redirectTo);
}

export default function Login() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <AuthLayout title={t("auth.signInTitle")} intro={t("auth.signInIntro")}>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        {params.get("expired") && !form.errors?.length ? (
          <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            {t("auth.secondFactorExpired")}
          </p>
        ) : null}
        <FormError errors={form.errors} />
        <TextField meta={fields.identifier} label={t("auth.identifier")} autoComplete="username" />
        <TextField meta={fields.password} label={t("auth.password")} type="password" autoComplete="current-password" />
        <SubmitButton pending={navigation.state === "submitting"}>{t("auth.signIn")}</SubmitButton>
      </Form>
      <div className="mt-6 flex flex-col gap-2 text-sm text-stone-700">
        <Link to="/forgot-password" className="text-leaf underline">
          {t("auth.forgot")}
        </Link>
        <p>
          {t("auth.noAccount")}{" "}
          <Link to={`/signup${params.size ? `?${params}` : ""}`} className="font-medium text-leaf underline">
            {t("auth.signUp")}
          </Link>
        </p>
      </div>
    </AuthLayout>
  );
}
