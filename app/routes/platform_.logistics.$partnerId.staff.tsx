import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  type ClientLoaderFunctionArgs,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AdminLayout } from "~/components/admin-layout";
import { CsrfInput, SubmitButton, TextField } from "~/components/forms";
import { loadStaffMessages } from "~/lib/i18n-client";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { identifierField } from "~/modules/identity/identifier";
import {
  inviteToPartner,
  listPartnerStaff,
  requirePartnerStaffManager,
} from "~/modules/logistics/partner-staff.server";
import { maskIdentifier } from "~/modules/shops/members.server";

// /platform/logistics/:partnerId/staff — a partner's staff and the invitation form, for the
// county's coordinator or a platform admin (anyone else: 404). A minimal page of the portal's
// own; the partner's page (partners part) links here or takes over the form.
const inviteSchema = z.object({ identifier: identifierField });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, partner } = await requirePartnerStaffManager(request, params.partnerId);
  const { t } = await getFixedT(request);
  const staff = await listPartnerStaff(partner.id);
  return {
    title: t("portal.staff.title", { partner: partner.nameZh }),
    userName: user.name ?? user.phone ?? user.email ?? "",
    members: staff.members,
    invitations: staff.invitations.map((i) => ({ ...i, identifier: maskIdentifier(i.identifier) })),
  };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { user, partner } = await requirePartnerStaffManager(request, params.partnerId);
  const { lng } = await getFixedT(request);
  const submission = parseWithZod(formData, { schema: inviteSchema });
  if (submission.status !== "success") return data({ invite: submission.reply() }, { status: 400 });
  const result = await inviteToPartner({
    partnerId: partner.id,
    identifier: submission.value.identifier,
    invitedById: user.id,
    locale: lng,
  });
  if (!result.ok)
    return data({ invite: submission.reply({ fieldErrors: { [result.field]: [result.error] } }) }, { status: 400 });
  return redirect(`/platform/logistics/${partner.id}/staff?invited=1`);
}

export default function PartnerStaff() {
  const { t } = useTranslation();
  const { title, userName, members, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData?.invite as SubmissionResult<string[]> | undefined,
    constraint: getZodConstraint(inviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
    shouldValidate: "onBlur",
  });
  return (
    <AdminLayout userName={userName} title={title}>
      <div className="flex flex-col gap-5">
        <h1 className="text-2xl font-bold">{title}</h1>
        {params.get("invited") === "1" && !actionData ? (
          <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
            {t("portal.staff.invited")}
          </p>
        ) : null}
        <section className="flex flex-col gap-2">
          <h2 className="text-lg font-semibold">{t("portal.staff.members")}</h2>
          {members.length === 0 ? <p className="text-stone-600">{t("portal.staff.none")}</p> : null}
          <ul className="flex flex-col gap-2">
            {members.map((m) => (
              <li key={m.id} className="rounded-xl bg-white p-3 ring-1 ring-stone-200">
                {m.name || m.contact} <span className="text-sm text-stone-600">{m.contact}</span>
              </li>
            ))}
          </ul>
        </section>
        {invitations.length > 0 ? (
          <section className="flex flex-col gap-2">
            <h2 className="text-lg font-semibold">{t("portal.staff.pending")}</h2>
            <ul className="flex flex-col gap-1">
              {invitations.map((i) => (
                <li key={i.identifier}>{i.identifier}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <section className="flex flex-col gap-2">
          <h2 className="text-lg font-semibold">{t("portal.staff.invite")}</h2>
          <Form method="post" {...getFormProps(form)} className="flex max-w-md flex-col gap-3">
            <CsrfInput />
            <TextField meta={fields.identifier} label={t("portal.staff.identifier")} autoComplete="off" />
            <SubmitButton pending={navigation.state === "submitting"}>{t("portal.staff.send")}</SubmitButton>
          </Form>
        </section>
      </div>
    </AdminLayout>
  );
}
