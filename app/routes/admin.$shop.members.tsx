import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CsrfInput, FormError, SubmitButton, TextField } from "~/components/forms";
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { formatDateTime } from "~/lib/time";
import { requireShopAccess } from "~/modules/identity/access.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { identifierField } from "~/modules/identity/identifier";
import { can } from "~/modules/identity/permissions";
import {
  inviteStaff,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
} from "~/modules/shops/members.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { readForm } from "~/lib/request-bounds.server";

const inviteSchema = z.object({ intent: z.literal("invite"), identifier: identifierField });
const revokeSchema = z.object({ intent: z.literal("revoke"), invitationId: z.string().min(1).max(100) });
const removeSchema = z.object({ intent: z.literal("remove"), membershipId: z.string().min(1).max(40) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, role, user } = await requireShopAccess(request, params.shop, "shop:view");
  const { t } = await getFixedT(request);
  const canManage = can(role, "members:manage");
  const [members, invitations] = await Promise.all([
    listMembers(shop.id),
    canManage ? listPendingInvitations(shop.id) : [],
  ]);
  return { title: t("shopsetup.members.title"), members, invitations, canManage, me: user.id };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const { shop, user } = await requireShopAccess(request, params.shop, "members:manage");
  const { lng } = await getFixedT(request);
  const here = `/admin/${shop.slug}/members`;

  switch (formData.get("intent")) {
    case "invite": {
      const submission = parseWithZod(formData, { schema: inviteSchema });
      if (submission.status !== "success") return data({ invite: submission.reply(), error: null }, { status: 400 });
      const result = await inviteStaff({
        shopId: shop.id,
        shopName: pick(lng, shop.nameZh, shop.nameEn),
        identifier: submission.value.identifier,
        invitedById: user.id,
        locale: lng,
      });
      if (!result.ok)
        return data(
          { invite: submission.reply({ fieldErrors: { [result.field]: [result.error] } }), error: null },
          { status: 400 },
        );
      return redirect(`${here}?invited=1`);
    }
    case "revoke": {
      const submission = parseWithZod(formData, { schema: revokeSchema });
      if (submission.status !== "success" || !(await revokeInvitation(shop.id, submission.value.invitationId))) {
        return data({ invite: null, error: "shopsetup.members.errors.invitationGone" }, { status: 404 });
      }
      return redirect(`${here}?revoked=1`);
    }
    case "remove": {
      const submission = parseWithZod(formData, { schema: removeSchema });
      if (submission.status !== "success")
        return data({ invite: null, error: "shopsetup.members.errors.notFound" }, { status: 404 });
      const result = await removeMember(shop.id, submission.value.membershipId);
      if (!result.ok)
        return data({ invite: null, error: result.error }, { status: result.error.endsWith("notFound") ? 404 : 400 });
      await recordSecurityEvent({
        type: "role_changed",
        userId: user.id,
        shopId: shop.id,
        ...requestSource(request),
        detail: { member: result.userId, from: result.role, to: null },
      });
      // Someone who removed themselves can no longer see this page.
      return redirect(result.userId === user.id ? "/admin" : `${here}?removed=1`);
    }
    default:
      return data({ invite: null, error: "shopsetup.members.errors.unknownAction" }, { status: 400 });
  }
}

export default function ShopMembers() {
  const { t, i18n } = useTranslation();
  const { members, invitations, canManage, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const location = useLocation();
  const lastOwner = members.filter((m) => m.role === "OWNER").length === 1;
  const notice = ["invited", "revoked", "removed"].find((key) => params.get(key) === "1");
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("shopsetup.members.title")}</h1>
      {notice && !actionData ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200">
          {t(`shopsetup.members.notice.${notice}`)}
        </p>
      ) : null}
      <FormError errors={actionData?.error ? [actionData.error] : undefined} />

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="text-lg font-semibold">
          {t("shopsetup.members.listTitle")}
        </h2>
        <ul className="mt-2 flex flex-col gap-2">
          {members.map((member) => (
            <li
              key={member.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl bg-white p-3 ring-1 ring-stone-200"
            >
              <span className="min-w-0 flex-1">
                <span className="block font-medium">
                  {member.name || member.contact}
                  {member.userId === me ? (
                    <span className="ml-1 text-sm text-stone-500">{t("shopsetup.members.you")}</span>
                  ) : null}
                </span>
                <span className="block text-sm text-stone-600">
                  {t(`admin.role.${member.role}`)} · {member.contact}
                </span>
              </span>
              {canManage && !(lastOwner && member.role === "OWNER") ? (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="membershipId" value={member.id} />
                  <button
                    type="submit"
                    className="min-h-11 rounded-full px-3 text-sm text-red-700 underline underline-offset-4"
                  >
                    {member.userId === me ? t("shopsetup.members.leave") : t("shopsetup.members.remove")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {canManage ? (
        <>
          <section aria-labelledby="invite-heading" className="rounded-2xl bg-white p-4 ring-1 ring-stone-200">
            <h2 id="invite-heading" className="text-lg font-semibold">
              {t("shopsetup.members.inviteTitle")}
            </h2>
            <p className="mt-1 text-sm text-stone-600">{t("shopsetup.members.inviteIntro")}</p>
            {/* Keyed by location: a fresh, empty form after each invitation sent. */}
            <InviteForm key={location.key} lastResult={actionData?.invite} pending={busy("invite")} />
          </section>

          <section aria-labelledby="pending-heading">
            <h2 id="pending-heading" className="text-lg font-semibold">
              {t("shopsetup.members.pendingTitle")}
            </h2>
            {invitations.length === 0 ? (
              <p className="mt-2 text-sm text-stone-600">{t("shopsetup.members.noPending")}</p>
            ) : (
              <ul className="mt-2 flex flex-col gap-2">
                {invitations.map((invitation) => (
                  <li
                    key={invitation.id}
                    className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl bg-white p-3 ring-1 ring-stone-200"
                  >
                    <span className="min-w-0 flex-1">
                      <span className="block font-medium break-all">{invitation.identifier}</span>
                      <span className="block text-sm text-stone-600">
                        {t("shopsetup.members.expires", { when: formatDateTime(invitation.expiresAt, i18n.language) })}
                      </span>
                    </span>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="invitationId" value={invitation.id} />
                      <button
                        type="submit"
                        className="min-h-11 rounded-full px-3 text-sm text-red-700 underline underline-offset-4"
                      >
                        {t("shopsetup.members.revoke")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : (
        <p className="text-sm text-stone-600">{t("shopsetup.members.ownerManages")}</p>
      )}
    </div>
  );
}

function InviteForm({ lastResult, pending }: { lastResult?: SubmissionResult<string[]> | null; pending: boolean }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "invite",
    lastResult,
    constraint: getZodConstraint(inviteSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="mt-3 flex flex-col gap-3">
      <CsrfInput />
      <input type="hidden" name="intent" value="invite" />
      <TextField
        meta={fields.identifier}
        label={t("shopsetup.members.identifier")}
        hint={t("shopsetup.members.identifierHint")}
        autoComplete="off"
      />
      <SubmitButton pending={pending}>{t("shopsetup.members.invite")}</SubmitButton>
    </Form>
  );
}
