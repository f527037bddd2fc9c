import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ClientLoaderFunctionArgs,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AuthLayout } from "~/components/auth-layout";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { loadStaffMessages } from "~/lib/i18n-client";
import { getFixedT } from "~/lib/i18n.server";
import { readForm } from "~/lib/request-bounds.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { getUser, requireUser } from "~/modules/identity/session.server";
import {
  acceptPartnerInvitation,
  partnerInvitationIsFor,
  partnerInvitationState,
} from "~/modules/logistics/partner-staff.server";
import { requestSource } from "~/modules/security/request-source.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { maskIdentifier } from "~/modules/shops/members.server";

// /logistics/invite/:token — the link in a partner staff invitation (like /invite/:token for
// shops). Signed out: sign up or sign in, then come back. Signed in as the invited phone or
// email: accept and join the partner's staff, then on to the portal.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t } = await getFixedT(request);
  const title = t("portal.invite.title");
  const invitation = await partnerInvitationState(params.token ?? "");
  if (invitation.state === "unknown")
    return data({ title, state: "unknown" as const, partnerName: null, invited: null, back: null }, { status: 404 });
  if (invitation.state !== "open")
    return data(
      { title, state: invitation.state, partnerName: invitation.partnerName, invited: null, back: null },
      { status: 410 },
    );
  const user = await getUser(request);
  const url = new URL(request.url);
  const back = encodeURIComponent(`${url.pathname}${url.search}`);
  const invited = maskIdentifier(invitation.identifier);
  const partnerName = invitation.partnerName;
  if (!user) return { title, state: "signedOut" as const, partnerName, invited, back };
  const state = partnerInvitationIsFor(invitation.identifier, user) ? ("ready" as const) : ("mismatch" as const);
  return { title, state, partnerName, invited, back };
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requireUser(request);
  const result = await acceptPartnerInvitation({ token: params.token ?? "", user });
  if (!result.ok) return data({ error: result.error }, { status: result.status });
  await recordSecurityEvent({
    type: "role_changed",
    userId: user.id,
    ...requestSource(request),
    detail: { member: user.id, from: null, to: "PARTNER_STAFF", partner: result.partnerId, via: "invitation" },
  });
  return redirect("/logistics");
}

export default function PartnerInvite() {
  const { t } = useTranslation();
  const { state, partnerName, invited, back } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const linkClass = "inline-flex min-h-12 items-center justify-center rounded-full px-5 font-semibold";
  return (
    <AuthLayout title={t("portal.invite.title")}>
      {partnerName ? (
        <p className="text-lg">
          {t("portal.invite.toPartner")} <strong className="font-semibold">{partnerName}</strong>
        </p>
      ) : null}
      <div className="mt-4 flex flex-col gap-4">
        {state === "unknown" || state === "expired" || state === "used" ? (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
            {t(`portal.invite.${state}`)}
          </p>
        ) : null}
        {state === "signedOut" ? (
          <>
            <p className="text-stone-700">{t("portal.invite.signInFirst", { invited })}</p>
            <Link to={`/signup?redirectTo=${back}`} className={`${linkClass} bg-leaf text-white`}>
              {t("portal.invite.signUp")}
            </Link>
            <Link to={`/login?redirectTo=${back}`} className={`${linkClass} text-leaf ring-1 ring-leaf`}>
              {t("portal.invite.signIn")}
            </Link>
          </>
        ) : null}
        {state === "mismatch" ? (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
            {t("portal.invite.notForYou")} {t("portal.invite.sentTo", { invited })}
          </p>
        ) : null}
        {state === "ready" ? (
          <Form method="post" className="flex flex-col gap-3">
            <CsrfInput />
            <p className="text-stone-700">{t("portal.invite.acceptIntro")}</p>
            <FormError errors={actionData?.error ? [actionData.error] : undefined} />
            <SubmitButton pending={navigation.state === "submitting"}>{t("portal.invite.accept")}</SubmitButton>
          </Form>
        ) : null}
        {state !== "signedOut" ? (
          <Link to="/logistics" className="text-leaf underline underline-offset-4">
            {t("portal.invite.toPortal")}
          </Link>
        ) : null}
      </div>
    </AuthLayout>
  );
}
