import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { clientAddress } from "~/lib/client-address.server";
import { getFixedT } from "~/lib/i18n.server";
import { isUnlockTokenUsable, unlockWithLink } from "~/modules/identity/accounts.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { secondFactorStep, signedInRedirect } from "~/modules/identity/sign-in-redirect.server";
import { readForm } from "~/lib/request-bounds.server";
import { SpentLink } from "~/components/identity/spent-link";

// The one-time link sent to the owner of an account locked by a distributed sign-in attack:
// the owner's password lets them in past the lock (opening the link alone changes nothing, so
// a mail scanner that follows it spends nothing).

const schema = z.object({
  token: z.string().min(1).max(100),
  password: z
    .string({ required_error: "auth.errors.passwordRequired" })
    .min(1, "auth.errors.passwordRequired")
    .max(128),
});

const PRIVATE = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get("token") ?? "").slice(0, 100);
  const { t } = await getFixedT(request);
  return data(
    { token, usable: token ? await isUnlockTokenUsable(token) : false, title: t("auth.unlockTitle") },
    { headers: PRIVATE },
  );
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
    return data({ expired: false, result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const result = await unlockWithLink({ ...submission.value, ip: clientAddress(request) });
  // The link proves the mailbox or phone and the password, not the second factor.
  if (result.ok)
    return (
      (await secondFactorStep(request, result.userId, undefined)) ?? signedInRedirect(request, result.userId, undefined)
    );
  if (result.error === "auth.errors.unlockInvalid") {
    return data({ expired: true, result: submission.reply({ hideFields: ["password"] }) }, { status: 410 });
  }
  if ("retryAfterMinutes" in result) {
    const message = `${result.error}|${JSON.stringify({ minutes: result.retryAfterMinutes })}`;
    return data(
      { expired: false, result: submission.reply({ formErrors: [message], hideFields: ["password"] }) },
      { status: 429, headers: { "Retry-After": String(result.retryAfterMinutes * 60) } },
    );
  }
  return data(
    { expired: false, result: submission.reply({ formErrors: [result.error], hideFields: ["password"] }) },
    { status: 400 },
  );
}

export default function Unlock() {
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
    return <SpentLink title={t("auth.unlockTitle")} message={t("auth.errors.unlockInvalid")} />;
  }
  return (
    <AuthLayout title={t("auth.unlockTitle")} intro={t("auth.unlockIntro")}>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4">
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <FormError errors={form.errors} />
        <TextField meta={fields.password} label={t("auth.password")} type="password" autoComplete="current-password" />
        <SubmitButton pending={navigation.state === "submitting"}>{t("auth.unlockSubmit")}</SubmitButton>
      </Form>
      <Link to="/forgot-password" className="mt-6 inline-block text-sm text-leaf underline">
        {t("auth.unlockForgot")}
      </Link>
    </AuthLayout>
  );
}
