import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, SubmitButton, TextField } from "~/components/forms";
import { getFixedT, getLanguage } from "~/lib/i18n.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { signUp } from "~/modules/identity/accounts.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { signedInRedirect } from "~/modules/identity/sign-in-redirect.server";
import { identifierField, passwordField } from "~/modules/identity/identifier";
import { getUserId } from "~/modules/identity/session.server";
import { readForm } from "~/lib/request-bounds.server";

const schema = z.object({
  name: z
    .string({ required_error: "auth.errors.nameRequired" })
    .trim()
    .min(1, "auth.errors.nameRequired")
    .max(40, "auth.errors.nameLong"),
  identifier: identifierField,
  password: passwordField,
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  const { t } = await getFixedT(request);
  return { title: t("auth.signUpTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return submission.reply({ hideFields: ["password"] });
  const result = await signUp({ ...submission.value, locale: await getLanguage(request) });
  if (!result.ok)
    return submission.reply({ fieldErrors: { [result.field]: [result.error] }, hideFields: ["password"] });
  return signedInRedirect(request, result.userId, submission.value.redirectTo);
}

export default function SignUp() {
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
    <AuthLayout title={t("auth.signUpTitle")} intro={t("auth.signUpIntro")}>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField meta={fields.name} label={t("auth.name")} autoComplete="name" />
        <TextField
          meta={fields.identifier}
          label={t("auth.identifier")}
          hint={t("auth.identifierHint")}
          autoComplete="username"
        />
        <TextField
          meta={fields.password}
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          type="password"
          autoComplete="new-password"
        />
        <SubmitButton pending={navigation.state === "submitting"}>{t("auth.signUp")}</SubmitButton>
      </Form>
      <p className="mt-6 text-sm text-stone-700">
        {t("auth.haveAccount")}{" "}
        <Link to={`/login${params.size ? `?${params}` : ""}`} className="font-medium text-leaf underline">
          {t("auth.signIn")}
        </Link>
      </p>
    </AuthLayout>
  );
}
