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
import { pick } from "~/lib/i18n";
import { getFixedT } from "~/lib/i18n.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { getUser, requireUser } from "~/modules/identity/session.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { requestSource } from "~/modules/security/request-source.server";
import { acceptInvitation, invitationIsFor, invitationState, maskIdentifier } from "~/modules/shops/members.server";
import { loadStaffMessages } from "~/lib/i18n-client";
import { readForm } from "~/lib/request-bounds.server";

// The link in a staff invitation. Signed out: sign up or sign in, then come back here.
// Signed in as the invited phone or email: accept and join the shop.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const title = t("shopsetup.invite.title");
  const invitation = await invitationState(params.token ?? "");
  if (invitation.state === "unknown")
    return data({ title, state: "unknown" as const, shopName: null, invited: null, back: null }, { status: 404 });
  const shopName = pick(lng, invitation.shopName.zh, invitation.shopName.en);
  if (invitation.state !== "open")
    return data({ title, state: invitation.state, shopName, invited: null, back: null }, { status: 410 });

  const user = await getUser(request);
  const url = new URL(request.url);
  const back = encodeURIComponent(`${url.pathname}${url.search}`);
  const invited = maskIdentifier(invitation.identifier);
  if (!user) return { title, state: "signedOut" as const, shopName, invited, back };
  return {
    title,
    state: invitationIsFor(invitation.identifier, user) ? ("ready" as const) : ("mismatch" as const),
    shopName,
    invited,
    back,
  };
}

// In the browser, the staff's texts are fetched beside the data on the way in (app/lib/i18n-client.ts).
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), loadStaffMessages()]);
  return data;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const user = await requireUser(request);
  const result = await acceptInvitation({ token: params.token ?? "", user });
  if (!result.ok) return data({ error: result.error }, { status: result.error.endsWith("notForYou") ? 403 : 410 });
  await recordSecurityEvent({
    type: "role_changed",
    userId: user.id,
    shopId: result.shopId,
    ...requestSource(request),
    detail: { member: user.id, from: null, to: result.role, via: "invitation" },
  });
  return redirect(`/admin/${result.shopSlug}?joined=1`);
}

export default function Invite() {
  const { t } = useTranslation();
  const { state, shopName, invited, back } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const linkClass = "inline-flex min-h-11 items-center justify-center rounded-full px-5 font-semibold";

  return (
    <AuthLayout title={t("shopsetup.invite.title")}>
      {shopName ? (
        <p className="text-lg">
          {t("shopsetup.invite.toShop")} <strong className="font-semibold">{shopName}</strong>
        </p>
      ) : null}
      <div className="mt-4 flex flex-col gap-4">
        {state === "unknown" || state === "expired" || state === "used" ? (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
            {t(`shopsetup.invite.${state}`)}
          </p>
        ) : null}
        {state === "signedOut" ? (
          <>
            <p className="text-stone-700">{t("shopsetup.invite.signInFirst", { invited })}</p>
            <Link to={`/signup?redirectTo=${back}`} className={`${linkClass} bg-leaf text-white`}>
              {t("shopsetup.invite.signUp")}
            </Link>
            <Link to={`/login?redirectTo=${back}`} className={`${linkClass} text-leaf ring-1 ring-leaf`}>
              {t("shopsetup.invite.signIn")}
            </Link>
          </>
        ) : null}
        {state === "mismatch" ? (
          <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-amber-950 ring-1 ring-amber-200">
            {t("shopsetup.invite.notForYou")} {t("shopsetup.invite.sentTo", { invited })}
          </p>
        ) : null}
        {state === "ready" ? (
          <Form method="post" className="flex flex-col gap-3">
            <CsrfInput />
            <p className="text-stone-700">{t("shopsetup.invite.acceptIntro")}</p>
            <FormError errors={actionData?.error ? [actionData.error] : undefined} />
            <SubmitButton pending={navigation.state === "submitting"}>{t("shopsetup.invite.accept")}</SubmitButton>
          </Form>
        ) : null}
        {state !== "signedOut" ? (
          <Link to="/admin" className="text-leaf underline underline-offset-4">
            {t("shopsetup.invite.toAdmin")}
          </Link>
        ) : null}
      </div>
    </AuthLayout>
  );
}
