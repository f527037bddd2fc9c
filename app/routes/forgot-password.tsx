import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, SubmitButton, TextField } from "~/components/forms";
import { getFixedT, getLanguage } from "~/lib/i18n.server";
import { requestPasswordReset } from "~/modules/identity/accounts.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { identifierField } from "~/modules/identity/identifier";
import { readForm } from "~/lib/request-bounds.server";

const schema = z.object({ identifier: identifierField });

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await getFixedT(request);
  return { title: t("auth.forgotTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return { sent: false, result: submission.reply() };
  await requestPasswordReset({
    identifier: submission.value.identifier,
    locale: await getLanguage(request),
  });
  // The same answer whether or not the account exists.
  return { sent: true, result: submission.reply({ resetForm: true }) };
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <AuthLayout title={t("auth.forgotTitle")} intro={t("auth.forgotIntro")}>
      {actionData?.sent ? (
        <p role="status" className="mb-4 rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t("auth.forgotSent")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
        <CsrfInput />
        <TextField meta={fields.identifier} label={t("auth.identifier")} autoComplete="username" />
        <SubmitButton pending={navigation.state === "submitting"}>{t("auth.sendLink")}</SubmitButton>
      </Form>
    </AuthLayout>
  );
}
